// GET /metrics, and the hooks that time every answer and count every problem, whoever sent it.
import type { FastifyInstance } from 'fastify'
import { Metrics } from '../metrics.js'

const PROBLEM_JSON = 'application/problem+json'
// sendProblem names the first error's code in `type`; read from the serialised body rather than parsed.
const PROBLEM_TYPE = /"type":"urn:plimsoll:problem:([^"]*)"/
// A deadline (DEADLINE_CODE) or cap (LIMIT_PREFIX) among the errors, first or not: the status comes from it either way.
const DEADLINE_OR_LIMIT = /"code":"(evaluation\.deadline|limit\.[^"]*)"/

/**
 * Decorates the app with its metrics and serves them. Hooks and route are added to the app itself, not an
 * encapsulated plugin, so that they see every route; call it before the other routes are registered.
 */
export function serveMetrics (app: FastifyInstance): Metrics {
  const metrics = new Metrics()
  app.decorate('metrics', metrics)

  app.addHook('onResponse', (request, reply, done) => {
    // The route's pattern, never the raw URL: one series per route, whatever the path parameters.
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.requestDuration.observe({ method: request.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000)
    done()
  })

  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      const type = reply.getHeader('content-type')
      if (typeof type === 'string' && type.startsWith(PROBLEM_JSON)) {
        const code = PROBLEM_TYPE.exec(payload)?.[1] ?? `http-${reply.statusCode}`
        const cause = reply.statusCode === 400 ? undefined : DEADLINE_OR_LIMIT.exec(payload)?.[1]
        metrics.countProblem(reply.statusCode, code, cause)
      }
    }
    done(null, payload)
  })

  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()))
  return metrics
}
