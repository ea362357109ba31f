import { availableParallelism } from 'node:os'
import { DEFAULT_ARCHIVE_LIMIT } from './inputs/image/limits.js'
import { DEFAULT_BATCH_LIMIT } from './routes/batch.js'
import { failed, ok, type Problem, type Result } from './problem.js'

/** The service's settings, read from the environment. */
export interface Config {
  readonly port: number
  readonly host: string
  readonly policyDir: string
  readonly logLevel: string
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number
  /** Largest image archive accepted as a streamed body, in bytes. */
  readonly archiveLimit: number
  /** Largest body of POST /v1/evaluate/batch, in bytes. */
  readonly batchLimit: number
  /** Longest a request may take to arrive, in ms (REQUEST_TIMEOUT is in seconds). */
  readonly requestTimeout: number
  /** How many verdicts are remembered for identical requests; 0 turns the cache off. */
  readonly verdictCache: number
  /** Worker threads that evaluate; 0 evaluates on the HTTP thread. */
  readonly workers: number
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Reads PORT, HOST, POLICY_DIR, LOG_LEVEL, BODY_LIMIT, BATCH_LIMIT, ARCHIVE_LIMIT, REQUEST_TIMEOUT, VERDICT_CACHE and WORKERS, reporting every bad value at once. */
export function readConfig (env: NodeJS.ProcessEnv): Result<Config> {
  const problems: Problem[] = []
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({ code: 'config.invalid', message: `${name} must be an integer from ${min} to ${max}, got "${raw}"` })
    }
    return value
  }
  const port = integer('PORT', 8080, 0, 65535)
  const bodyLimit = integer('BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024)
  const batchLimit = integer('BATCH_LIMIT', DEFAULT_BATCH_LIMIT, 1024, 1024 * 1024 * 1024)
  const archiveLimit = integer('ARCHIVE_LIMIT', DEFAULT_ARCHIVE_LIMIT, 1024, 2 ** 46)
  const requestTimeout = integer('REQUEST_TIMEOUT', 60, 1, 3600) * 1000
  const verdictCache = integer('VERDICT_CACHE', 1000, 0, 100_000)
  const workers = integer('WORKERS', availableParallelism(), 0, 256)
  const logLevel = env.LOG_LEVEL || 'info'
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push({ code: 'config.invalid', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"` })
  }
  if (problems.length > 0) return failed(problems)
  return ok({ port, host: env.HOST || '127.0.0.1', policyDir: env.POLICY_DIR || './policies', logLevel, bodyLimit, batchLimit, archiveLimit, requestTimeout, verdictCache, workers })
}
