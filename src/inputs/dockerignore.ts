import { posix } from 'node:path'
import balena from '@balena/dockerignore'
import { BoundedCache } from '../bounded-cache.js'
import type { DockerignoreFacts } from '../facts/context-types.js'
import { compileLinear, type LinearRegex } from '../matching/linear-regex.js'

// Which ignore file applies, and Docker's matcher over its patterns.
//
// Matching is @balena/dockerignore 1.0.2, a port of moby's fileutils (v19.03.8) that tools such as
// balena-cli rely on, with the corrections that make it agree with today's matcher (moby/patternmatcher,
// used by BuildKit), each covered by a test:
// - case-sensitive, as Docker is (the library defaults to ignorecase);
// - `+ ( ) | { }` are literal, as patternmatcher escapes them (v19.03 passed them to the regexp, so
//   `a+b` missed "a+b" and `x(` threw);
// - a pattern that does not compile (`[abc`) matches nothing instead of throwing (Docker refuses the
//   whole build for it; DockerignoreFacts has no field to say so);
// - a trimmed pattern starting with `#` is a pattern, not a comment (only lines starting with `#` are).
// The library's rules (cleaned patterns, `!`, their directories) and the regexp source it writes for each are
// kept, but the regexps run on a linear-time matcher instead of V8's backtracking (`**/` repeated made V8 take
// minutes on a deep path), and its test of each parent directory in turn is one pass over the parent path.
// A pattern whose regexp that matcher refuses (a backreference such as `**/\1`) matches nothing, like one that
// does not compile. Paths are matched with POSIX separators whatever the host, as on a Linux builder.

const IGNORE_FILE = '.dockerignore'

/**
 * A context name as Docker sees it: relative to the context root, `./`, leading `/`, `.` and `..`
 * segments resolved, no trailing `/`. "" is the root itself.
 */
export function contextPath (name: string): string {
  const cleaned = posix.normalize('/' + name)
  return cleaned.replace(/^\/+/, '').replace(/\/+$/, '')
}

/** The ignore file that applies among the context files, and its patterns. */
export function dockerignoreFacts (files: Readonly<Record<string, string>>): DockerignoreFacts {
  const names = Object.keys(files ?? {})
  const file = chooseIgnoreFile(names)
  if (file === '') return { present: false, file: '', patterns: [] }
  const text = files[file]
  return { present: true, file, patterns: readPatterns(typeof text === 'string' ? text : '') }
}

// BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile before the root `.dockerignore`. The
// Dockerfile's name is not known here, so any `<name>.dockerignore` counts; among several, the shallowest,
// then the first by name. A `.dockerignore` below the root is never read.
function chooseIgnoreFile (names: readonly string[]): string {
  const specific = names
    .filter((name) => {
      const base = posix.basename(contextPath(name))
      return base.endsWith(IGNORE_FILE) && base !== IGNORE_FILE
    })
    .sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0))
  if (specific[0] !== undefined) return specific[0]
  return names.find((name) => contextPath(name) === IGNORE_FILE) ?? ''
}

const depth = (name: string): number => contextPath(name).split('/').length

/**
 * Patterns as BuildKit's ignorefile.ReadAll reads them: lines split at `\n` (a trailing `\r` dropped),
 * a UTF-8 BOM dropped, lines starting with `#` skipped, the rest trimmed and kept unless empty. Kept as
 * written otherwise (`/.git/` stays `/.git/`); `ignoredBy` applies Docker's cleaning.
 */
function readPatterns (text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const patterns: string[] = []
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.startsWith('#')) continue
    const pattern = line.trim()
    if (pattern !== '') patterns.push(pattern)
  }
  return patterns
}

interface Matcher { ignores (path: string): boolean }

// Compiled once per patterns array: CEL calls ignoredBy once per probe path, always with the array from
// the same facts object (@marcbachmann/cel-js passes it through unchanged).
const matchers = new WeakMap<readonly string[], Matcher>()

/**
 * Whether Docker leaves `path` (relative to the context) out of the build context under these patterns:
 * root-anchored globs, `**`, `!` exceptions where the last matching pattern wins, and a path is also
 * left out when one of its parent directories is.
 */
export function ignoredBy (patterns: readonly string[], path: string): boolean {
  if (!Array.isArray(patterns) || typeof path !== 'string') return false
  const target = contextPath(path)
  if (target === '') return false
  let matcher = matchers.get(patterns)
  if (matcher === undefined) {
    matcher = compile(patterns)
    matchers.set(patterns, matcher)
  }
  return matcher.ignores(target)
}

interface Rule {
  readonly regex: LinearRegex
  readonly negative: boolean
  /** The pattern has a `**` directory: any parent with at least `minDirs` directories may match. */
  readonly doubleStar: boolean
  readonly minDirs: number
  /** Else only the parent with exactly this many directories is tried. */
  readonly dirs: number
}

// The library's own rule objects and regexp compiler, which its typings leave out.
interface LibraryRule { readonly dirs: readonly string[], readonly negative: boolean }
interface Library { readonly _rules: readonly LibraryRule[], _compile (rule: LibraryRule): { regexp: RegExp } }

function compile (patterns: readonly unknown[]): Matcher {
  const prepared = patterns.filter((pattern): pattern is string => typeof pattern === 'string').map(prepare)
  const library = balena.default({ ignorecase: false }).add(prepared) as unknown as Library
  const rules = library._rules.flatMap((rule): Rule[] => {
    let regex: LinearRegex
    try {
      const { regexp } = library._compile(rule)
      regex = compileLinear(regexp.source, regexp.flags)
    } catch {
      return [] // the regexp does not compile (`[abc`), or is not one to run in linear time
    }
    const doubleStar = rule.dirs.includes('**')
    return [{ regex, negative: rule.negative, doubleStar, minDirs: rule.dirs.filter((dir) => dir !== '**').length, dirs: rule.dirs.length }]
  })
  const results = new BoundedCache<boolean>()
  return { ignores: (path) => results.get(path, () => ignores(rules, path)) }
}

// The library's _test: the last rule that matches the path or one of its parents decides.
function ignores (rules: readonly Rule[], path: string): boolean {
  const parent = posix.dirname(path)
  let ignored = false
  for (const rule of rules) {
    // A rule that agrees with the answer so far cannot change it (as moby's patternmatcher skips it).
    if (rule.negative !== ignored) continue
    if (rule.regex.test(path) || (parent !== '.' && matchesParent(rule, parent))) ignored = !rule.negative
  }
  return ignored
}

// Whether the rule matches a parent directory of the path: `a`, `a/b`, … as the library tries them, with as
// many directories as the rule allows. One pass of the matcher finds every parent it matches.
function matchesParent (rule: Rule, parent: string): boolean {
  if (rule.doubleStar && rule.minDirs === 0 && rule.regex.test('')) return true
  let dirs = 1
  let at = 0
  for (const end of rule.regex.prefixes(parent)) {
    for (; at < end; at++) if (parent[at] === '/') dirs++
    if (rule.doubleStar ? dirs >= rule.minDirs : dirs === rule.dirs) return true
  }
  return false
}

// A pattern the library must not read as a comment, with patternmatcher's escapes.
function prepare (pattern: string): string {
  const trimmed = pattern.trim()
  // A leading `/` is stripped by Docker's cleaning, so `/#x` is the pattern `#x`.
  const visible = trimmed.startsWith('#') ? '/' + trimmed : trimmed
  let out = ''
  for (let i = 0; i < visible.length; i++) {
    const ch = visible[i] as string
    if (ch === '\\' && i + 1 < visible.length) {
      out += ch + visible[++i]
    } else {
      out += '+(){}|'.includes(ch) ? '\\' + ch : ch
    }
  }
  return out
}
