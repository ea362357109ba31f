// Graceful shutdown. On SIGTERM (Kubernetes, docker stop) or SIGINT the server stops accepting connections,
// answers every request it has begun, closes keep-alive connections, then the evaluation pool (app.close()
// runs the onClose hooks only once the HTTP server has closed), and exits 0. A request still unanswered
// after the grace period (SHUTDOWN_GRACE) does not hold the process: it exits 1.
import type { FastifyInstance } from 'fastify'
import type { BaseLogger } from 'pino'

/**
 * Once the app is closing, every answer closes its connection. Node closes the keep-alive connections that
 * are idle when closing starts, but not those that become idle later: without this, a connection whose
 * request was in flight would hold the close open for its keep-alive timeout, and its client would send
 * the next request down it. Call before the routes are added.
 */
export function closeConnectionsWhenClosing (app: FastifyInstance): void {
  let closing = false
  app.addHook('preClose', (done) => {
    closing = true
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
}

/**
 * Closes the app on SIGTERM or SIGINT and exits: 0 once every request has had its answer, 1 when `graceMs`
 * passes first, when closing fails, or on a second signal (an operator who means now).
 */
export function shutDownOnSignals (app: FastifyInstance, logger: Pick<BaseLogger, 'info' | 'error'>, graceMs: number): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.error({ signal }, 'a second signal: exiting without waiting for requests in flight')
      process.exit(1)
    }
    stopping = true
    logger.info({ signal, graceSeconds: graceMs / 1000 }, 'shutting down')
    setTimeout(() => {
      logger.error({ graceSeconds: graceMs / 1000 }, 'requests still unanswered after SHUTDOWN_GRACE; exiting without them')
      process.exit(1)
    }, graceMs)
    app.close().then(() => {
      logger.info('every request answered; exiting')
      process.exit(0)
    }, (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed')
      process.exit(1)
    })
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop)
}
