import { availableParallelism } from 'node:os'
import { DEFAULT_ARCHIVE_LIMIT } from './inputs/image/limits.js'
import { DEFAULT_BATCH_LIMIT } from './routes/batch.js'
import { DECISION_LOG_MODES, type DecisionLogMode } from './decision-log.js'
import { failed, ok, type Problem, type Result } from './problem.js'
import { DEFAULT_DEADLINE_MS } from './evaluation/pool.js'
import { LIMIT_SETTINGS, type Limits } from './inputs/limits.js'
import { DEFAULT_MAX_RESPONSE } from './routes/response-limit.js'
import { parseKeyList, readKeyFile } from './access/api-keys.js'
import { parseOrigins } from './access/headers.js'

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
  /** Longest a shutdown waits for requests in flight before exiting anyway, in ms (SHUTDOWN_GRACE is in seconds). */
  readonly shutdownGrace: number
  /** How many verdicts are remembered for identical requests; 0 turns the cache off. */
  readonly verdictCache: number
  /** How long one evaluation may take, in ms, before it is stopped with a 503. */
  readonly deadlineMs: number
  /** Caps on the work of one evaluation (MAX_INSTRUCTIONS, MAX_STAGES…; see LIMIT_SETTINGS). */
  readonly limits: Limits
  /** Largest answer body, in bytes. */
  readonly maxResponse: number
  /** Worker threads that evaluate; 0 evaluates on the HTTP thread. */
  readonly workers: number
  /** Accepted API keys (PLIMSOLL_API_KEYS, or the file's once withKeyFile has read it); none: every route is open. */
  readonly apiKeys: readonly string[]
  /** PLIMSOLL_API_KEYS_FILE: one key a line; read by withKeyFile. */
  readonly apiKeysFile: string | undefined
  /** Requests a minute per API key or client address; 0 turns the limit off. */
  readonly rateLimit: number
  /** Origins whose pages may call the API; none: no CORS headers. */
  readonly corsOrigins: readonly string[]
  /** Mean event-loop delay, in ms, past which requests get a 503; 0 turns it off. */
  readonly maxEventLoopDelay: number
  /** One log record per decision (`on`), none (`off`), or each with the submitted Dockerfile (`content`). */
  readonly decisionLog: DecisionLogMode
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Reads PORT, HOST, POLICY_DIR, LOG_LEVEL, BODY_LIMIT, BATCH_LIMIT, ARCHIVE_LIMIT, REQUEST_TIMEOUT, SHUTDOWN_GRACE, VERDICT_CACHE, EVALUATION_DEADLINE_MS, the MAX_* caps of LIMIT_SETTINGS, MAX_RESPONSE, WORKERS, DECISION_LOG, RATE_LIMIT, MAX_EVENT_LOOP_DELAY, CORS_ORIGINS, PLIMSOLL_API_KEYS and PLIMSOLL_API_KEYS_FILE (the name; withKeyFile reads the file), reporting every bad value at once. */
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
  const shutdownGrace = integer('SHUTDOWN_GRACE', 10, 1, 3600) * 1000
  const verdictCache = integer('VERDICT_CACHE', 1000, 0, 100_000)
  const maxResponse = integer('MAX_RESPONSE', DEFAULT_MAX_RESPONSE, 1024, 2 ** 31)
  const deadlineMs = integer('EVALUATION_DEADLINE_MS', DEFAULT_DEADLINE_MS, 10, 600_000)
  const limits = Object.fromEntries(Object.entries(LIMIT_SETTINGS).map(([name, { setting, fallback }]) => [name, integer(setting, fallback, 1, 2 ** 31)])) as unknown as Limits
  const workers = integer('WORKERS', availableParallelism(), 0, 256)
  const rateLimit = integer('RATE_LIMIT', 600, 0, 1_000_000)
  const maxEventLoopDelay = integer('MAX_EVENT_LOOP_DELAY', 1000, 0, 60_000)
  const apiKeys = env.PLIMSOLL_API_KEYS ? parseKeyList(env.PLIMSOLL_API_KEYS) : ok([])
  const apiKeysFile = env.PLIMSOLL_API_KEYS_FILE || undefined
  // Two sources would leave it unclear which keys are meant (a key removed from one could live on in the other).
  if (env.PLIMSOLL_API_KEYS && apiKeysFile !== undefined) {
    problems.push({ code: 'config.invalid', message: 'PLIMSOLL_API_KEYS and PLIMSOLL_API_KEYS_FILE are both set; set one of them' })
  }
  const corsOrigins = parseOrigins(env.CORS_ORIGINS ?? '')
  for (const result of [apiKeys, corsOrigins]) if (!result.ok) problems.push(...result.problems)
  const logLevel = env.LOG_LEVEL || 'info'
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push({ code: 'config.invalid', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"` })
  }
  const decisionLog = (env.DECISION_LOG || 'on') as DecisionLogMode
  if (!DECISION_LOG_MODES.includes(decisionLog)) {
    problems.push({ code: 'config.invalid', message: `DECISION_LOG must be one of ${DECISION_LOG_MODES.join(', ')}, got "${decisionLog}"` })
  }
  if (problems.length > 0) return failed(problems)
  const access = { apiKeys: apiKeys.ok ? apiKeys.value : [], apiKeysFile, rateLimit, corsOrigins: corsOrigins.ok ? corsOrigins.value : [], maxEventLoopDelay }
  return ok({ port, host: env.HOST || '127.0.0.1', policyDir: env.POLICY_DIR || './policies', logLevel, bodyLimit, batchLimit, archiveLimit, requestTimeout, shutdownGrace, verdictCache, deadlineMs, limits, maxResponse, workers, decisionLog, ...access })
}

/**
 * The configuration with the keys of PLIMSOLL_API_KEYS_FILE, read at start; an unreadable or empty file is a
 * configuration problem like a bad variable. Apart from readConfig, which reads no file.
 */
export function withKeyFile (config: Result<Config>): Result<Config> {
  if (!config.ok || config.value.apiKeysFile === undefined) return config
  const keys = readKeyFile(config.value.apiKeysFile)
  return keys.ok ? ok({ ...config.value, apiKeys: keys.value }) : failed(keys.problems)
}
