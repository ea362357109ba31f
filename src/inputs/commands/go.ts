// go install, go get and go run (hadolint DL3062). Pinned means `@` and a fixed version: a semantic version
// (pseudo-versions included) or a commit hash. `@latest`, `@none`, `@upgrade`, `@patch`, branch names and
// version prefixes (`@v1`) move, so they are not pinned; DL3062 rejects only `@latest` and `@none`.
// Local packages (`.`, `./...`, `/go/src/app`) and `.go` files are operands but name no package.
// Go reads flags only up to the first operand, and `go run` passes everything after its package to the program.
import type { PackageRef } from '../../facts/shell-types.js'
import { defineFlags, parseArgs } from './flags.js'
import { endsWithAny, isLocalPath, isVariable } from './shapes.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

/** Go flags are single-dash words (`-race`, `-ldflags`); `--flag` is read as `-flag`. */
const GO_FLAGS = defineFlags({
  '-o=': [],
  '-p=': [],
  '-C=': [],
  '-mod=': [],
  '-modfile=': [],
  '-overlay=': [],
  '-pgo=': [],
  '-ldflags=': [],
  '-gcflags=': [],
  '-asmflags=': [],
  '-gccgoflags=': [],
  '-tags=': [],
  '-buildmode=': [],
  '-compiler=': [],
  '-installsuffix=': [],
  '-pkgdir=': [],
  '-toolexec=': [],
  '-exec=': [],
  '-coverpkg=': [],
  '-covermode=': [],
}, { clusters: false, interspersed: false })

const INSTALLS: ReadonlySet<string> = new Set(['install', 'get', 'run'])
const SEMVER = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/
const COMMIT = /^[0-9a-f]{7,40}$/

/** Reads a go command; packages come from install, get and run (for run, only the package it runs). */
export function describeGo (raw: RawCommand): CommandSemantics {
  const [subcommand = '', ...rest] = raw.args[0]?.startsWith('-') === true ? ['', ...raw.args] : raw.args
  const parsed = parseArgs(rest, GO_FLAGS)
  const named = subcommand === 'run' ? parsed.operands.slice(0, 1) : parsed.operands
  const packages = INSTALLS.has(subcommand) ? named.flatMap(goPackage) : []
  return semantics('go', parsed, { subcommand, packages })
}

/** One go package argument; [] for local packages, `.go` files and bare variables. */
export function goPackage (word: string): PackageRef[] {
  if (word === '' || word.startsWith('-') || isVariable(word) || isLocalPath(word) || endsWithAny(word, ['.go'])) return []
  const at = word.lastIndexOf('@')
  const name = at > 0 ? word.slice(0, at) : word
  const version = at > 0 ? word.slice(at + 1) : ''
  const pinned = SEMVER.test(version) || COMMIT.test(version) || version.startsWith('$')
  return [{ name, version, spec: word, pinned }]
}
