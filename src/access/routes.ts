// Which routes access control treats apart. Decided by the route the router matched (its pattern), never the
// raw URL, so an encoded or oddly written path cannot pass for an open one; unmatched paths are not open.
import type { FastifyRequest } from 'fastify'

/** Monitoring, never refused for load or rate: the probes and /metrics. */
const MONITORING = new Set(['/healthz', '/readyz', '/metrics'])
/** Open without an API key: monitoring, the contract and Swagger UI (its pages and assets, under /docs/). */
const OPEN = new Set([...MONITORING, '/openapi.yaml', '/openapi.json', '/docs'])

const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? ''

export const isMonitoring = (request: FastifyRequest): boolean => MONITORING.has(routeOf(request))

export const isOpen = (request: FastifyRequest): boolean => OPEN.has(routeOf(request)) || routeOf(request).startsWith('/docs/')
