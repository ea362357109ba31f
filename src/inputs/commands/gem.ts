// gem (RubyGems). Pinned means an exact version, written `name:1.2.3` or given by `-v`/`--version` (which
// applies to the gems named without one). hadolint DL3028 accepts any `-v`; a requirement such as
// `-v '~> 2.0'` or `name:'>= 1'` is a range and not pinned here. Arguments after `--` are build options for
// native extensions, not gems. `.gem` files are operands but name no package.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs } from './flags.js'
import { endsWithAny, isLocalPath, isUrl, isVariable } from './shapes.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

/** gem's short spellings are canonical: `-v` for `--version`, `-N` for `--no-document`. */
const GEM_FLAGS = defineFlags({
  '-v=': ['--version'],
  '-i=': ['--install-dir'],
  '-n=': ['--bindir'],
  '-s=': ['--source'],
  '-P=': ['--trust-policy'],
  '-B=': ['--bulk-threshold'],
  '-p=': ['--http-proxy'],
  '-g=': ['--file'],
  '--platform=': [],
  '--document=': [],
  '--build-root=': [],
  '--without=': [],
  '--config-file=': [],
  '-N': ['--no-document', '--no-doc'],
  '-E': ['--env-shebang'],
  '-f': ['--force'],
  '-w': ['--wrappers'],
  '-l': ['--local'],
  '-r': ['--remote'],
  '-b': ['--both'],
  '-q': ['--quiet'],
  '-V': ['--verbose'],
  '-h': ['--help'],
  '--no-ri': [],
  '--no-rdoc': [],
  '--ignore-dependencies': [],
  '--conservative': [],
  '--minimal-deps': [],
  '--user-install': [],
  '--no-user-install': [],
  '--development': [],
  '--prerelease': [],
  '--clear-sources': [],
  '--default': [],
  '--norc': [],
}, { booleanValues: true })

const ALIASES: ReadonlyMap<string, string> = new Map([['i', 'install']])
// RubyGems reads a bare version as `= version`; an optional leading `=` is still exact.
const EXACT_VERSION = /^(?:=\s*)?\d+(?:\.[0-9A-Za-z]+)*$/

/** Reads a gem command; packages come from `gem install` / `gem i`. */
export function describeGem (raw: RawCommand): CommandSemantics {
  const parsed = parseArgs(raw.args, GEM_FLAGS)
  const named = parsed.operands.slice(0, parsed.dashes)
  const [first = '', ...operands] = named
  const subcommand = ALIASES.get(first) ?? first
  const version = parsed.values['-v'] ?? ''
  const packages = subcommand === 'install' ? operands.flatMap((word) => gemPackage(word, version)) : []
  return semantics('gem', parsed, { subcommand, operands, packages })
}

/** One gem argument, with the `-v` value that applies when it names no version of its own. */
export function gemPackage (word: string, flagVersion: string): PackageRef[] {
  if (word === '' || isVariable(word) || isLocalPath(word) || isUrl(word) || endsWithAny(word, ['.gem'])) return []
  const colon = word.indexOf(':')
  const name = colon > 0 ? word.slice(0, colon) : word
  const version = colon > 0 ? word.slice(colon + 1) : flagVersion
  return [{ name, version, spec: word, pinned: EXACT_VERSION.test(version) || version.startsWith('$') }]
}
