import type { FastifyPluginAsync } from 'fastify'
import type { EvaluationPool } from '../evaluation/pool.js'
import type { ImageRouteOptions } from './evaluate.js'
import { ARCHIVE_TYPES, jsonFields, readImageBody } from './image-body.js'
import { sendProblem, sendProblems } from './problem-reply.js'

interface ParseBody { dockerfile?: string, files?: Record<string, string>, image?: unknown, kind?: string }

/** POST /v1/parse: the facts policies would see (of a Dockerfile, or of an image), for policy authors to write and debug rules against. */
export const parseRoutes: FastifyPluginAsync<ImageRouteOptions & { pool: EvaluationPool }> = async (app, options) => {
  app.post<{ Body: ParseBody | string | NodeJS.ReadableStream }>('/v1/parse', {
    schema: {
      body: {
        content: {
          'text/plain': { schema: { type: 'string' } },
          'application/json': { schema: { $ref: 'ParseRequest#' } },
          ...Object.fromEntries(ARCHIVE_TYPES.map((type) => [type, { schema: {} }])),
        },
      },
      response: { '4xx': { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const body = jsonFields<ParseBody>(request.body)
    if (body.dockerfile !== undefined && body.image !== undefined) {
      return sendProblem(request, reply, 400, 'send a Dockerfile or an image to /v1/parse, not both', [{ code: 'input.two-subjects', message: 'send a Dockerfile or an image, not both', pointer: '/image' }])
    }
    const image = await readImageBody(request.body, options.archiveLimit)
    if (image !== undefined) {
      return image.ok ? image.value : sendProblems(request, reply, image.problems)
    }
    if (body.dockerfile === undefined || body.dockerfile.trim() === '') {
      return sendProblem(request, reply, 400, 'the Dockerfile is empty', [{ code: 'input.empty-dockerfile', message: 'the Dockerfile is empty', pointer: '/dockerfile' }])
    }
    const facts = await options.pool.parse({ dockerfile: body.dockerfile, files: body.files ?? {} })
    return facts.ok ? facts.value : sendProblems(request, reply, facts.problems)
  })
}
