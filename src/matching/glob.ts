// Glob matching with picomatch's meaning and without its cost: picomatch turns the pattern into a regex (its
// parser is kept, so `*`, `?`, `**`, classes, braces and extglobs mean what they always meant), and the
// regex runs on the linear-time matcher instead of V8's backtracking engine, where `*a*a*a…b` took minutes.
import picomatch from 'picomatch'
import { compileLinear } from './linear-regex.js'

/**
 * Longer patterns are refused: no glob worth writing is this long, a match costs the pattern's length per
 * character, and picomatch's own parser slows down fast on deep nesting (512 nested `+(` take 2 s).
 */
export const MAX_GLOB_LENGTH = 256

export interface GlobOptions {
  /** `*` and `**` also match names starting with a dot. */
  readonly dot?: boolean
}

/** Why a pattern cannot be used as a glob, or undefined when it can. */
function globProblem (pattern: string): string | undefined {
  if (pattern === '') return 'a glob cannot be empty'
  if (pattern.length > MAX_GLOB_LENGTH) return `a glob of ${pattern.length} characters is longer than the ${MAX_GLOB_LENGTH} allowed`
  return undefined
}

/** picomatch(pattern, options) run in linear time; throws an Error saying why for a pattern it cannot use. */
export function compileGlob (pattern: string, options: GlobOptions = {}): (text: string) => boolean {
  const problem = globProblem(pattern)
  if (problem !== undefined) throw new Error(problem)
  const regex = picomatch.makeRe(pattern, { dot: options.dot ?? false })
  let linear: ReturnType<typeof compileLinear>
  try {
    linear = compileLinear(regex.source, regex.flags)
  } catch (error) {
    throw new Error(`the glob "${pattern}" cannot be matched: ${(error as Error).message}`)
  }
  // As picomatch.test: an empty text never matches, the pattern itself always does.
  return (text) => text !== '' && (text === pattern || linear.test(text))
}
