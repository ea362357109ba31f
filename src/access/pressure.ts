// Load shedding: when the event loop lags past a limit, requests are answered 503 at once, with Retry-After,
// instead of queueing behind the work that made it lag. Probes and /metrics still answer.
import type { FastifyInstance } from 'fastify'
import underPressure from '@fastify/under-pressure'
import { sendProblem } from '../routes/problem-reply.js'
import { isMonitoring } from './routes.js'

export interface PressureOptions {
  /** Mean event-loop delay over a second, in ms, past which requests are refused (MAX_EVENT_LOOP_DELAY). */
  readonly maxEventLoopDelay: number
}

/** Seconds a refused client is asked to wait. */
const RETRY_AFTER = 5
/** How often the plugin measures the event loop, in ms (its default). */
const SAMPLE_INTERVAL = 1000

export async function shedLoad (app: FastifyInstance, options: PressureOptions): Promise<void> {
  // The samples that span the start (schemas compiled as the app gets ready) measure the start, not load: the
  // first requests after it would be refused. Nothing is refused until two samples after ready.
  let settled = false
  app.addHook('onReady', async () => { setTimeout(() => { settled = true }, 2 * SAMPLE_INTERVAL).unref() })
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelay,
    sampleInterval: SAMPLE_INTERVAL,
    // No status route: /healthz and /readyz are the probes.
    exposeStatusRoute: false,
    // The plugin's own refusal is an error the app's handler would answer as a 500; this answers the problem
    // itself and resolves only when it is written, so no later hook or handler runs for the request.
    pressureHandler: async (request, reply) => {
      if (!settled || isMonitoring(request)) return
      reply.header('retry-after', RETRY_AFTER)
      const detail = `the server is overloaded: its event loop lags more than ${options.maxEventLoopDelay} ms (MAX_EVENT_LOOP_DELAY); retry in ${RETRY_AFTER} s`
      await sendProblem(request, reply, 503, detail, [{ code: 'http.overloaded', message: detail }])
    },
  })
}
