import type { FastifyPluginAsync } from 'fastify'
import type { EvaluateRequest } from '../evaluate.js'
import type { VerdictCache } from '../verdict-cache.js'
import type { FailOn } from '../verdict/verdict.js'
import { ARCHIVE_TYPES, jsonFields, readImageBody } from './image-body.js'
import { sendProblem } from './problem-reply.js'

type EvaluateBody = Omit<EvaluateRequest, 'failOn' | 'image'> & { failOn?: FailOn, image?: unknown, kind?: string }
interface EvaluateQuery { policies?: string, profile?: string, include?: string, exclude?: string, failOn?: FailOn }

/** Options of the routes that take images. */
export interface ImageRouteOptions {
  /** Largest image archive accepted as a raw body, in bytes. */
  readonly archiveLimit: number
}

/** Options of the evaluate route. */
export interface EvaluateRouteOptions extends ImageRouteOptions {
  readonly verdicts: VerdictCache
}

const list = (text: string | undefined): string[] | undefined => text?.split(',').map((name) => name.trim()).filter((name) => name !== '')

export const evaluateRoutes: FastifyPluginAsync<EvaluateRouteOptions> = async (app, options) => {
  app.post<{ Body: EvaluateBody | string | NodeJS.ReadableStream, Querystring: EvaluateQuery }>('/v1/evaluate', {
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
          // Archives are streamed, never validated as a whole.
          ...Object.fromEntries(ARCHIVE_TYPES.map((type) => [type, { schema: {} }])),
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
    const image = await readImageBody(request.body, options.archiveLimit)
    if (image !== undefined && !image.ok) {
      return sendProblem(request, reply, statusOf(image.problems[0]?.code), image.problems.map((p) => p.message).join('; '), image.problems)
    }
    const body = jsonFields<EvaluateBody>(request.body)
    // The JSON body wins over the query string, field by field.
    const policies = body.policies ?? list(query.policies)
    const include = body.include ?? list(query.include)
    const exclude = body.exclude ?? list(query.exclude)
    const profile = body.profile ?? query.profile
    const failOn = body.failOn ?? query.failOn
    const result = await options.verdicts.evaluate(app.policySet, {
      ...body,
      image: image?.value,
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
    request.log.info({ decisionId: verdict.decisionId, verdict: verdict.verdict, summary: verdict.summary, cached: verdict.cached }, 'evaluated')
    return reply.code(verdict.threshold.reached ? 422 : 200).send(verdict)
  })
}

const TOO_LARGE = new Set(['input.image-too-large', 'input.image-too-many-files', 'input.image-json-too-large'])

/** An archive over one of its limits is 413; any other unreadable image 400. */
export const statusOf = (code: string | undefined): number => TOO_LARGE.has(code ?? '') ? 413 : 400
