// The functions policies call from CEL, shared by cel-js's environment (cel.ts) and the native evaluation (cel-native.ts).
import semver from 'semver'
import { BoundedCache } from '../bounded-cache.js'
import { compileGlob } from '../matching/glob.js'
import { regex } from './regex.js'

export function re2Matches (text: string, pattern: string): boolean { return regex(pattern)(text) }
export function globMatches (path: string, pattern: string): boolean { return glob(pattern)(path) }
export function hasFlag (command: { flags?: unknown }, flag: string): boolean { return Array.isArray(command.flags) && command.flags.includes(flag) }

// Compiled patterns are kept; patterns built from facts could be endless, so the caches are bounded.
const globs = new BoundedCache<(path: string) => boolean>()
// picomatch's globs, run in linear time: params such as trustedRegistries come with the request.
const glob = (pattern: string): ((path: string) => boolean) => globs.get(pattern, () => compileGlob(pattern, { dot: true }))

/** Compares dotted versions by number ("3.10" > "3.9"); falls back to semver's coercion for text around them. */
export function compareVersions (a: string, b: string): number {
  const left = semver.coerce(a, { loose: true })
  const right = semver.coerce(b, { loose: true })
  if (left === null || right === null) return Math.sign(a.localeCompare(b))
  return semver.compare(left, right)
}
