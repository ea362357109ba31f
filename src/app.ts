import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { controlAccess, type AccessOptions } from './access/access.js'
import { componentSchemas, openApiDocument } from './openapi.js'
import { describeProblems, PolicyStore } from './policy/store.js'
import type { PolicySet } from './policy/types.js'
import type { Problem } from './problem.js'
import { compareRoutes } from './routes/compare.js'
import { batchRoutes, DEFAULT_BATCH_LIMIT } from './routes/batch.js'
import { evaluateRoutes } from './routes/evaluate.js'
import { DecisionLog, type DecisionLogMode } from './decision-log.js'
import { serveMetrics } from './routes/metrics.js'
import { DEFAULT_ARCHIVE_LIMIT } from './inputs/image/limits.js'
import { acceptArchives } from './routes/image-body.js'
import { answerClientError } from './routes/client-error.js'
import { acceptStrictJson } from './routes/json-body.js'
import { closeConnectionsWhenClosing } from './shutdown.js'
import { VerdictCache, type Evaluator, type Fixer } from './verdict-cache.js'
import { EvaluationPool } from './evaluation/pool.js'
import type { Limits } from './inputs/limits.js'
import { DEFAULT_MAX_RESPONSE, limitResponses } from './routes/response-limit.js'
import { healthRoutes } from './routes/health.js'
import { openApiRoutes } from './routes/openapi.js'
import { parseRoutes } from './routes/parse.js'
import { policyRoutes } from './routes/policies.js'
import { sendProblem } from './routes/problem-reply.js'
import { schemaRoutes } from './routes/schemas.js'
import { validateRoutes } from './routes/validate.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The served policy set, its revision, and the problems of a failed reload. */
    policyStore: PolicyStore
    /**
     * The compiled policy set requests are judged against: the store's current set, read once per
     * request. Assigning serves another set (tests do, to break it on purpose).
     */
    policySet: PolicySet
  }
}

/** With the access options (API keys, rate limit, CORS, load shedding): all off unless given. */
export interface AppOptions extends AccessOptions {
  readonly policyDir: string
  readonly bodyLimit?: number
  /** Largest image archive accepted as a raw body (streamed, so not held in memory), in bytes. */
  readonly archiveLimit?: number
  /** Largest body of a batch of Dockerfiles (BATCH_LIMIT), in bytes. Default 16 MiB. */
  readonly batchLimit?: number
  /** Longest a request may take to arrive, headers and body (REQUEST_TIMEOUT), in ms; a 408 problem after it. Default 60 s. */
  readonly requestTimeout?: number
  /** How many verdicts to remember for identical requests; 0 remembers none. Default 1000. */
  readonly verdictCache?: number
  /** Worker threads that evaluate (WORKERS); 0, the default here, evaluates on the HTTP thread. server.ts starts one per CPU. */
  readonly workers?: number
  /** A pino logger instance or Fastify logger options; false for none. */
  readonly logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance']
  /** Called for each route as it is added (tests compare them with openapi.yaml). */
  readonly onRoute?: (route: RouteOptions) => void
  /** Reload the policies when the directory changes (server.ts does); off by default, so tests reload when they choose. */
  readonly watch?: boolean
  /** How long one evaluation may take (EVALUATION_DEADLINE_MS), in ms; default 2 s. Enforced by terminating a worker only with workers. */
  readonly deadlineMs?: number
  /** Caps on the work of one evaluation; DEFAULT_LIMITS when absent. */
  readonly limits?: Limits
  /** Largest answer body (MAX_RESPONSE), in bytes; a 422 problem instead of a larger one. Default 32 MiB. */
  readonly maxResponse?: number
  /** DECISION_LOG: a log record per decision (`on`, the default), none (`off`), or with the submitted Dockerfile (`content`). */
  readonly decisionLog?: DecisionLogMode
}

const DEFAULT_REQUEST_TIMEOUT = 60_000
const HEADERS_TIMEOUT = 10_000

/** A policy directory that could not be loaded; `problems` say which file, line and why. */
export class PolicyLoadError extends Error {
  constructor (readonly problems: readonly Problem[]) {
    super(`policies could not be loaded:\n${describeProblems(problems)}`)
  }
}

/**
 * Builds the app without listening. Rejects with PolicyLoadError when the policies are bad at start;
 * later reloads that fail leave the last good set serving (see PolicyStore).
 */
export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? false
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT
  const app = Fastify({
    ...(isLoggerInstance(logger) ? { loggerInstance: logger } : { logger }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // A slow client holds a connection for at most this long, and its headers for at most 10 s of it; Node checks
    // each second (its default, 30 s, would let a slow request run half a minute over).
    requestTimeout,
    http: { headersTimeout: Math.min(HEADERS_TIMEOUT, requestTimeout), connectionsCheckingInterval: 1000 },
    // A policy service answers 400 to unknown fields instead of silently dropping them.
    // Nor does it coerce: `{"dockerfile": 123}` is a 400, not the Dockerfile "123".
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: false } },
    // Fastify's own refusals (a path parameter over its limit, a malformed URL) are problems like every other.
    frameworkErrors: (error, request, reply) => sendProblem(request, reply, error.statusCode ?? 400, error.message, [{ code: `http.${error.code.toLowerCase()}`, message: error.message }]),
    clientErrorHandler: answerClientError,
    // A request that reached the server before it began closing is answered, not refused with Fastify's own 503.
    return503OnClosing: false,
  })
  closeConnectionsWhenClosing(app)
  limitResponses(app, options.maxResponse ?? DEFAULT_MAX_RESPONSE)
  acceptStrictJson(app)
  const opened = await PolicyStore.open({ dir: options.policyDir, logger: app.log.child({ component: 'policies' }) })
  if (!opened.ok) throw new PolicyLoadError(opened.problems)
  const store = opened.value
  app.decorate('policyStore', store)
  app.decorate<PolicySet>('policySet', { getter: () => store.policySet, setter: (set: PolicySet) => { store.serve(set) } })
  app.addHook('onClose', async () => { await store.close() })
  const pool = new EvaluationPool({
    workers: options.workers ?? 0,
    deadlineMs: options.deadlineMs,
    limits: options.limits,
    onError: (error) => { app.log.warn({ err: error }, 'evaluation pool') },
  })
  // onClose hooks run once the HTTP server has closed, so the pool outlives every request that needs it.
  app.addHook('onClose', async () => { await pool.close() })

  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute)
  // Before the other routes, so that its hooks time and count every one of them.
  const metrics = serveMetrics(app)
  store.onReload((outcome) => { metrics.countReload(outcome) })
  const decisions = new DecisionLog(app.log, options.decisionLog)
  for (const schema of componentSchemas()) app.addSchema(schema)

  app.setErrorHandler((error: Error & { statusCode?: number, code?: string, validation?: unknown[], validationContext?: string }, request, reply) => {
    const status = error.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      return sendProblem(request, reply, 500, 'the server failed to handle the request; see its log')
    }
    if (error.validation !== undefined) {
      const errors = (error.validation as Array<{ instancePath: string, message?: string, params?: Record<string, unknown> }>).map((v) => ({
        code: 'input.invalid',
        message: `${error.validationContext ?? 'body'}${v.instancePath} ${v.message ?? 'is invalid'}${detailOf(v.params)}`,
        pointer: v.instancePath,
      }))
      return sendProblem(request, reply, 400, `the request ${error.validationContext ?? 'body'} does not match the API contract`, errors)
    }
    const detail = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? `${error.message}; ${mediaTypeHint(request.url)}` : error.message
    return sendProblem(request, reply, status, detail, [{ code: `http.${(error.code ?? 'error').toLowerCase()}`, message: error.message }])
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, `no route ${request.method} ${request.url}; see /docs`))
  await controlAccess(app, options)

  await app.register(swagger, { mode: 'static', specification: { document: openApiDocument as never } })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(healthRoutes)
  await app.register(openApiRoutes)
  await app.register(policyRoutes)
  acceptArchives(app)
  const images = { archiveLimit: options.archiveLimit ?? DEFAULT_ARCHIVE_LIMIT }
  const evaluator: Evaluator = (set, request, evaluateOptions) => pool.evaluate(set, request, evaluateOptions)
  const fixer: Fixer = (set, request, evaluateOptions, path) => pool.evaluateAndFix(set, request, evaluateOptions, path)
  const verdicts = new VerdictCache(options.verdictCache ?? 1000, evaluator, fixer)
  await app.register(evaluateRoutes, { ...images, verdicts, decisions })
  await app.register(batchRoutes, { verdicts, decisions, batchLimit: options.batchLimit ?? DEFAULT_BATCH_LIMIT, concurrency: pool.capacity })
  await app.register(compareRoutes, { pool })
  await app.register(parseRoutes, { ...images, pool })
  await app.register(schemaRoutes)
  await app.register(validateRoutes, { pool })
  if (options.watch === true) store.watch()
  return app
}

function isLoggerInstance (logger: unknown): logger is FastifyServerOptions['loggerInstance'] {
  return typeof logger === 'object' && logger !== null && typeof (logger as { child?: unknown }).child === 'function'
}

function mediaTypeHint (url: string): string {
  return url.startsWith('/v1/policies/validate')
    ? "send the policy as application/yaml (curl -H 'content-type: application/yaml' --data-binary @policy.yaml) or JSON"
    : "send the Dockerfile as text/plain (curl -H 'content-type: text/plain' --data-binary @Dockerfile) or JSON"
}

// Names the offending property or the allowed values, which ajv keeps out of its message.
function detailOf (params: Record<string, unknown> = {}): string {
  if (typeof params.additionalProperty === 'string') return `: "${params.additionalProperty}"`
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.join(', ')}`
  return ''
}
