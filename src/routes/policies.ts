import type { FastifyPluginAsync } from 'fastify'
import type { Rule } from '../policy/types.js'
import { sendProblem } from './problem-reply.js'

export const policyRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/policies', { schema: { response: { 200: { $ref: 'PolicyList#' } } } }, async () => {
    const { revision, failure } = app.policyStore.status
    return {
      digest: revision.set.digest,
      revision: { digest: revision.set.digest, loadedAt: revision.loadedAt.toISOString() },
      stale: failure !== undefined,
      problems: failure?.problems ?? [],
      ...(failure !== undefined && { failedAt: failure.at.toISOString() }),
      policies: revision.set.policies.map((p) => ({
        name: p.name, title: p.title, version: p.version, description: p.description, rules: p.rules.map((r) => r.id),
      })),
    }
  })

  app.get<{ Params: { id: string } }>('/v1/policies/:id', {
    schema: { response: { 200: { $ref: 'PolicyDetail#' }, 404: { $ref: 'Problem#' } } },
  }, async (request, reply) => {
    const set = app.policySet // once: a reload may swap it while this request runs
    const policy = set.policies.find((p) => p.name === request.params.id)
    if (policy === undefined) {
      const known = set.policies.map((p) => p.name).join(', ')
      return sendProblem(request, reply, 404, `no policy named "${request.params.id}"; loaded: ${known}`, [
        { code: 'input.unknown-policy', message: `unknown policy "${request.params.id}"` },
      ])
    }
    return { name: policy.name, title: policy.title, version: policy.version, description: policy.description, rules: policy.rules.map(ruleDetail) }
  })
}

function ruleDetail (rule: Rule): object {
  return {
    id: rule.id,
    title: rule.title,
    description: rule.description,
    severity: rule.severity,
    scope: rule.scope,
    keywords: rule.keywords,
    needs: rule.needs,
    image: rule.image === undefined ? null : { scope: rule.image.scope, keywords: rule.image.keywords, needs: rule.image.needs, when: rule.image.source.when ?? null, assert: rule.image.source.assert, message: rule.image.source.message, examples: rule.image.examples },
    aliases: rule.aliases,
    tags: rule.tags,
    references: rule.references,
    when: rule.source.when ?? null,
    assert: rule.source.assert,
    message: rule.source.message,
    remediation: rule.remediation,
    examples: rule.examples,
  }
}
