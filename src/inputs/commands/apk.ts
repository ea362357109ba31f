// apk (Alpine). Pinned means an exact or fuzzy version: `pkg=1.2.3-r0`, `pkg~1.2`, `pkg=~1.2`, `pkg~=1.2`
// (hadolint DL3018 accepts `=` and `~`). Fuzzy `~` holds a version prefix, as apt's `pkg=1.2*` does. Open ranges
// (`pkg>1`, `pkg>=1`, `pkg<2`) are not pinned. `--virtual NAME` names a group: NAME is a flag value, not a package.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs } from './flags.js'
import { endsWithAny, isLocalPath, isUrl, isVariable } from './shapes.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

/** Canonical spellings are the short ones where apk has one: `-U` stands for `--update-cache` and `--update`. */
const APK_FLAGS = defineFlags({
  '--no-cache': [],
  '-U': ['--update-cache', '--update'],
  '-u': ['--upgrade'],
  '-l': ['--latest'],
  '-q': ['--quiet'],
  '-v': ['--verbose'],
  '-i': ['--interactive'],
  '-f': ['--force'],
  '-s': ['--simulate'],
  '-h': ['--help'],
  '-V': ['--version'],
  '--allow-untrusted': [],
  '--no-check-certificate': [],
  '--no-interactive': [],
  '--no-progress': [],
  '--progress': [],
  '--purge': [],
  '--no-scripts': [],
  '--no-network': [],
  '--initdb': [],
  '--usermode': [],
  '--available': [],
  '--clean-protected': [],
  '--force-overwrite': [],
  '--force-refresh': [],
  '--force-broken-world': [],
  '--force-non-repository': [],
  '--force-missing-repositories': [],
  '-t=': ['--virtual'],
  '-X=': ['--repository'],
  '-p=': ['--root'],
  '--arch=': [],
  '--cache-dir=': [],
  '--cache-max-age=': [],
  '--keys-dir=': [],
  '--repositories-file=': [],
  '--progress-fd=': [],
  '--wait=': [],
  '--timeout=': [],
})

// `name[@tag]` then an optional constraint: the operator is the run of `=`, `~`, `<`, `>` after the name.
const CONSTRAINT = /^([^=~<>]+?)([=~<>]+)(.*)$/s
const FIXED: ReadonlySet<string> = new Set(['=', '~', '=~', '~='])

/** Reads an apk command; packages come from `apk add`. */
export function describeApk (raw: RawCommand): CommandSemantics {
  const parsed = parseArgs(raw.args, APK_FLAGS)
  const [subcommand = '', ...operands] = parsed.operands
  const packages = subcommand === 'add' ? operands.flatMap(apkPackage) : []
  return semantics('apk', parsed, { subcommand, operands, packages })
}

/** One apk package argument; [] for `.apk` files, paths, URLs and bare variables. */
export function apkPackage (word: string): PackageRef[] {
  if (word === '' || isVariable(word) || isLocalPath(word) || isUrl(word) || endsWithAny(word, ['.apk'])) return []
  const match = CONSTRAINT.exec(word)
  const target = match?.[1] ?? word
  const operator = match?.[2] ?? ''
  const rest = match?.[3] ?? ''
  // `pkg@edge` takes pkg from the repository tagged edge: a source, not part of the name.
  const at = target.indexOf('@')
  const name = at > 0 ? target.slice(0, at) : target
  const version = operator === '=' ? rest : operator + rest
  return [{ name, version, spec: word, pinned: FIXED.has(operator) && rest !== '' }]
}
