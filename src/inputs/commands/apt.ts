// apt-get and apt (Debian, Ubuntu). Pinned means `pkg=version` (hadolint DL3008); `pkg=1.2*` is pinned too,
// since apt matches the glob against one upstream version. `pkg/bookworm` names a release, not a version:
// unlike DL3008 it is not pinned. Package files (`./x.deb`) and bare variables are operands, not packages.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs } from './flags.js'
import { endsWithAny, isLocalPath, isUrl, isVariable } from './shapes.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

/** Canonical spellings are the short ones where apt has one: `-y` stands for `--yes` and `--assume-yes`. */
const APT_FLAGS = defineFlags({
  '-y': ['--yes', '--assume-yes'],
  '-q': ['--quiet', '--silent'],
  '-d': ['--download-only'],
  '-f': ['--fix-broken'],
  '-m': ['--ignore-missing', '--fix-missing'],
  '-s': ['--simulate', '--just-print', '--dry-run', '--recon', '--no-act'],
  '-u': ['--show-upgraded'],
  '-V': ['--verbose-versions'],
  '-b': ['--compile', '--build'],
  '-h': ['--help'],
  '-v': ['--version'],
  '--no-install-recommends': [],
  '--install-recommends': [],
  '--no-install-suggests': [],
  '--install-suggests': [],
  '--reinstall': [],
  '--purge': [],
  '--auto-remove': ['--autoremove'],
  '--no-upgrade': [],
  '--only-upgrade': [],
  '--allow-unauthenticated': [],
  '--allow-insecure-repositories': [],
  '--allow-downgrades': [],
  '--allow-remove-essential': [],
  '--allow-change-held-packages': [],
  '--force-yes': [],
  '--print-uris': [],
  '-o=': ['--option'],
  '-t=': ['--target-release', '--default-release'],
  '-c=': ['--config-file'],
  '-a=': ['--host-architecture'],
  '-P=': ['--build-profiles'],
})

// Subcommands whose operands are packages to install.
const INSTALLS: ReadonlySet<string> = new Set(['install', 'reinstall'])

/** Reads an apt-get or apt command; `tool` is the program's own name ("apt-get" or "apt"). */
export function describeApt (raw: RawCommand, tool: string): CommandSemantics {
  const parsed = parseArgs(raw.args, APT_FLAGS)
  const [subcommand = '', ...operands] = parsed.operands
  // The quiet level is what makes `-qq` (level 2) imply `-y`; give it as `-q`'s value ("1", "2").
  let flagValues = parsed.values
  const quiet = parsed.counts['-q']
  if (quiet !== undefined && flagValues['-q'] === undefined) flagValues = { ...flagValues, '-q': String(quiet) }
  const packages = INSTALLS.has(subcommand) ? operands.flatMap(aptPackage) : []
  return semantics(tool, parsed, { subcommand, operands, packages, flagValues })
}

/** One apt package argument; [] for package files, paths, URLs and bare variables. */
export function aptPackage (word: string): PackageRef[] {
  if (word === '' || isVariable(word) || isLocalPath(word) || isUrl(word) || endsWithAny(word, ['.deb'])) return []
  const eq = word.indexOf('=')
  const target = eq >= 0 ? word.slice(0, eq) : word
  const version = eq >= 0 ? word.slice(eq + 1) : ''
  // `pkg/release` selects the release to take pkg from; the name is what comes before it.
  const slash = target.indexOf('/')
  const name = slash >= 0 ? target.slice(0, slash) : target
  if (name === '') return []
  return [{ name, version, spec: word, pinned: version !== '' }]
}
