// Optional API keys: with any configured, every route but the open ones (see routes.ts) needs one, sent as
// `Authorization: Bearer <key>` or `X-API-Key: <key>`. Without keys everything is open, as before.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { KeyRing } from './api-keys.js'
import { isOpen } from './routes.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the API key the request carried (see keyId), for logs and rate limits; undefined without one. */
    callerKeyId: string | undefined
  }
}

/** For pino's `redact`: request headers that carry keys, should anything log them. */
export const LOG_REDACT = { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' }

/** A 401 that the app's error handler turns into a problem; WWW-Authenticate is set on the reply before. */
class KeyRefused extends Error {
  readonly statusCode = 401
  constructor (readonly code: string, message: string) {
    super(message)
  }
}

export function requireApiKeys (app: FastifyInstance, keys: readonly string[]): void {
  app.decorateRequest('callerKeyId', undefined)
  if (keys.length === 0) return
  const ring = new KeyRing(keys)
  // Who is calling is known first, so that the rate limit (a route hook, run after these) counts per key ...
  app.addHook('onRequest', async (request) => {
    const presented = presentedKey(request)
    if (presented !== undefined) request.callerKeyId = ring.identify(presented)
  })
  // ... and refusals come after it, so that guessing keys is rate limited too; still before the body is read.
  app.addHook('preParsing', async (request, reply) => {
    if (request.callerKeyId !== undefined || isOpen(request)) return
    if (presentedKey(request) === undefined) {
      reply.header('www-authenticate', 'Bearer realm="plimsoll"')
      throw new KeyRefused('API_KEY_MISSING', 'this route needs an API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"')
    }
    reply.header('www-authenticate', 'Bearer realm="plimsoll", error="invalid_token"')
    throw new KeyRefused('API_KEY_INVALID', 'the API key sent is not one this server accepts')
  })
}

/** The key of a Bearer Authorization header, else of X-API-Key; another Authorization scheme is ignored. */
function presentedKey (request: FastifyRequest): string | undefined {
  const bearer = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1]
  if (bearer !== undefined) return bearer
  const header = request.headers['x-api-key']
  const key = (Array.isArray(header) ? header.join(',') : header)?.trim()
  return key === '' ? undefined : key
}
