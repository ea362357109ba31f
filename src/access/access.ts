// Who may call, how often, and when to refuse for load; registered before the routes, in the order requests meet it.
import type { FastifyInstance } from 'fastify'
import { requireApiKeys } from './authenticate.js'
import { allowOrigins, secureHeaders } from './headers.js'
import { shedLoad, type PressureOptions } from './pressure.js'
import { limitRate } from './rate-limit.js'

export interface AccessOptions {
  /** Accepted API keys; none leaves every route open. */
  readonly apiKeys?: readonly string[]
  /** Requests a minute per key or client address; 0 or unset turns the limit off. */
  readonly rateLimit?: number
  /** Origins whose pages may call the API (CORS); none sends no CORS header. */
  readonly corsOrigins?: readonly string[]
  /** Refuse requests with a 503 while the event loop lags; unset leaves it off. */
  readonly underPressure?: PressureOptions
}

/**
 * Adds to the app itself, not an encapsulated plugin, so every route registered after it is covered. Hooks run
 * in this order: security headers and CORS (so refusals carry them, and a CORS preflight is answered before
 * any key is asked for), load shedding, the caller's key, the rate limit, then the refusal of a missing key.
 */
export async function controlAccess (app: FastifyInstance, options: AccessOptions): Promise<void> {
  await secureHeaders(app)
  await allowOrigins(app, options.corsOrigins ?? [])
  if (options.underPressure !== undefined && options.underPressure.maxEventLoopDelay > 0) await shedLoad(app, options.underPressure)
  requireApiKeys(app, options.apiKeys ?? [])
  if ((options.rateLimit ?? 0) > 0) await limitRate(app, options.rateLimit ?? 0)
}
