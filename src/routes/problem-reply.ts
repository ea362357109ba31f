import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Problem } from '../problem.js'

const TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  413: 'Request body too large',
  414: 'URI too long',
  415: 'Unsupported content type',
  500: 'Internal error',
  503: 'Not ready',
}

/** Replies with an RFC 9457 problem document. */
export function sendProblem (request: FastifyRequest, reply: FastifyReply, status: number, detail: string, errors: readonly Problem[] = []): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `urn:plimsoll:problem:${errors[0]?.code ?? `http-${status}`}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      instance: request.url,
      errors,
    })
}
