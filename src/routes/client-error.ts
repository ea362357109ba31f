// Requests Node's HTTP parser refuses before Fastify sees them (headers over the limit, a request too slow, bytes
// that are not HTTP) get a problem document too, written on the socket as Fastify's default handler does.
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'

const REFUSALS: Readonly<Record<string, { status: number, detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'the request line and headers are over the server\'s limit (16 KiB)' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'the request did not arrive in time' },
}

export function answerClientError (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A connection reset left nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, detail } = REFUSALS[error.code ?? ''] ?? { status: 400, detail: 'the request is not valid HTTP' }
  const code = `http.${(error.code ?? 'client_error').toLowerCase()}`
  const body = JSON.stringify({ type: `urn:plimsoll:problem:${code}`, title: STATUS_CODES[status], status, detail, errors: [{ code, message: error.message }] })
  this.log.debug({ err: error }, 'refused a malformed request')
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(error)
}
