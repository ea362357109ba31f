// RATE_LIMIT: requests a minute per API key (its id) or, without one, per client address. The probes and /metrics
// are never limited.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import { isMonitoring } from './routes.js'

const bucketOf = (request: FastifyRequest): string =>
  request.callerKeyId !== undefined ? `key:${request.callerKeyId}` : `ip:${request.ip}`

/**
 * Adds a limit to every route registered after this call, and to paths no route serves. The plugin sets
 * Retry-After and the X-RateLimit-* headers, then throws what errorResponseBuilder returns: an error with a
 * status and code, which the app's error handler answers as a 429 problem like any other.
 */
export async function limitRate (app: FastifyInstance, perMinute: number): Promise<void> {
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: bucketOf,
    allowList: (request) => isMonitoring(request),
    errorResponseBuilder: (request, context) => Object.assign(
      new Error(`over the rate limit of ${context.max} requests a minute (RATE_LIMIT) for ${request.callerKeyId !== undefined ? `API key ${request.callerKeyId}` : 'this client address'}; retry in ${context.after}`),
      { statusCode: context.statusCode, code: 'RATE_LIMITED' }),
  })
  // The plugin limits routes only; unmatched paths too, or they would let anyone try keys without limit.
  const limit = app.rateLimit()
  app.addHook('onRequest', async (request, reply) => { if (request.routeOptions.url === undefined) await limit.call(app, request, reply) })
}
