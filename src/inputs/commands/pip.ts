// pip in every spelling: pip, pip3, pip3.12, pip-3.12, /opt/venv/bin/pip, python -m pip, python3.12 -m pip.
// All are tool "pip"; `uv pip` is uv's (uv.ts), and pipx, pipenv, pip-compile, pip-sync and `python -m pipx` are
// other tools.
//
// Pinned means `==version` (no `*`) or `===version`. hadolint DL3013 accepts any operator (`>=`, `~=`, `!=`):
// those are ranges and are not pinned here. As in DL3013, local projects (`.`, `./pkg`, `foo/bar`), archives
// and wheels (`.whl`, `.tar.gz`, `.zip`) and plain URLs are operands but name no package; VCS requirements
// (`git+https://…/repo.git@v1.0#egg=name`) are packages, pinned when they name a ref after `@`. `-e`/`--editable`
// values are flag values, and requirement and constraint files (`-r`, `-c`) go to requirementFiles.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs, type ParsedArgs } from './flags.js'
import { endsWithAny, isLocalPath, isUrl, isVariable } from './shapes.js'
import { NOTHING, semantics, type CommandSemantics, type RawCommand } from './types.js'

/**
 * pip's own short spellings are canonical (`-r`, `-c`, `-e`, `-i`, `-U`). pip accepts `--no-cache` as an
 * abbreviation of `--no-cache-dir`. `--group` (pip 25.1) names a dependency group of pyproject.toml.
 */
const PIP_FLAGS = defineFlags({
  '-r=': ['--requirement', '--requirements'],
  '-c=': ['--constraint', '--constraints'],
  '-e=': ['--editable'],
  '-i=': ['--index-url'],
  '-f=': ['--find-links'],
  '-t=': ['--target'],
  '-d=': ['--dest', '--destination-directory'],
  '-w=': ['--wheel-dir'],
  '-b=': ['--build'],
  '-C=': ['--config-settings', '--config-setting'],
  '--extra-index-url=': [],
  '--trusted-host=': [],
  '--group=': [],
  '--prefix=': [],
  '--root=': [],
  '--src=': [],
  '--python=': ['-p'],
  '--cert=': [],
  '--client-cert=': [],
  '--cache-dir=': [],
  '--proxy=': [],
  '--retries=': [],
  '--timeout=': [],
  '--exists-action=': [],
  '--log=': [],
  '--platform=': [],
  '--python-version=': [],
  '--implementation=': [],
  '--abi=': [],
  '--no-binary=': [],
  '--only-binary=': [],
  '--upgrade-strategy=': [],
  '--progress-bar=': [],
  '--root-user-action=': [],
  '--report=': [],
  '--global-option=': [],
  '--install-option=': [],
  '--keyring-provider=': [],
  '--use-feature=': [],
  '--use-deprecated=': [],
  '--index-strategy=': [],
  '--link-mode=': [],
  '--override=': [],
  '--upgrade-package=': ['-P'],
  '--format=': [],
  '-U': ['--upgrade'],
  '-I': ['--ignore-installed'],
  '-q': ['--quiet'],
  '-v': ['--verbose'],
  '-y': ['--yes'],
  '-h': ['--help'],
  '-V': ['--version'],
  '--no-cache-dir': ['--no-cache'],
  '--compile': ['--compile-bytecode'],
  '--user': [],
  '--system': [],
  '--break-system-packages': [],
  '--require-hashes': [],
  '--no-deps': [],
  '--pre': [],
  '--force-reinstall': [],
  '--reinstall': [],
  '--no-build-isolation': [],
  '--no-index': [],
  '--isolated': [],
  '--no-input': [],
  '--disable-pip-version-check': [],
  '--no-warn-script-location': [],
  '--no-compile': [],
  '--dry-run': [],
  '--prefer-binary': [],
  '--no-color': [],
})

// Subcommands whose operands are requirement specifiers.
const INSTALLS: ReadonlySet<string> = new Set(['install', 'download', 'wheel'])
const PACKAGE_FILES: readonly string[] = ['.whl', '.tar.gz', '.tgz', '.tar.bz2', '.tar.xz', '.tar', '.zip']

// PEP 508: a name, optional [extras], then a version specifier; environment markers after `;` are dropped.
const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*([^;]*)/s
const SPECIFIER = /^(?:[=!~<>]=?|===)[^=!~<>]/
const DIRECT_REFERENCE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@\s*(.+)$/s
const VCS = /^(?:git|hg|svn|bzr)\+/i
const EGG = /(?:^|&)egg=([^&]+)/
const WHITESPACE = /\s+/g
const EXACT_OPERATOR = /^===?/
const GIT_SUFFIX = /\.git$/

/** Reads a pip command run as pip, pip3, pip3.12 or a path to one of them. */
export function describePip (raw: RawCommand): CommandSemantics {
  return describePipArgs(raw.args)
}

/** Reads `python -m pip …` (any python, python3 or python3.12); other python commands are of no known tool. */
export function describePythonModule (raw: RawCommand): CommandSemantics {
  const args = pipArgsAfterPython(raw.args)
  return args === null ? NOTHING : describePipArgs(args)
}

function describePipArgs (args: readonly string[]): CommandSemantics {
  const parsed = parseArgs(args, PIP_FLAGS)
  return pipSemantics(parsed)
}

function pipSemantics (parsed: ParsedArgs): CommandSemantics {
  const [subcommand = '', ...operands] = parsed.operands
  const requirementFiles = [...(parsed.valueLists['-r'] ?? []), ...(parsed.valueLists['-c'] ?? [])]
  const packages = INSTALLS.has(subcommand) ? operands.flatMap(pipPackage) : []
  return semantics('pip', parsed, { subcommand, operands, packages, requirementFiles })
}

// The arguments after `-m pip` when python's own options come first (`python3 -I -m pip`); null when python
// runs anything else (a script, `-c` code, another module such as pipx, venv or ensurepip).
function pipArgsAfterPython (args: readonly string[]): readonly string[] | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--') return null
    if (arg.startsWith('--')) {
      // Python's one long option that takes a separate value.
      if (arg === '--check-hash-based-pycs') i++
      continue
    }
    if (arg.length < 2 || !arg.startsWith('-')) return null
    // A cluster of python's one-letter options: -m and -c end it, -W and -X take a value.
    for (let k = 1; k < arg.length; k++) {
      const letter = arg.charAt(k)
      if (letter === 'c') return null
      if (letter === 'm' || letter === 'W' || letter === 'X') {
        const attached = arg.slice(k + 1)
        const value = attached === '' ? args[++i] : attached
        if (letter === 'm') return value === 'pip' ? args.slice(i + 1) : null
        break
      }
    }
  }
  return null
}

/** One pip requirement argument; [] for local projects, archives, plain URLs and bare variables. */
export function pipPackage (word: string): PackageRef[] {
  if (word === '' || isVariable(word)) return []
  if (VCS.test(word)) return [vcsPackage(word, word, '')]
  const direct = DIRECT_REFERENCE.exec(word)
  if (direct !== null && (isUrl(direct[2] as string) || isLocalPath(direct[2] as string))) {
    const url = direct[2] as string
    return VCS.test(url) ? [vcsPackage(word, url, direct[1] as string)] : []
  }
  if (isUrl(word) || isLocalPath(word) || word.includes('/') || endsWithAny(word, PACKAGE_FILES)) return []
  const requirement = REQUIREMENT.exec(word)
  if (requirement === null) return []
  const name = requirement[1] as string
  const specifier = (requirement[2] as string).replace(WHITESPACE, '')
  if (specifier !== '' && !SPECIFIER.test(specifier)) return []
  const clauses = specifier === '' ? [] : specifier.split(',')
  const exact = clauses.find((clause) => clause.startsWith('===') || (clause.startsWith('==') && !clause.includes('*')))
  const single = clauses.length === 1 && exact !== undefined
  const version = single ? exact.replace(EXACT_OPERATOR, '') : specifier
  return [{ name, version, spec: word, pinned: exact !== undefined }]
}

// `vcs+scheme://host/path/repo.git@ref#egg=name`: the ref after the last path segment is the version.
function vcsPackage (spec: string, url: string, explicitName: string): PackageRef {
  const hash = url.indexOf('#')
  const fragment = hash >= 0 ? url.slice(hash + 1) : ''
  const base = hash >= 0 ? url.slice(0, hash) : url
  const at = base.indexOf('@', base.lastIndexOf('/') + 1)
  const ref = at >= 0 ? base.slice(at + 1) : ''
  const path = at >= 0 ? base.slice(0, at) : base
  const repository = path.slice(path.lastIndexOf('/') + 1).replace(GIT_SUFFIX, '')
  const name = explicitName !== '' ? explicitName : (EGG.exec(fragment)?.[1] ?? repository)
  return { name, version: ref, spec, pinned: ref !== '' }
}
