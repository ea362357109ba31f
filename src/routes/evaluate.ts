import type { FastifyPluginAsync } from 'fastify'
import { evaluateDockerfile } from '../evaluate.js'
import { reachesThreshold, type FailOn } from '../verdict/verdict.js'
import { sendProblem } from './problem-reply.js'

interface EvaluateBody { dockerfile: string, files?: Record<string, string>, policies?: string[], failOn?: FailOn }
interface EvaluateQuery { policies?: string, failOn?: FailOn }

export const evaluateRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: EvaluateBody | string, Querystring: EvaluateQuery }>('/v1/evaluate', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { policies: { type: 'string' }, failOn: { $ref: 'FailOn#' } },
      },
      body: {
        content: {
          'text/plain': { schema: { type: 'string' } },
          'application/json': { schema: { $ref: 'EvaluateRequest#' } },
        },
      },
      response: {
        200: { $ref: 'Verdict#' },
        422: { $ref: 'Verdict#' },
        '4xx': { $ref: 'Problem#' },
      },
    },
  }, async (request, reply) => {
    const body: EvaluateBody = typeof request.body === 'string' ? { dockerfile: request.body } : request.body
    const fromQuery = request.query.policies?.split(',').map((name) => name.trim()).filter((name) => name !== '')
    const policies = body.policies ?? fromQuery
    const failOn = body.failOn ?? request.query.failOn ?? 'none'

    const result = evaluateDockerfile(app.policySet, { dockerfile: body.dockerfile, files: body.files ?? {}, ...(policies && { policies }) })
    if (!result.ok) {
      return sendProblem(request, reply, 400, result.problems.map((p) => p.message).join('; '), result.problems)
    }
    const verdict = result.value
    request.log.info({ decisionId: verdict.decisionId, verdict: verdict.verdict, summary: verdict.summary }, 'evaluated')
    return reply.code(reachesThreshold(verdict, failOn) ? 422 : 200).send(verdict)
  })
}
