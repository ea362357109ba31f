// Wrapper peeling: `sudo`, `env`, `exec`, `nice`, `nohup`, `time` and `command` taken off a simple command's words,
// and `sh -c '…'` (with the shell's options) recognised as a script to parse in turn.

/** One wrapper peeled: the command that remains, or for a shell with -c, the script it runs. */
export type Step =
  | { readonly wrapper: string, readonly rest: string[], readonly assigns: Array<[string, string]> }
  | { readonly wrapper: string, readonly script: string }

/** How a wrapper's options are read: which take a value, and whether NAME=value words may follow them. */
interface WrapperOptions {
  /** Short options that take a value, attached (`-uapp`) or as the next word (`-u app`). */
  readonly short: string
  /** Long options that take a value as the next word when not given with `=`. */
  readonly long: readonly string[]
  /** NAME=value words after the options set the command's environment (env, sudo). */
  readonly assignments: boolean
  /** A lone `-` is an option (`env -` is `env -i`) rather than the command. */
  readonly dashOption?: boolean
}

const WRAPPERS: Readonly<Record<string, WrapperOptions>> = {
  command: { short: '', long: [], assignments: false },
  env: { short: 'uCS', long: ['unset', 'chdir', 'split-string'], assignments: true, dashOption: true },
  exec: { short: 'a', long: [], assignments: false },
  nice: { short: 'n', long: ['adjustment'], assignments: false },
  nohup: { short: '', long: [], assignments: false },
  sudo: {
    short: 'CDgprRtTuU',
    long: ['chdir', 'chroot', 'close-from', 'command-timeout', 'group', 'other-user', 'prompt', 'role', 'type', 'user'],
    assignments: true,
  },
  // GNU time, when `time` is a program rather than bash's keyword (after `sudo`, or as /usr/bin/time).
  time: { short: 'fo', long: ['format', 'output'], assignments: false },
}

const SHELLS = new Set(['ash', 'bash', 'dash', 'ksh', 'mksh', 'sh', 'zsh'])
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s

export function unwrap (words: readonly string[]): Step | null {
  const program = basename(words[0] ?? '')
  if (SHELLS.has(program)) return shellScript(words, program)
  const options = WRAPPERS[program]
  if (options === undefined) return null
  let at = skipOptions(words, options)
  // `command -v curl` asks where curl is; it does not run it.
  if (program === 'command' && words.slice(1, at).some((word) => /^-[a-zA-Z]*[vV]/.test(word))) return null
  const assigns: Array<[string, string]> = []
  while (options.assignments && at < words.length) {
    const match = ASSIGNMENT.exec(words[at] as string)
    if (match === null) break
    assigns.push([match[1] as string, match[2] as string])
    at++
  }
  // A wrapper with nothing to run (`sudo -v`, `env`, `exec 3>&1`) is the command itself.
  if (at >= words.length) return null
  return { wrapper: program, rest: words.slice(at), assigns }
}

/** The index of the first word after a wrapper's options. */
function skipOptions (words: readonly string[], options: WrapperOptions): number {
  let at = 1
  while (at < words.length) {
    const word = words[at] as string
    if (word === '--') return at + 1
    if (word === '-' && options.dashOption === true) {
      at++
      continue
    }
    if (!word.startsWith('-') || word === '-') return at
    if (word.startsWith('--')) {
      at += !word.includes('=') && options.long.includes(word.slice(2)) ? 2 : 1
      continue
    }
    // In a cluster (`-Eu app`), the first option that takes a value takes the rest of the word, or the next word.
    let takesNext = false
    for (let index = 1; index < word.length; index++) {
      if (options.short.includes(word.charAt(index))) {
        takesNext = index === word.length - 1
        break
      }
    }
    at += takesNext ? 2 : 1
  }
  return at
}

/** `sh -c 'script'` with options before it (`-e`, `-ex`, `-o pipefail`, `-ec`, `--login`): the script. */
function shellScript (words: readonly string[], program: string): Step | null {
  let hasScript = false
  let at = 1
  while (at < words.length) {
    const word = words[at] as string
    if (word === '-' || word === '--') {
      at++
      break
    }
    if (word.startsWith('--')) {
      at += word === '--rcfile' || word === '--init-file' ? 2 : 1
      continue
    }
    if (!/^[-+][A-Za-z]+$/.test(word)) break
    if (word.startsWith('-') && word.includes('c')) hasScript = true
    // -o and -O take an option name each: `-eo pipefail`, `-O extglob`.
    at += 1 + word.replace(/[^oO]/g, '').length
  }
  const script = words[at]
  // Without -c the shell runs a file (`sh ./install.sh`): that is the command.
  if (!hasScript || script === undefined) return null
  return { wrapper: `${program} -c`, script }
}

export function basename (path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}
