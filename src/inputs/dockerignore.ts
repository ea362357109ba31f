import { posix } from 'node:path'
import balena from '@balena/dockerignore'
import type { DockerignoreFacts } from '../facts/context-types.js'

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
// - a trimmed pattern starting with `#` is a pattern, not a comment (only lines starting with `#` are);
// - its per-path cache is a plain object, so "constructor" or "toString" read Object.prototype and were
//   never ignored; the cache is replaced by one without a prototype.
// Paths are matched with POSIX separators whatever the host, as on a Linux builder.

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

function compile (patterns: readonly unknown[]): Matcher {
  const prepared = patterns.filter((pattern): pattern is string => typeof pattern === 'string').map(prepare)
  // The library compiles every pattern's regexp on the first match; only when one fails are they
  // tried one by one.
  let matcher = build(prepared)
  if (matcher === null) matcher = build(prepared.filter((pattern) => build([pattern]) !== null)) ?? build([]) as Matcher
  // It caches results per path in `{}`: see the header.
  Object.assign(matcher, { _cache: Object.create(null) as object })
  return matcher
}

function build (patterns: readonly string[]): Matcher | null {
  const matcher = balena.default({ ignorecase: false }).add([...patterns])
  try {
    matcher.ignores('probe')
    return matcher
  } catch {
    return null
  }
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
