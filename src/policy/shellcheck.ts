import { spawn, spawnSync } from 'node:child_process'
import { LRUCache } from 'lru-cache'
import type { Deadline } from '../evaluation/deadline.js'
import { joinContinuations } from '../inputs/shell.js'
import type { Result } from '../problem.js'

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
// Longer scripts are not sent: ShellCheck's time grows faster than their length.
const MAX_SCRIPT = 64 * 1024
// Without a deadline (the CLI), as long as one script may take.
const TIMEOUT_MS = 10_000

interface Script { readonly key: string, readonly dialect: string, readonly input: string }

// Inside withShellcheck: scripts not in the cache wait here to be checked together, and what could not be checked says why.
let pending: Map<string, Script> | undefined
const failures = new Map<string, string>()

/**
 * ShellCheck's comments on a script for the given shell; throws (a rule error) when ShellCheck cannot run or
 * timed out. Inside withShellcheck, a script not checked yet throws too, and is checked before the second pass.
 */
export function shellcheck (script: string, shell: string): readonly ShellcheckComment[] {
  const base = shell.slice(shell.lastIndexOf('/') + 1)
  const dialect = DIALECTS.has(base) ? base : 'sh'
  const key = `${dialect}\0${script}`
  const known = cache.get(key)
  if (known !== undefined) return known
  const failure = failures.get(key)
  if (failure !== undefined) throw new Error(failure)
  if (script.length > MAX_SCRIPT) throw new Error(`ShellCheck was not run: the script has ${script.length} characters, more than ${MAX_SCRIPT}`)
  // ShellCheck reads the script the shell gets: Docker's continuations joined, with the blank and comment
  // lines a Dockerfile allows inside them dropped (a shell would end the command there).
  const each: Script = { key, dialect, input: joinContinuations(script, '\\', 1).script }
  if (pending !== undefined) {
    pending.set(key, each)
    throw new Error('ShellCheck has not checked this script yet')
  }
  const result = spawnSync('shellcheck', args(dialect), { input: each.input, encoding: 'utf8', timeout: TIMEOUT_MS })
  return remember(key, outcome(result.error, result.status, result.signal, result.stdout, result.stderr, TIMEOUT_MS))
}

/**
 * Runs `evaluate` with ShellCheck off its thread: a first pass notes the scripts not in the cache, ShellCheck checks
 * them all at once (as child processes, until the deadline), and a second pass reads the answers. Evaluations that
 * call no ShellCheck, or only for scripts seen before, run once.
 */
export async function withShellcheck<T> (evaluate: () => Result<T>, deadline: Deadline | undefined): Promise<Result<T>> {
  const waiting = new Map<string, Script>()
  pending = waiting
  let first: Result<T>
  try {
    first = evaluate()
  } finally {
    pending = undefined
  }
  if (waiting.size === 0) return first
  const timeoutMs = deadline === undefined ? TIMEOUT_MS : Math.max(1, deadline.at - Date.now())
  await Promise.all([...waiting.values()].map((script) => check(script, timeoutMs)))
  try {
    return evaluate()
  } finally {
    for (const key of waiting.keys()) failures.delete(key)
  }
}

async function check (script: Script, timeoutMs: number): Promise<void> {
  const child = spawn('shellcheck', args(script.dialect), { timeout: timeoutMs })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.on('error', () => {}) // a program that is missing or exits early closes its input
  child.stdin.end(script.input)
  const [error, status, signal] = await new Promise<[Error | undefined, number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', (failure) => { resolve([failure, null, null]) })
    child.once('close', (code, killed) => { resolve([undefined, code, killed]) })
  })
  try {
    remember(script.key, outcome(error, status, signal, stdout, stderr, timeoutMs))
  } catch (failure) {
    failures.set(script.key, (failure as Error).message)
  }
}

const args = (dialect: string): string[] => ['--format=json1', `--shell=${dialect}`, '-']

function outcome (error: Error | undefined, status: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, timeoutMs: number): readonly ShellcheckComment[] {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || (error === undefined && signal !== null)) {
    throw new Error(`ShellCheck timed out after ${timeoutMs} ms`)
  }
  if (error !== undefined || (status !== 0 && status !== 1)) {
    throw new Error(`ShellCheck could not run (${error?.message ?? stderr.trim()}); install it, e.g. apt-get install shellcheck`)
  }
  const parsed = JSON.parse(stdout) as { comments: Array<{ code: number, level: string, line: number, message: string }> }
  return Object.freeze(parsed.comments.map((c) => Object.freeze({ code: `SC${c.code}`, level: c.level, line: c.line, message: c.message })))
}

function remember (key: string, comments: readonly ShellcheckComment[]): readonly ShellcheckComment[] {
  cache.set(key, comments)
  return comments
}
