// zypper (openSUSE, SLES). Pinned means `pkg=1.2` or rpm's `pkg-1.2[-release]` (read as rpm.ts reads it).
// hadolint DL3037 also accepts `pkg>=1.2`, `pkg>1.2`, `pkg<1.2`: those are ranges, not pins, so not here.
// zypper has global options (before the subcommand) and command options (after it), and some letters mean
// different things in the two places: global `-n` is `--non-interactive`, `install -n` is `--name`. Global
// letters keep their short canonical spelling; a command letter that clashes with one is canonically long.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs } from './flags.js'
import { splitNameVersion } from './rpm.js'
import { endsWithAny, isLocalPath, isUrl, isVariable } from './shapes.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

const GLOBAL_FLAGS = defineFlags({
  '-n': ['--non-interactive'],
  '-q': ['--quiet'],
  '-v': ['--verbose'],
  '-x': ['--xmlout'],
  '-t': ['--terse'],
  '-i': ['--ignore-unknown'],
  '-h': ['--help'],
  '-V': ['--version'],
  '--no-gpg-checks': [],
  '--gpg-auto-import-keys': [],
  '--no-refresh': [],
  '--no-cd': [],
  '--no-remote': [],
  '--disable-repositories': [],
  '--disable-system-resolvables': [],
  '-s=': ['--table-style'],
  '-R=': ['--root'],
  '-D=': ['--reposd-dir'],
  '-C=': ['--cache-dir'],
  '-c=': ['--config'],
  '-p=': ['--plus-repo'],
  '--userdata=': [],
  '--raw-cache-dir=': [],
  '--solv-cache-dir=': [],
  '--pkg-cache-dir=': [],
  '--installroot=': [],
  '--releasever=': [],
}, { interspersed: false })

const COMMAND_FLAGS = defineFlags({
  '-y': ['--no-confirm'],
  '-l': ['--auto-agree-with-licenses', '--agree-licenses'],
  '-f': ['--force'],
  '-d': ['--download-only'],
  '-a': ['--all'],
  '-m': ['--metadata'],
  '-M': ['--raw-metadata'],
  '-u': ['--clean-deps'],
  '--auto-agree-with-product-licenses': [],
  '--no-recommends': [],
  '--recommends': [],
  '--oldpackage': [],
  '--allow-unsigned-rpm': [],
  '--force-resolution': [],
  '--no-force-resolution': [],
  '--replacefiles': [],
  '--allow-downgrade': [],
  '--allow-vendor-change': [],
  '--no-clean-deps': [],
  '--details': [],
  '--name': ['-n'],
  '--capability': ['-C'],
  '--dry-run': ['-D'],
  '--type=': ['-t'],
  '--repo=': ['-r'],
  '--from=': [],
  '--download=': [],
})

/** Short subcommand spellings, by the full name zypper documents. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['in', 'install'], ['rm', 'remove'], ['up', 'update'], ['dup', 'dist-upgrade'], ['cc', 'clean'],
  ['ref', 'refresh'], ['si', 'source-install'], ['ar', 'addrepo'], ['rr', 'removerepo'], ['mr', 'modifyrepo'],
  ['lr', 'repos'], ['se', 'search'], ['if', 'info'], ['ve', 'verify'], ['inr', 'install-new-recommends'],
  ['lu', 'list-updates'], ['al', 'addlock'], ['rl', 'removelock'], ['pt', 'patterns'], ['pd', 'products'],
])

// `pattern:devel_basis`, `patch:…`, `product:…`: resolvables that are not versioned packages.
const KIND_PREFIX = /^(pattern|patch|product|srcpackage|package):/
const CAPABILITY = /^([^\s=<>!]+)\s*([=<>!]+)\s*(.*)$/s

/** Reads a zypper command; packages come from `install`/`in` when `-t` is absent or `package`. */
export function describeZypper (raw: RawCommand): CommandSemantics {
  const global = parseArgs(raw.args, GLOBAL_FLAGS)
  const [first = '', ...after] = global.operands
  const head = { ...global, operands: [] }
  const parsed = parseArgs(after, COMMAND_FLAGS, head)
  const subcommand = ALIASES.get(first) ?? first
  const kind = parsed.values['--type'] ?? 'package'
  const packages = subcommand === 'install' && kind === 'package' ? parsed.operands.flatMap(zypperPackage) : []
  return semantics('zypper', parsed, { subcommand, packages })
}

/** One zypper package argument; [] for rpm files, paths, URLs, variables and non-package resolvables. */
export function zypperPackage (word: string): PackageRef[] {
  if (word === '' || isVariable(word) || isLocalPath(word) || isUrl(word) || endsWithAny(word, ['.rpm'])) return []
  const kind = KIND_PREFIX.exec(word)
  if (kind !== null && kind[1] !== 'package') return []
  const target = kind === null ? word : word.slice(kind[0].length)
  const capability = CAPABILITY.exec(target)
  if (capability !== null) {
    const [, name = '', operator = '', version = ''] = capability
    const exact = operator === '=' || operator === '=='
    return [{ name, version: exact ? version : operator + version, spec: word, pinned: exact && version !== '' }]
  }
  const split = splitNameVersion(target)
  return [{ ...split, spec: word, pinned: split.version !== '' }]
}
