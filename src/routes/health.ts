import type { FastifyPluginAsync } from 'fastify'

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { response: { 200: { $ref: 'Health#' } } } }, async () => ({ status: 'ok' }))

  // Stale is not dead: the last good set is still served, so /healthz stays ok and only readiness says so.
  app.get('/readyz', {
    schema: { response: { 200: { $ref: 'Readiness#' }, 503: { $ref: 'ReadinessStale#' } } },
  }, async (_request, reply) => {
    const { revision, failure } = app.policyStore.status
    const ready = {
      policies: revision.set.policies.length,
      rules: revision.set.policies.reduce((sum, p) => sum + p.rules.length, 0),
      digest: revision.set.digest,
      loadedAt: revision.loadedAt.toISOString(),
    }
    if (failure === undefined) return { status: 'ready', ...ready }
    return reply.code(503).send({ status: 'stale', ...ready, failedAt: failure.at.toISOString(), problems: failure.problems })
  })
}
