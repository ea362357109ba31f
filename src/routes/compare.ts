import type { FastifyPluginAsync } from 'fastify'
import Negotiator from 'negotiator'
import { subjectProblem, subjectProblems, type CompareSubject } from '../compare.js'
import type { EvaluationPool } from '../evaluation/pool.js'
import type { SelectionRequest } from '../evaluation/select.js'
import { readImageDocument } from '../inputs/image/index.js'
import type { Problem } from '../problem.js'
import { renderCompareMarkdown } from '../verdict/compare-markdown.js'
import { sendProblems } from './problem-reply.js'

interface SubjectBody { label: string, dockerfile?: string, files?: Record<string, string>, image?: unknown, kind?: string }
type CompareBody = SelectionRequest & { subjects: SubjectBody[] }
interface CompareQuery { format?: 'json' | 'markdown' }

const MARKDOWN = 'text/markdown; charset=utf-8'

export const compareRoutes: FastifyPluginAsync<{ pool: EvaluationPool }> = async (app, options) => {
  app.post<{ Body: CompareBody, Querystring: CompareQuery }>('/v1/compare', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { format: { type: 'string', enum: ['json', 'markdown'] } },
      },
      body: { $ref: 'CompareRequest#' },
      response: {
        200: {
          content: {
            'application/json': { schema: { $ref: 'Comparison#' } },
            'text/markdown': { schema: { type: 'string' } },
          },
        },
        '4xx': { $ref: 'Problem#' },
      },
    },
  }, async (request, reply) => {
    const badRequest = (errors: readonly Problem[]) => sendProblems(request, reply, errors)
    const { subjects: sent, ...selection } = request.body
    const bad = subjectProblems(sent)
    if (bad.length > 0) return badRequest(bad)
    const problems: Problem[] = []
    const subjects = sent.map(({ image: document, kind, ...subject }, index): CompareSubject => {
      if (document === undefined) return subject
      const image = readImageDocument(document, kind)
      if (image.ok) return { ...subject, image: image.value }
      problems.push(...image.problems.map((problem) => subjectProblem(index, subject.label, problem)))
      return subject
    })
    if (problems.length > 0) return badRequest(problems)
    const result = await options.pool.compare(app.policySet, { ...selection, subjects }, { defaultFailOn: 'none' })
    if (!result.ok) return badRequest(result.problems)

    const comparison = result.value
    request.log.info({ variants: comparison.variants.map((v) => ({ label: v.label, verdict: v.verdict })), differences: comparison.differences.length }, 'compared')
    const markdown = request.query.format === 'markdown' || (request.query.format === undefined && prefersMarkdown(request.headers.accept))
    return markdown ? reply.type(MARKDOWN).send(renderCompareMarkdown(comparison)) : reply.send(comparison)
  })
}

// Negotiator (the negotiation of express and koa) ranks by q, then by specificity and order; JSON wins ties
// and absent or wildcard headers, as it is listed first.
/** True when the Accept header ranks text/markdown above application/json. */
export function prefersMarkdown (accept: string | undefined): boolean {
  return new Negotiator({ headers: { accept } }).mediaType(['application/json', 'text/markdown']) === 'text/markdown'
}
