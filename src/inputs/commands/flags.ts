// The flag tokenizer every family shares. It knows, per tool, which spellings mean the same flag and which
// flags take a value, so that a value (`--virtual .deps`, `-o Dpkg::Options::=…`, `-i https://…`) is never
// read as a package. Flags a spec does not list are kept as written and assumed to take no value.

/** How one tool spells its flags; built once per tool with `defineFlags`. */
export interface FlagSpec {
  /** Canonical spelling by every accepted spelling (the canonical one included). */
  readonly canonical: ReadonlyMap<string, string>
  /** Canonical spellings of the flags that take a value. */
  readonly takesValue: ReadonlySet<string>
  /** Single-dash flags are one letter each and may be clustered (`-fsSL`); false for Go-style `-race`. */
  readonly clusters: boolean
  /** Flags may follow operands (GNU style); false when the first operand ends the flags (Go, python). */
  readonly interspersed: boolean
  /** A `true`/`false` right after a long flag is that flag's value, as npm's option parser reads `--strict-ssl false`. */
  readonly booleanValues: boolean
}

/** Departures from GNU getopt conventions for a tool. */
export interface FlagOptions {
  readonly clusters?: boolean
  readonly interspersed?: boolean
  readonly booleanValues?: boolean
}

/** A tool's arguments split into flags, flag values and operands. */
export interface ParsedArgs {
  /** Canonical flags in order of first appearance, each once. */
  readonly flags: readonly string[]
  /** The last value given to each flag that has one, by canonical flag. */
  readonly values: Readonly<Record<string, string>>
  /** Every value given to each flag, in order, for repeatable flags (`-r a -r b`, `-o X -o Y`). */
  readonly valueLists: Readonly<Record<string, readonly string[]>>
  /** How often each canonical flag was given (`-qq` gives `-q` twice). */
  readonly counts: Readonly<Record<string, number>>
  /** Arguments that are neither flags nor flag values, including those after `--`. */
  readonly operands: readonly string[]
  /** Index in `operands` of the first argument after `--`; `operands.length` when there is no `--`. */
  readonly dashes: number
}

const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['true', 'false'])

/**
 * Builds a spec from a table whose keys are canonical spellings, ending in `=` when the flag takes a value,
 * and whose entries list the other spellings: `{ '-y': ['--yes', '--assume-yes'], '-o=': ['--option'] }`.
 * Throws when a spelling is listed twice: that is a bug in the table, not in the input.
 */
export function defineFlags (table: Readonly<Record<string, readonly string[]>>, options: FlagOptions = {}): FlagSpec {
  const canonical = new Map<string, string>()
  const takesValue = new Set<string>()
  const add = (spelling: string, name: string): void => {
    if (canonical.has(spelling)) throw new Error(`flag spelling ${spelling} is listed twice`)
    canonical.set(spelling, name)
  }
  for (const [key, aliases] of Object.entries(table)) {
    const name = key.endsWith('=') ? key.slice(0, -1) : key
    if (name !== key) takesValue.add(name)
    add(name, name)
    for (const alias of aliases) add(alias, name)
  }
  return {
    canonical,
    takesValue,
    clusters: options.clusters ?? true,
    interspersed: options.interspersed ?? true,
    booleanValues: options.booleanValues ?? false,
  }
}

/** Splits arguments by a spec; `before` (from an earlier call, such as a tool's global options) is carried on. */
export function parseArgs (args: readonly string[], spec: FlagSpec, before?: ParsedArgs): ParsedArgs {
  const out = new Collector(before)
  const words = new Cursor(args)
  for (let arg = words.take(); arg !== undefined; arg = words.take()) {
    if (arg === '--') {
      out.endFlags(words.rest())
      break
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      out.operand(arg)
      if (!spec.interspersed) {
        out.operands(words.rest())
        break
      }
      continue
    }
    if (arg.startsWith('--') || !spec.clusters || spec.canonical.has(arg)) readWhole(arg, spec, out, words)
    else readCluster(arg, spec, out, words)
  }
  return out.result()
}

// `--name`, `--name=value`, `--name value`; also Go's `-name` and exact multi-letter short spellings (`-nv`).
function readWhole (arg: string, spec: FlagSpec, out: Collector, words: Cursor): void {
  const eq = arg.indexOf('=')
  let name = eq > 0 ? arg.slice(0, eq) : arg
  let value = eq > 0 ? arg.slice(eq + 1) : undefined
  // Go's flag package reads `--flag` as `-flag`.
  if (!spec.clusters && name.startsWith('--')) name = name.slice(1)
  const flag = spec.canonical.get(name) ?? name
  if (value === undefined && spec.takesValue.has(flag)) value = words.take()
  else if (value === undefined && spec.booleanValues && name.startsWith('--') && BOOLEAN_WORDS.has(words.peek() ?? '')) value = words.take()
  out.flag(flag, value)
}

// `-fsSL`, `-qy`, `-u10001`, `-q=2`: getopt's reading, where the first letter that takes a value takes the rest.
function readCluster (arg: string, spec: FlagSpec, out: Collector, words: Cursor): void {
  const eq = arg.indexOf('=')
  if (eq > 1) {
    const head = spec.canonical.get(arg.slice(0, eq))
    if (head !== undefined) {
      out.flag(head, arg.slice(eq + 1))
      return
    }
  }
  for (let k = 1; k < arg.length; k++) {
    const letter = '-' + arg.charAt(k)
    const flag = spec.canonical.get(letter) ?? letter
    if (spec.takesValue.has(flag)) {
      const attached = arg.slice(k + 1)
      out.flag(flag, attached === '' ? words.take() : attached)
      return
    }
    out.flag(flag, undefined)
  }
}

class Cursor {
  private index = 0
  constructor (private readonly words: readonly string[]) {}
  peek (): string | undefined { return this.words[this.index] }
  take (): string | undefined { return this.words[this.index++] }
  rest (): readonly string[] {
    const rest = this.words.slice(this.index)
    this.index = this.words.length
    return rest
  }
}

class Collector {
  private readonly flags: string[]
  private readonly values: Record<string, string>
  private readonly valueLists: Record<string, string[]> = {}
  private readonly counts: Record<string, number>
  private readonly words: string[]
  private dashes = -1

  constructor (before?: ParsedArgs) {
    this.flags = [...(before?.flags ?? [])]
    this.values = { ...before?.values }
    for (const [flag, list] of Object.entries(before?.valueLists ?? {})) this.valueLists[flag] = [...list]
    this.counts = { ...before?.counts }
    this.words = [...(before?.operands ?? [])]
    if (before !== undefined && before.dashes < before.operands.length) this.dashes = before.dashes
  }

  flag (flag: string, value: string | undefined): void {
    const count = this.counts[flag] ?? 0
    if (count === 0) this.flags.push(flag)
    this.counts[flag] = count + 1
    if (value === undefined) return
    this.values[flag] = value
    const list = this.valueLists[flag]
    if (list === undefined) this.valueLists[flag] = [value]
    else list.push(value)
  }

  operand (word: string): void {
    this.words.push(word)
  }

  operands (words: readonly string[]): void {
    this.words.push(...words)
  }

  endFlags (words: readonly string[]): void {
    if (this.dashes < 0) this.dashes = this.words.length
    this.words.push(...words)
  }

  result (): ParsedArgs {
    return {
      flags: this.flags,
      values: this.values,
      valueLists: this.valueLists,
      counts: this.counts,
      operands: this.words,
      dashes: this.dashes < 0 ? this.words.length : this.dashes,
    }
  }
}
