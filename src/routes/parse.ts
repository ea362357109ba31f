import type { FastifyPluginAsync } from 'fastify'
import { dockerfileFacts } from '../inputs/dockerfile.js'
import { sendProblem } from './problem-reply.js'

interface ParseBody { dockerfile: string, files?: Record<string, string> }

/** POST /v1/parse: the facts policies would see, for policy authors to write and debug rules against. */
export const parseRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: ParseBody | string }>('/v1/parse', {
    schema: {
      body: {
        content: {
          'text/plain': { schema: { type: 'string' } },
          'application/json': { schema: { $ref: 'ParseRequest#' } },
        },
      },
      response: { '4xx': { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const body: ParseBody = typeof request.body === 'string' ? { dockerfile: request.body } : request.body
    if (body.dockerfile.trim() === '') {
      return sendProblem(request, reply, 400, 'the Dockerfile is empty', [{ code: 'input.empty-dockerfile', message: 'the Dockerfile is empty', pointer: '/dockerfile' }])
    }
    return dockerfileFacts(body.dockerfile, body.files ?? {})
  })
}
