import type { FastifyInstance } from 'fastify'
import { problemDocument } from './problem-reply.js'

/** MAX_RESPONSE's default: ten times the largest answer measured, a batch of 115 real Dockerfiles in JUnit (2.5 MB). */
export const DEFAULT_MAX_RESPONSE = 32 * 1024 * 1024

/**
 * Answers a 422 problem instead of a body over `maxResponse` bytes: the caps bound each evaluation, but a batch of
 * a thousand files in a verbose format can still add up past what a caller should have to hold.
 */
export function limitResponses (app: FastifyInstance, maxResponse: number): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    // A UTF-8 byte is at most three per UTF-16 unit, so most answers need no counting.
    const size = typeof payload === 'string' ? (payload.length * 3 <= maxResponse ? 0 : Buffer.byteLength(payload)) : Buffer.isBuffer(payload) ? payload.length : 0
    if (size <= maxResponse) return done(null, payload)
    const message = `the answer would have ${size} bytes, more than ${maxResponse}, the cap set by MAX_RESPONSE; send fewer files or ask for a terser format`
    for (const name of Object.keys(reply.getHeaders())) if (name.startsWith('plimsoll-') || name === 'content-length') reply.removeHeader(name)
    reply.code(422).type('application/problem+json')
    done(null, JSON.stringify(problemDocument(request, 422, message, [{ code: 'limit.max-response', message }])))
  })
}
