import type { FastifyPluginAsync } from 'fastify'
import multipart from '@fastify/multipart'
import type { DecisionLog } from '../decision-log.js'
import type { EvaluateRequest } from '../evaluate.js'
import type { ImageFacts } from '../facts/image-types.js'
import type { VerdictCache } from '../verdict-cache.js'
import { FORMATS, type Format } from '../verdict/formats/report.js'
import { judgedFile } from '../verdict/formats/rules-run.js'
import type { FailOn } from '../verdict/verdict.js'
import { ARCHIVE_TYPES, jsonFields, readImageBody } from './image-body.js'
import { readMultipart } from './multipart-body.js'
import { VERSION } from '../version.js'
import { sendProblem, sendProblems } from './problem-reply.js'
import { formatOf, sendReport } from './report-reply.js'

type EvaluateBody = Omit<EvaluateRequest, 'failOn' | 'image'> & { failOn?: FailOn, image?: unknown, kind?: string, path?: string }
interface EvaluateQuery { policies?: string, profile?: string, include?: string, exclude?: string, failOn?: FailOn, format?: Format, path?: string, fix?: 'true' | 'false' }

/** The path reports name when the request gives none. */
const DEFAULT_PATH = 'Dockerfile'

/** Options of the routes that take images. */
export interface ImageRouteOptions {
  /** Largest image archive accepted as a raw body, in bytes. */
  readonly archiveLimit: number
}

/** Options of the evaluate route. */
export interface EvaluateRouteOptions extends ImageRouteOptions {
  readonly verdicts: VerdictCache
  readonly decisions: DecisionLog
}

const list = (text: string | undefined): string[] | undefined => text?.split(',').map((name) => name.trim()).filter((name) => name !== '')

export const evaluateRoutes: FastifyPluginAsync<EvaluateRouteOptions> = async (app, options) => {
  // Registered here, so that only this route takes multipart bodies.
  await app.register(multipart)
  app.post<{ Body: EvaluateBody | string | NodeJS.ReadableStream, Querystring: EvaluateQuery }>('/v1/evaluate', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          policies: { type: 'string' },
          profile: { type: 'string' },
          include: { type: 'string' },
          exclude: { type: 'string' },
          failOn: { $ref: 'FailOn#' },
          format: { type: 'string', enum: FORMATS },
          path: { type: 'string', minLength: 1 },
          // A string, as query values are (the app never coerces): `?fix=true`.
          fix: { type: 'string', enum: ['true', 'false'] },
        },
      },
      body: {
        content: {
          'text/plain': { schema: { type: 'string' } },
          'application/json': { schema: { $ref: 'EvaluateRequest#' } },
          // Read part by part in the handler, files held up to the body limit each.
          'multipart/form-data': { schema: {} },
          // Archives are streamed, never validated as a whole.
          ...Object.fromEntries(ARCHIVE_TYPES.map((type) => [type, { schema: {} }])),
        },
      },
      response: {
        200: { content: reportContent },
        422: { content: reportContent },
        '4xx': { $ref: 'Problem#' },
      },
    },
  }, async (request, reply) => {
    const query = request.query
    let body: EvaluateBody
    let image: ImageFacts | undefined
    if (request.isMultipart()) {
      const form = await readMultipart(request, app.initialConfig.bodyLimit ?? 1024 * 1024)
      if (!form.ok) return sendProblem(request, reply, 400, form.problems.map((p) => p.message).join('; '), form.problems)
      body = form.value as EvaluateBody
    } else {
      const read = await readImageBody(request.body, options.archiveLimit)
      if (read !== undefined && !read.ok) {
        return sendProblems(request, reply, read.problems)
      }
      image = read?.value
      body = jsonFields<EvaluateBody>(request.body)
    }
    const { path: bodyPath, ...fields } = body
    // The JSON body wins over the query string, field by field.
    const policies = body.policies ?? list(query.policies)
    const include = body.include ?? list(query.include)
    const exclude = body.exclude ?? list(query.exclude)
    const profile = body.profile ?? query.profile
    const failOn = body.failOn ?? query.failOn
    const set = app.policySet
    const evaluated: EvaluateRequest = {
      ...fields,
      image,
      ...(policies && { policies }),
      ...(include && { include }),
      ...(exclude && { exclude }),
      ...(profile !== undefined && { profile }),
      ...(failOn !== undefined && { failOn }),
    }
    const path = bodyPath ?? query.path ?? DEFAULT_PATH
    // With fix=true the verdict carries `fixed`, its diff naming the path reports name.
    const result = query.fix === 'true'
      ? await options.verdicts.evaluateAndFix(set, evaluated, undefined, path)
      : await options.verdicts.evaluate(set, evaluated)
    if (!result.ok) {
      return sendProblems(request, reply, result.problems)
    }
    const verdict = result.value
    request.log.info({ decisionId: verdict.decisionId, verdict: verdict.verdict, summary: verdict.summary, cached: verdict.cached }, 'evaluated')
    app.metrics.countVerdict(verdict)
    options.decisions.record(request, evaluated, verdict, path)
    return sendReport(reply, formatOf(request), { files: [judgedFile(set, evaluated, path, verdict)], version: VERSION })
  })
}

// JSON answers are the verdict (its schema serialises them); every other format is text already.
const reportContent = {
  'application/json': { schema: { $ref: 'Verdict#' } },
  'application/sarif+json': { schema: { type: 'string' } },
  'application/xml': { schema: { type: 'string' } },
  'text/plain': { schema: { type: 'string' } },
}
