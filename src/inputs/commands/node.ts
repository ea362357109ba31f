// npm, yarn and pnpm. Pinned means an exact version after `@`: `express@4.19.2`, `@scope/pkg@1.2.3`.
// hadolint DL3016 accepts any `@` (tags such as `@latest`, ranges such as `@^4` or `@">=0.1.0"`); a tag moves
// and a range is what npm installs by default, so neither is pinned here. Git sources (`git+https://…`,
// `github:user/repo`, `user/repo`) are packages, pinned by an exact `#ref`. Tarballs, paths and plain URLs are
// operands but name no package (DL3016 exempts them too), and a bare `npm install` names none.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs, type FlagSpec } from './flags.js'
import { endsWithAny, isLocalPath, isUrl, isVariable } from './shapes.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

// Every tool reads `--flag true|false` as npm's option parser does, so `--strict-ssl false` is a flag value.
const NODE = { booleanValues: true }

/** npm's short spellings are canonical: `-g` for `--global`, `-D` for `--save-dev`, `-C` for `--prefix`. */
const NPM_FLAGS = defineFlags({
  '-g': ['--global'],
  '-D': ['--save-dev'],
  '-S': ['--save'],
  '-E': ['--save-exact'],
  '-O': ['--save-optional'],
  '-P': ['--save-prod'],
  '-B': ['--save-bundle'],
  '-f': ['--force'],
  '-q': ['--quiet'],
  '-s': ['--silent'],
  '-h': ['--help'],
  '-v': ['--version'],
  '--no-save': [],
  '--production': [],
  '--ignore-scripts': [],
  '--legacy-peer-deps': [],
  '--no-audit': [],
  '--no-fund': [],
  '--no-optional': [],
  '--unsafe-perm': [],
  '--prefer-offline': [],
  '--offline': [],
  '--no-package-lock': [],
  '--dry-run': [],
  '--strict-ssl': [],
  '-w=': ['--workspace'],
  '-C=': ['--prefix'],
  '--registry=': [],
  '--cache=': [],
  '--loglevel=': [],
  '--tag=': [],
  '--omit=': [],
  '--include=': [],
  '--only=': [],
  '--userconfig=': [],
  '--install-strategy=': [],
  '--before=': [],
  '--save-prefix=': [],
  '--cafile=': [],
  '--proxy=': [],
  '--https-proxy=': [],
  '--fetch-retries=': [],
  '--fetch-timeout=': [],
  '--audit-level=': [],
  '--location=': [],
}, NODE)

/** yarn's short spellings are canonical: `-D` for `--dev`, `-E` for `--exact`. */
const YARN_FLAGS = defineFlags({
  '-D': ['--dev'],
  '-P': ['--peer'],
  '-O': ['--optional'],
  '-E': ['--exact'],
  '-T': ['--tilde'],
  '-W': ['--ignore-workspace-root-check'],
  '-s': ['--silent'],
  '-h': ['--help'],
  '-v': ['--version'],
  '--frozen-lockfile': [],
  '--immutable': [],
  '--production': ['--prod'],
  '--pure-lockfile': [],
  '--no-lockfile': [],
  '--ignore-engines': [],
  '--ignore-scripts': [],
  '--ignore-optional': [],
  '--non-interactive': [],
  '--check-files': [],
  '--force': [],
  '--no-progress': [],
  '--prefer-offline': [],
  '--offline': [],
  '--verbose': [],
  '--json': [],
  '--strict-ssl': [],
  '--network-timeout=': [],
  '--cache-folder=': [],
  '--modules-folder=': [],
  '--global-folder=': [],
  '--link-folder=': [],
  '--registry=': [],
  '--mutex=': [],
  '--prefix=': [],
  '--cwd=': [],
  '--use-yarnrc=': [],
  '--network-concurrency=': [],
  '--child-concurrency=': [],
  '--proxy=': [],
  '--https-proxy=': [],
  '--cafile=': [],
  '--ca=': [],
  '--mode=': [],
}, NODE)

/** pnpm's short spellings are canonical: `-g` for `--global`, `-F` for `--filter`, `-C` for `--dir`. */
const PNPM_FLAGS = defineFlags({
  '-g': ['--global'],
  '-D': ['--save-dev'],
  '-P': ['--save-prod', '--prod', '--production'],
  '-O': ['--save-optional'],
  '-E': ['--save-exact'],
  '-w': ['--workspace-root'],
  '-r': ['--recursive'],
  '-s': ['--silent'],
  '-h': ['--help'],
  '-v': ['--version'],
  '--frozen-lockfile': [],
  '--no-frozen-lockfile': [],
  '--prefer-offline': [],
  '--offline': [],
  '--ignore-scripts': [],
  '--no-optional': [],
  '--shamefully-hoist': [],
  '--lockfile-only': [],
  '--fix-lockfile': [],
  '--force': [],
  '--strict-ssl': [],
  '-F=': ['--filter'],
  '-C=': ['--dir'],
  '--store-dir=': [],
  '--virtual-store-dir=': [],
  '--modules-dir=': [],
  '--lockfile-dir=': [],
  '--reporter=': [],
  '--registry=': [],
  '--network-concurrency=': [],
  '--child-concurrency=': [],
  '--package-import-method=': [],
}, NODE)

/** npm's many spellings of install (typos included: npm accepts `isntall`), ci and uninstall. */
const NPM_ALIASES: ReadonlyMap<string, string> = new Map([
  ...['i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add'].map((s): [string, string] => [s, 'install']),
  ...['clean-install', 'ic', 'install-clean', 'isntall-clean'].map((s): [string, string] => [s, 'ci']),
  ...['unlink', 'remove', 'rm', 'r', 'un'].map((s): [string, string] => [s, 'uninstall']),
  ['it', 'install-test'], ['up', 'update'], ['upgrade', 'update'],
])
const PNPM_ALIASES: ReadonlyMap<string, string> = new Map([['i', 'install'], ['rm', 'remove'], ['up', 'update']])

interface NodeTool {
  readonly flags: FlagSpec
  readonly aliases: ReadonlyMap<string, string>
  /** Subcommands whose operands are packages. */
  readonly installs: ReadonlySet<string>
}

const TOOLS: Readonly<Record<'npm' | 'yarn' | 'pnpm', NodeTool>> = {
  npm: { flags: NPM_FLAGS, aliases: NPM_ALIASES, installs: new Set(['install']) },
  yarn: { flags: YARN_FLAGS, aliases: new Map(), installs: new Set(['add', 'global add', 'install']) },
  pnpm: { flags: PNPM_FLAGS, aliases: PNPM_ALIASES, installs: new Set(['add', 'install']) },
}

const GIT_SOURCE = /^(?:git\+[a-z]+:\/\/|git:\/\/|github:|gitlab:|bitbucket:|gist:)/i
const TARBALLS: readonly string[] = ['.tgz', '.tar.gz', '.tar']
// semver's exact form; a leading `=` or `v` is allowed by npm and still exact.
const EXACT_VERSION = /^[=v]?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/
const GIT_SUFFIX = /\.git$/

/**
 * Reads an npm, yarn or pnpm command. yarn's `global` takes an action word: `yarn global add x` has subcommand
 * "global add". A bare `yarn` (flags only) runs an install, so its subcommand is "install".
 */
export function describeNode (raw: RawCommand, tool: 'npm' | 'yarn' | 'pnpm'): CommandSemantics {
  const { flags, aliases, installs } = TOOLS[tool]
  const parsed = parseArgs(raw.args, flags)
  const [first = '', ...rest] = parsed.operands
  let operands = rest
  let subcommand = aliases.get(first) ?? first
  if (tool === 'yarn' && subcommand === 'global' && operands[0] !== undefined) {
    subcommand = `global ${operands[0]}`
    operands = operands.slice(1)
  }
  if (tool === 'yarn' && parsed.operands.length === 0) subcommand = 'install'
  const packages = installs.has(subcommand) ? operands.flatMap(nodePackage) : []
  return semantics(tool, parsed, { subcommand, operands, packages })
}

/** One npm/yarn/pnpm package argument; [] for tarballs, paths, plain URLs and bare variables. */
export function nodePackage (word: string): PackageRef[] {
  if (word === '' || isVariable(word)) return []
  if (GIT_SOURCE.test(word)) return [gitPackage(word)]
  if (isUrl(word) || isLocalPath(word) || endsWithAny(word, TARBALLS)) return []
  const at = word.indexOf('@', 1)
  const name = at > 0 ? word.slice(0, at) : word
  const version = at > 0 ? word.slice(at + 1) : ''
  // `user/repo` without a scope is GitHub shorthand.
  if (!name.startsWith('@') && name.includes('/')) return [gitPackage(word)]
  return [{ name, version, spec: word, pinned: isExact(version) }]
}

// An exact version, or an alias to one (`npm:react@18.2.0`), or a variable taken to hold one.
function isExact (version: string): boolean {
  if (version.startsWith('npm:')) return isExact(version.slice(version.lastIndexOf('@') + 1))
  return EXACT_VERSION.test(version) || version.startsWith('$')
}

// `git+https://host/user/repo.git#v1.0.27`, `github:user/repo#semver:1.2.3`: pinned by an exact ref.
function gitPackage (word: string): PackageRef {
  const hash = word.indexOf('#')
  const base = hash >= 0 ? word.slice(0, hash) : word
  const ref = hash >= 0 ? word.slice(hash + 1) : ''
  const name = base.slice(Math.max(base.lastIndexOf('/'), base.lastIndexOf(':')) + 1).replace(GIT_SUFFIX, '')
  const pinned = ref.startsWith('semver:') ? isExact(ref.slice('semver:'.length)) : ref !== ''
  return { name, version: ref, spec: word, pinned }
}
