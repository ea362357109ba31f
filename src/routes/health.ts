import type { FastifyPluginAsync } from 'fastify'

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { response: { 200: { $ref: 'Health#' } } } }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: { response: { 200: { $ref: 'Readiness#' } } } }, async () => ({
    status: 'ready',
    policies: app.policySet.policies.length,
    rules: app.policySet.policies.reduce((sum, p) => sum + p.rules.length, 0),
    digest: app.policySet.digest,
  }))
}
