import type { FastifyReply, FastifyRequest } from 'fastify'
import { DEADLINE_CODE, OVERLOADED_CODE } from '../evaluation/deadline.js'
import { limitCode, LIMIT_SETTINGS, type Limits } from '../inputs/limits.js'
import type { Problem } from '../problem.js'

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  404: 'Not found',
  413: 'Request body too large',
  414: 'URI too long',
  415: 'Unsupported content type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
}

/** Replies with an RFC 9457 problem document. */
export function sendProblem (request: FastifyRequest, reply: FastifyReply, status: number, detail: string, errors: readonly Problem[] = []): FastifyReply {
  return reply.code(status).type('application/problem+json').send(problemDocument(request, status, detail, errors))
}

/** The RFC 9457 problem document sendProblem sends. */
export function problemDocument (request: FastifyRequest, status: number, detail: string, errors: readonly Problem[] = []): object {
  return {
    type: `urn:plimsoll:problem:${errors[0]?.code ?? `http-${status}`}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: request.url,
    errors,
  }
}

// The status a problem's code calls for; any other problem of a request is a 400.
const STATUS_OF_CODE = new Map<string, number>([
  ...Object.entries(LIMIT_SETTINGS).map(([name, { status }]): [string, number] => [limitCode(name as keyof Limits), status]),
  ['input.image-too-large', 413], ['input.image-too-many-files', 413], ['input.image-json-too-large', 413],
  [DEADLINE_CODE, 503], [OVERLOADED_CODE, 503],
])

/** The HTTP status for a request's problems: that of the first with a status of its own, else 400. */
export function problemStatus (problems: readonly Problem[]): number {
  for (const problem of problems) {
    const status = STATUS_OF_CODE.get(problem.code)
    if (status !== undefined) return status
  }
  return 400
}

/** Replies with the problems of a request, at the status they call for; a full queue says when to try again. */
export function sendProblems (request: FastifyRequest, reply: FastifyReply, problems: readonly Problem[]): FastifyReply {
  if (problems.some((problem) => problem.code === OVERLOADED_CODE)) void reply.header('retry-after', '1')
  return sendProblem(request, reply, problemStatus(problems), problems.map((p) => p.message).join('; '), problems)
}
