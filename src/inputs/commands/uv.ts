// uv (and uvx, its `uv tool run`): its own tool, not pip. uv keeps its own cache (~/.cache/uv, `--no-cache`,
// UV_NO_CACHE, UV_CACHE_DIR), reads its own flags (`--python-preference system` is a flag and its value, not a
// package) and has commands of one word (`uv sync`, `uv add`) and of two (`uv pip install`, `uv tool install`,
// `uv cache clean`): the subcommand is the words as one string, as yarn's "global add".
//
// Packages come from `uv pip install`, `uv add` (PEP 508, read as pip reads them) and `uv tool install` (also
// `name@version`); requirement files from `-r`/`-c` (`uv pip install`, `uv add`), the operands of
// `uv pip sync`/`uv pip compile`, and `--with-requirements` (`uv tool install`).
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs, type ParsedArgs } from './flags.js'
import { isVariable } from './shapes.js'
import { pipPackage } from './pip.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

/**
 * uv's short spellings are canonical where it has one (`-r`, `-c`, `-e`, `-p`, `-U`…), else the long one; but
 * `--no-cache` (`-n`, and `--no-cache-dir`, uv's own alias) keeps its long name, which says what it does, and
 * `--trusted-host` is the spelling pip users know for `--allow-insecure-host`, so that one rule reads both tools.
 */
const TABLE: Readonly<Record<string, readonly string[]>> = {
  // Global options.
  '--no-cache': ['-n', '--no-cache-dir'],
  '--cache-dir=': [],
  '--directory=': [],
  '--project=': [],
  '--config-file=': [],
  '--color=': [],
  '--trusted-host=': ['--allow-insecure-host'],
  '--python-preference=': [],
  '-q': ['--quiet'],
  '-v': ['--verbose'],
  '-h': ['--help'],
  '-V': ['--version'],
  '--offline': [],
  '--no-progress': [],
  '--native-tls': [],
  '--no-config': [],
  '--managed-python': [],
  '--no-managed-python': [],
  '--no-python-downloads': [],
  // Sources and resolution.
  '-r=': ['--requirements', '--requirement'],
  '-c=': ['--constraints', '--constraint'],
  '-b=': ['--build-constraints', '--build-constraint'],
  '-e=': ['--editable'],
  '-p=': ['--python'],
  '-t=': ['--target'],
  '-o=': ['--output-file'],
  '-i=': ['--index-url'],
  '-f=': ['--find-links'],
  '-P=': ['--upgrade-package'],
  '-C=': ['--config-setting', '--config-settings'],
  '--overrides=': ['--override'],
  '--excludes=': ['--exclude'],
  '--prefix=': [],
  '--index=': [],
  '--default-index=': [],
  '--extra-index-url=': [],
  '--index-strategy=': [],
  '--keyring-provider=': [],
  '--resolution=': [],
  '--prerelease=': [],
  '--fork-strategy=': [],
  '--exclude-newer=': [],
  '--exclude-newer-package=': [],
  '--link-mode=': [],
  '--reinstall-package=': [],
  '--refresh-package=': [],
  '--no-binary=': [],
  '--only-binary=': [],
  '--no-build-package=': [],
  '--no-binary-package=': [],
  '--no-build-isolation-package=': [],
  '--config-settings-package=': [],
  '--python-version=': [],
  '--python-platform=': [],
  '--torch-backend=': [],
  '--no-emit-package=': [],
  '--extra=': [],
  '--group=': [],
  '--only-group=': [],
  '--no-group=': [],
  '--package=': [],
  '--with=': [],
  '--with-editable=': [],
  '--with-requirements=': [],
  '--from=': [],
  '--prompt=': [],
  '--optional=': [],
  '--bounds=': [],
  '--rev=': [],
  '--tag=': [],
  '--branch=': [],
  '--env-file=': [],
  '--script=': [],
  '--output-format=': [],
  '--format=': [],
  // Switches.
  '-U': ['--upgrade'],
  '--reinstall': ['--force-reinstall'],
  '--compile-bytecode': ['--compile'],
  '--system': [],
  '--break-system-packages': [],
  '--user': [],
  '--no-deps': [],
  '--no-index': [],
  '--require-hashes': [],
  '--no-build-isolation': [],
  '--no-build': [],
  '--pre': [],
  '--refresh': [],
  '--strict': [],
  '--exact': [],
  '--dry-run': [],
  '--all-extras': [],
  '--all-groups': [],
  '--all-packages': [],
  '--no-dev': [],
  '--dev': [],
  '--frozen': [],
  '--locked': [],
  '--no-install-project': [],
  '--no-install-workspace': [],
  '--no-editable': [],
  '--no-sources': [],
  '--inexact': [],
  '--active': [],
  '--no-sync': [],
  '--isolated': [],
  '--seed': [],
  '--force': [],
  '--raw': [],
  '--ci': [],
  '--all': [],
}

const FLAGS = defineFlags(TABLE)
// Up to the first operand only: for the words before the command, and for `uv run`/`uvx`, whose arguments after
// the command belong to the command.
const LEADING = defineFlags(TABLE, { interspersed: false })

/** Commands whose first operand is an action: `uv pip install`, `uv tool run`, `uv cache clean`. */
const GROUPS: ReadonlySet<string> = new Set(['pip', 'tool', 'python', 'cache', 'self', 'auth', 'workspace'])
const ALIASES: ReadonlyMap<string, string> = new Map([['clean', 'cache clean'], ['tool add', 'tool install']])
const RUNS: ReadonlySet<string> = new Set(['run', 'tool run'])

/** Reads a uv command; `uvx …` is read as `uv tool run …`. */
export function describeUv (raw: RawCommand): CommandSemantics {
  const head = parseArgs(raw.args, LEADING)
  const uvx = raw.program === 'uvx'
  let [command = '', ...rest] = uvx ? ['tool run', ...head.operands] : head.operands
  let before: ParsedArgs = { ...head, operands: [], dashes: 0 }
  if (!uvx && GROUPS.has(command)) {
    const group = parseArgs(rest, LEADING, before)
    const [action = '', ...after] = group.operands
    command = action === '' ? command : `${command} ${action}`
    rest = after
    before = { ...group, operands: [], dashes: 0 }
  }
  const subcommand = ALIASES.get(command) ?? command
  const parsed = parseArgs(rest, RUNS.has(subcommand) ? LEADING : FLAGS, before)
  const operands = parsed.operands
  const lists = parsed.valueLists
  const fileFlags = [...(lists['-r'] ?? []), ...(lists['-c'] ?? [])]
  let packages: PackageRef[] = []
  let requirementFiles: readonly string[] = []
  if (subcommand === 'pip install' || subcommand === 'add') {
    packages = operands.flatMap(pipPackage)
    requirementFiles = fileFlags
  } else if (subcommand === 'pip sync' || subcommand === 'pip compile') {
    requirementFiles = [...operands, ...(lists['-c'] ?? [])]
  } else if (subcommand === 'tool install') {
    packages = operands.slice(0, 1).flatMap(toolPackage)
    requirementFiles = lists['--with-requirements'] ?? []
  }
  return semantics('uv', parsed, { subcommand, operands, packages, requirementFiles })
}

// `ruff`, `ruff==0.5.0`, `ruff@0.5.0` (uv's shorthand for ==) and `ruff@latest` (which is not a pin).
function toolPackage (word: string): PackageRef[] {
  const at = word.indexOf('@')
  if (at <= 0 || isVariable(word) || word.includes('://')) return pipPackage(word)
  const name = word.slice(0, at)
  const version = word.slice(at + 1).trim()
  if (version.startsWith('git+') || version.includes('/')) return pipPackage(word)
  return [{ name, version, spec: word, pinned: version !== '' && version !== 'latest' && !version.includes('*') }]
}
