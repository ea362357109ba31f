// Response headers for browsers: helmet's security headers on every answer, and CORS only for configured origins.
import type { FastifyInstance } from 'fastify'
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import { failed, ok, type Result } from '../problem.js'

/** Headers a browser page of another origin may read: the verdict's, the decision id, and the rate limit's. */
const EXPOSED = ['Plimsoll-Verdict', 'Plimsoll-Errors', 'Plimsoll-Warnings', 'Plimsoll-Info', 'Plimsoll-Suppressed',
  'Plimsoll-Decision-Id', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']

export async function secureHeaders (app: FastifyInstance): Promise<void> {
  // helmet's default CSP suits Swagger UI at /docs: scripts only from this origin (@fastify/swagger-ui serves
  // them all as files, none inline), and styles with 'unsafe-inline', which it needs for those it injects;
  // test/docs-ui.test.ts checks in a browser that nothing is blocked. Left out: upgrade-insecure-requests,
  // which would send the docs' own requests to https on a plain-HTTP server, and HSTS, which belongs to
  // whatever terminates TLS in front of this service.
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
  })
}

/** CORS_ORIGINS: pages of these origins may call the API, sending a key; without origins no CORS header at all. */
export async function allowOrigins (app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return
  await app.register(cors, {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Accept'],
    exposedHeaders: EXPOSED,
    maxAge: 600,
  })
}

/** The origins of CORS_ORIGINS, comma-separated; each exactly as a browser sends it: scheme, host, port if any. */
export function parseOrigins (raw: string): Result<readonly string[]> {
  const origins = raw.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')
  const problems = origins.filter((origin) => originOf(origin) !== origin).map((origin) => ({
    code: 'config.invalid',
    message: `CORS_ORIGINS: "${origin}" is not an origin such as https://ci.example.com (scheme, host and port only)`,
  }))
  return problems.length > 0 ? failed(problems) : ok(origins)
}

function originOf (text: string): string | undefined {
  try {
    return new URL(text).origin
  } catch {
    return undefined
  }
}
