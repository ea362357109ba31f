import { spawnSync } from 'node:child_process'
import { LRUCache } from 'lru-cache'
import { joinContinuations } from '../inputs/shell.js'

/** One ShellCheck comment on a script. */
export interface ShellcheckComment {
  /** "SC2164". */
  readonly code: string
  /** "error", "warning", "info" or "style". */
  readonly level: string
  /** Line in the script, from 1. */
  readonly line: number
  readonly message: string
}

// ShellCheck is the tool hadolint embeds; here it is Debian's `shellcheck` program, run once per script
// (about 8 ms) and cached by dialect and text, since CI sends the same Dockerfiles again and again.
const cache = new LRUCache<string, readonly ShellcheckComment[]>({ max: 1000 })
const DIALECTS = new Set(['sh', 'bash', 'dash', 'ksh'])

/** ShellCheck's comments on a script for the given shell; throws (a rule error) when ShellCheck cannot run. */
export function shellcheck (script: string, shell: string): readonly ShellcheckComment[] {
  const base = shell.slice(shell.lastIndexOf('/') + 1)
  const dialect = DIALECTS.has(base) ? base : 'sh'
  const key = `${dialect}\0${script}`
  const known = cache.get(key)
  if (known !== undefined) return known
  // ShellCheck reads the script the shell gets: Docker's continuations joined, with the blank and comment
  // lines a Dockerfile allows inside them dropped (a shell would end the command there).
  const input = joinContinuations(script, '\\', 1).script
  const result = spawnSync('shellcheck', ['--format=json1', `--shell=${dialect}`, '-'], { input, encoding: 'utf8', timeout: 10_000 })
  if (result.error !== undefined || (result.status !== 0 && result.status !== 1)) {
    throw new Error(`ShellCheck could not run (${result.error?.message ?? result.stderr.trim()}); install it, e.g. apt-get install shellcheck`)
  }
  const parsed = JSON.parse(result.stdout) as { comments: Array<{ code: number, level: string, line: number, message: string }> }
  const comments = Object.freeze(parsed.comments.map((c) => Object.freeze({ code: `SC${c.code}`, level: c.level, line: c.line, message: c.message })))
  cache.set(key, comments)
  return comments
}
