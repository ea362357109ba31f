// yum, dnf (dnf5 and dnf-3 included), microdnf and tdnf (Photon, Azure Linux; dnf's options and subcommands, its own
// tool name since its cache is /var/cache/tdnf): one family, one flag table. Pinned means
// `name-version[-release]` (hadolint DL3033, DL3041) or a `name = version` capability. Which dash starts the
// version cannot be known without the repository, so a version must start with a digit and contain `.` or `:`
// (or a glob `*`, or be a variable), and a release after it must start with a digit: `gcc-c++-1.1.1` and
// `openssl-1:1.1.1k` are pinned; `java-11-openjdk`, `gcc-toolset-12` and `rpm-sign` are names.
// `module install name:stream` is pinned by its stream; group installs have no versions and name no packages.
// rpm itself is read here too: its mode (`-i`, `-U`, `-e`, `-q`…) is the subcommand, and it names no packages.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs } from './flags.js'
import { endsWithAny, isLocalPath, isUrl, isVariable } from './shapes.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

/** Canonical spellings are the short ones where the tool has one: `-y` stands for `--assumeyes`. */
const RPM_FLAGS = defineFlags({
  '-y': ['--assumeyes'],
  '--assumeno': [],
  '-q': ['--quiet'],
  '-v': ['--verbose'],
  '-C': ['--cacheonly'],
  '-h': ['--help'],
  '--version': [],
  '--nodocs': [],
  '--nogpgcheck': ['--no-gpgchecks'],
  '--skipsignature': [], // tdnf
  '--skipdigest': [], // tdnf
  '--best': [],
  '--nobest': ['--no-best'],
  '--allowerasing': [],
  '--skip-broken': [],
  '--refresh': [],
  '--downloadonly': [],
  '--noplugins': [],
  '--noautoremove': [],
  '--obsoletes': [],
  '--showduplicates': [],
  '--security': [],
  '--bugfix': [],
  '--setopt=': [],
  '--enablerepo=': [],
  '--disablerepo=': [],
  '--repo=': ['--repoid'],
  '--releasever=': [],
  '--installroot=': [],
  '--disableexcludes=': [],
  '--disableplugin=': [],
  '--enableplugin=': [],
  '--forcearch=': [],
  '--downloaddir=': ['--destdir'],
  '--advisory=': ['--advisories'],
  '--color=': [],
  '--rpmverbosity=': [],
  '-c=': ['--config'],
  '-d=': ['--debuglevel'],
  '-e=': ['--errorlevel'],
  '-x=': ['--exclude'],
})

/** Short and legacy subcommand spellings, by the full one dnf documents. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['in', 'install'], ['rei', 'reinstall'], ['rm', 'remove'], ['erase', 'remove'], ['up', 'upgrade'],
  ['mc', 'makecache'], ['dg', 'downgrade'], ['if', 'info'], ['ls', 'list'], ['se', 'search'],
  ['grp', 'group'], ['groups', 'group'],
  ['groupinstall', 'group install'], ['groupremove', 'group remove'], ['grouplist', 'group list'],
  ['groupinfo', 'group info'], ['groupupdate', 'group upgrade'], ['groupupgrade', 'group upgrade'],
])

// `module` and `group` take an action word; the pair is the subcommand ("module install", "group install").
const NAMESPACES: ReadonlySet<string> = new Set(['module', 'group'])
const INSTALLS: ReadonlySet<string> = new Set(['install', 'localinstall'])

const CAPABILITY = /^([^\s=<>!]+)\s*([=<>!]+)\s*(.*)$/s
const VERSION_RELEASE = /^(?:\d+:)?\d[A-Za-z0-9._+~^*:]*(?:-\d[A-Za-z0-9._+~^*]*)?$/
const VERSION_MARK = /[.:*]/

/** Reads a yum, dnf, microdnf or tdnf command; `tool` is the family name ("yum", "dnf", "microdnf", "tdnf"). */
export function describeRpm (raw: RawCommand, tool: string): CommandSemantics {
  const parsed = parseArgs(raw.args, RPM_FLAGS)
  const [first = '', ...rest] = parsed.operands
  let operands = rest
  let subcommand = ALIASES.get(first) ?? first
  if (NAMESPACES.has(subcommand) && operands[0] !== undefined) {
    subcommand = `${subcommand} ${operands[0]}`
    operands = operands.slice(1)
  }
  let packages: PackageRef[] = []
  if (INSTALLS.has(subcommand)) packages = operands.flatMap(rpmPackage)
  else if (subcommand === 'module install') packages = operands.flatMap(modulePackage)
  return semantics(tool, parsed, { subcommand, operands, packages })
}

/** One package argument of `install`; `@name:stream` is a module, `@name` a group (no package). */
export function rpmPackage (word: string): PackageRef[] {
  if (word === '' || isVariable(word) || isLocalPath(word) || isUrl(word) || endsWithAny(word, ['.rpm'])) return []
  if (word.startsWith('@')) return word.includes(':') ? modulePackage(word.slice(1)).map((p) => ({ ...p, spec: word })) : []
  const capability = CAPABILITY.exec(word)
  if (capability !== null) {
    const [, name = '', operator = '', version = ''] = capability
    const exact = operator === '=' || operator === '=='
    return [{ name, version: exact ? version : operator + version, spec: word, pinned: exact && version !== '' }]
  }
  const split = splitNameVersion(word)
  return [{ ...split, spec: word, pinned: split.version !== '' }]
}

/**
 * Splits `name-version[-release]` at the first dash after which a version follows; version "" when none does.
 * Shared with zypper, which reads the same rpm names.
 */
export function splitNameVersion (word: string): { name: string, version: string } {
  for (let dash = word.indexOf('-'); dash > 0; dash = word.indexOf('-', dash + 1)) {
    const rest = word.slice(dash + 1)
    // A variable after the dash (`git-core-${version}`) is taken to hold the version.
    if (rest.startsWith('$') || (VERSION_RELEASE.test(rest) && VERSION_MARK.test(rest.split('-', 1)[0] as string))) {
      return { name: word.slice(0, dash), version: rest }
    }
  }
  return { name: word, version: '' }
}

// `name:stream[:version[:context[:arch]]][/profile]`: pinned by its stream.
function modulePackage (word: string): PackageRef[] {
  if (word === '' || isVariable(word)) return []
  const slash = word.indexOf('/')
  const module = slash >= 0 ? word.slice(0, slash) : word
  const colon = module.indexOf(':')
  const name = colon >= 0 ? module.slice(0, colon) : module
  const stream = colon >= 0 ? module.slice(colon + 1) : ''
  return [{ name, version: stream, spec: word, pinned: stream !== '' }]
}

/** rpm's own flags: the modes, the options that take a value, and the checks an install can skip. */
const RPM_TOOL_FLAGS = defineFlags({
  '-i': ['--install'],
  '-U': ['--upgrade'],
  '-F': ['--freshen'],
  '--reinstall': [],
  '-e': ['--erase'],
  '-q': ['--query'],
  '-V': ['--verify'],
  '-K': ['--checksig'],
  '--import': [],
  '-v': ['--verbose'],
  '-h': ['--hash'],
  '--nodeps': [],
  '--nosignature': [],
  '--nodigest': [],
  '--nofiledigest': [],
  '--noverify': [],
  '--force': [],
  '--excludedocs': [],
  '--justdb': [],
  '--test': [],
  '-D=': ['--define'],
  '-r=': ['--root'],
  '--dbpath=': [],
  '--prefix=': [],
  '--relocate=': [],
  '--excludepath=': [],
  '--queryformat=': ['--qf'],
  '--rcfile=': [],
})

/** The mode each mode flag selects; the first one given wins (in `rpm -qi`, `-i` is query's --info). */
const MODES: ReadonlyMap<string, string> = new Map([
  ['-i', 'install'], ['-U', 'upgrade'], ['-F', 'freshen'], ['--reinstall', 'reinstall'], ['-e', 'erase'],
  ['-q', 'query'], ['-V', 'verify'], ['-K', 'checksig'], ['--import', 'import'],
])

/** Reads an rpm command: its mode is the subcommand ("install", "upgrade", "erase", "query"…), files are operands. */
export function describeRpmTool (raw: RawCommand): CommandSemantics {
  const parsed = parseArgs(raw.args, RPM_TOOL_FLAGS)
  const mode = parsed.flags.find((flag) => MODES.has(flag))
  return semantics('rpm', parsed, { subcommand: mode === undefined ? '' : MODES.get(mode) as string })
}
