import type { FastifyPluginAsync } from 'fastify'
import { evaluateDockerfile, type EvaluateRequest } from '../evaluate.js'
import type { FailOn } from '../verdict/verdict.js'
import { sendProblem } from './problem-reply.js'

type EvaluateBody = Omit<EvaluateRequest, 'failOn'> & { failOn?: FailOn }
interface EvaluateQuery { policies?: string, profile?: string, include?: string, exclude?: string, failOn?: FailOn }

const list = (text: string | undefined): string[] | undefined => text?.split(',').map((name) => name.trim()).filter((name) => name !== '')

export const evaluateRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: EvaluateBody | string, Querystring: EvaluateQuery }>('/v1/evaluate', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { policies: { type: 'string' }, profile: { type: 'string' }, include: { type: 'string' }, exclude: { type: 'string' }, failOn: { $ref: 'FailOn#' } },
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
    const query = request.query
    const body: EvaluateBody = typeof request.body === 'string' ? { dockerfile: request.body } : request.body
    // The JSON body wins over the query string, field by field.
    const policies = body.policies ?? list(query.policies)
    const include = body.include ?? list(query.include)
    const exclude = body.exclude ?? list(query.exclude)
    const profile = body.profile ?? query.profile
    const failOn = body.failOn ?? query.failOn
    const result = evaluateDockerfile(app.policySet, {
      ...body,
      ...(policies && { policies }),
      ...(include && { include }),
      ...(exclude && { exclude }),
      ...(profile !== undefined && { profile }),
      ...(failOn !== undefined && { failOn }),
    })
    if (!result.ok) {
      return sendProblem(request, reply, 400, result.problems.map((p) => p.message).join('; '), result.problems)
    }
    const verdict = result.value
    request.log.info({ decisionId: verdict.decisionId, verdict: verdict.verdict, summary: verdict.summary }, 'evaluated')
    return reply.code(verdict.threshold.reached ? 422 : 200).send(verdict)
  })
}
