// The options part of a logical line: pip's break_args_options, then shlex.split and optparse over its
// requirement-file options (-r, -c, -e, --hash, --index-url, …).

// The requirement is every space-separated token before the first one starting with `-`.
export function breakArgsOptions (line: string): { args: string, options: string } {
  const tokens = line.split(' ')
  const at = tokens.findIndex((token) => token.startsWith('-'))
  if (at < 0) return { args: line, options: '' }
  return { args: tokens.slice(0, at).join(' '), options: tokens.slice(at).join(' ') }
}

/** Python's shlex.split (POSIX mode, no comments); null where it raises ValueError. */
export function shlexSplit (text: string): string[] | null {
  const words: string[] = []
  let word = ''
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return null
      word += text[++i]
      inWord = true
    } else if (ch === '\'' || ch === '"') {
      const close = ch
      inWord = true
      for (i++; ; i++) {
        if (i >= text.length) return null
        const c = text[i] as string
        if (c === close) break
        // Inside double quotes a backslash escapes only `"` and itself; elsewhere it is kept.
        if (close === '"' && c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          word += text[++i]
        } else {
          word += c
        }
      }
    } else {
      word += ch
      inWord = true
    }
  }
  if (inWord) words.push(word)
  return words
}

interface Options {
  readonly requirements: string[]
  readonly constraints: string[]
  readonly editables: string[]
  readonly hashes: string[]
}

// SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ across pip 23–25 (--install-option went in 23.1, --all-releases
// and --only-final came later): long name → whether it takes a value.
const LONG_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ['--index-url', true], ['--pypi-url', true], ['--extra-index-url', true], ['--no-index', false],
  ['--constraint', true], ['--requirement', true], ['--editable', true], ['--find-links', true],
  ['--no-binary', true], ['--only-binary', true], ['--prefer-binary', false], ['--require-hashes', false],
  ['--pre', false], ['--trusted-host', true], ['--use-feature', true], ['--global-option', true],
  ['--install-option', true], ['--hash', true], ['--config-settings', true], ['--all-releases', true],
  ['--only-final', true],
])
const SHORT_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['-i', '--index-url'], ['-c', '--constraint'], ['-r', '--requirement'], ['-e', '--editable'],
  ['-f', '--find-links'], ['-C', '--config-settings'],
])
const STRONG_HASHES = new Set(['sha256', 'sha384', 'sha512'])

/** optparse over pip's requirement-file options; a string is the error pip would stop with. */
export function parseOptions (words: readonly string[]): Options | string {
  const opts: Options = { requirements: [], constraints: [], editables: [], hashes: [] }
  const rest = [...words]
  const take = (option: string, value: string): string | undefined => {
    if (option === '--requirement') opts.requirements.push(value)
    else if (option === '--constraint') opts.constraints.push(value)
    else if (option === '--editable') opts.editables.push(value)
    else if (option === '--hash') {
      const colon = value.indexOf(':')
      if (colon < 0) return `arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde…, not "${value}"`
      if (!STRONG_HASHES.has(value.slice(0, colon))) return `allowed hash algorithms for --hash are sha256, sha384, sha512, not "${value.slice(0, colon)}"`
      opts.hashes.push(value)
    } else if (option === '--config-settings' && !value.includes('=')) {
      return `arguments to ${option} must be of the form KEY=VAL`
    } else if ((option === '--no-binary' || option === '--only-binary') && value.startsWith('-')) {
      return '--no-binary / --only-binary option requires 1 argument'
    }
    return undefined
  }
  while (rest.length > 0) {
    const arg = rest.shift() as string
    if (arg === '--') break
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const written = eq >= 0 ? arg.slice(0, eq) : arg
      const option = matchLongOption(written)
      if (option.startsWith('!')) return option.slice(1)
      if (LONG_OPTIONS.get(option) === true) {
        const value = eq >= 0 ? arg.slice(eq + 1) : rest.shift()
        if (value === undefined) return `${option} option requires 1 argument`
        const error = take(option, value)
        if (error !== undefined) return error
      } else if (eq >= 0) {
        return `${option} option does not take a value`
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      // Clustered short options: `-rbase.txt` is `-r base.txt`.
      for (let i = 1; i < arg.length; i++) {
        const option = SHORT_OPTIONS.get('-' + arg[i])
        if (option === undefined) return `no such option: -${arg[i]}`
        const value = i + 1 < arg.length ? arg.slice(i + 1) : rest.shift()
        if (value === undefined) return `-${arg[i]} option requires 1 argument`
        const error = take(option, value)
        if (error !== undefined) return error
        break
      }
    }
    // Anything else is a positional argument, which pip's option parser silently drops.
  }
  return opts
}

// optparse accepts any unambiguous prefix of a long option. "!…" is an error message.
function matchLongOption (written: string): string {
  if (LONG_OPTIONS.has(written)) return written
  const candidates = [...LONG_OPTIONS.keys()].filter((name) => name.startsWith(written)).sort()
  if (candidates.length === 1) return candidates[0] as string
  if (candidates.length === 0) return `!no such option: ${written}`
  return `!ambiguous option: ${written} (${candidates.join(', ')}?)`
}
