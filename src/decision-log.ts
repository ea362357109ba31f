// The decision log: one info record per verdict, for audit: who asked (key id), what was judged (digests, never
// the content unless DECISION_LOG=content), against which policy revision, and the outcome.
import { createHash } from 'node:crypto'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import type { EvaluateRequest } from './evaluate.js'
import type { Verdict } from './verdict/verdict.js'

/** DECISION_LOG: `on` logs each decision, `off` none, `content` each with the submitted Dockerfile text. */
export const DECISION_LOG_MODES = ['on', 'off', 'content'] as const
export type DecisionLogMode = typeof DECISION_LOG_MODES[number]

export class DecisionLog {
  private readonly log: FastifyBaseLogger | undefined

  /** `logger`: the app's; decisions go to its child `{ component: 'decisions' }`. */
  constructor (logger: FastifyBaseLogger, readonly mode: DecisionLogMode = 'on') {
    this.log = mode === 'off' ? undefined : logger.child({ component: 'decisions' })
  }

  /** Logs one decision: `evaluated` is what was judged, `path` the name the report gives it. */
  record (request: FastifyRequest, evaluated: EvaluateRequest, verdict: Verdict, path: string): void {
    if (this.log === undefined) return
    const { summary } = verdict
    this.log.info({
      decisionId: verdict.decisionId,
      decidedAt: new Date().toISOString(),
      reqId: request.id,
      policyRevision: verdict.policySet.digest,
      path,
      subjectDigest: {
        dockerfile: evaluated.dockerfile === undefined ? null : `sha256:${createHash('sha256').update(evaluated.dockerfile).digest('hex')}`,
        // The image id (its config digest) when the document has one, else the registry digest it is known by.
        image: evaluated.image === undefined ? null : evaluated.image.id || evaluated.image.repoDigests[0] || null,
      },
      verdict: verdict.verdict,
      counts: { errors: summary.error, warnings: summary.warning, info: summary.info, suppressed: summary.suppressed },
      durationMs: verdict.durationMs,
      cached: verdict.cached,
      // Set by the API-key check when keys are configured; the key itself is never logged.
      callerKeyId: (request as { callerKeyId?: string }).callerKeyId ?? null,
      ...(this.mode === 'content' && evaluated.dockerfile !== undefined && { dockerfile: evaluated.dockerfile }),
    }, 'decision')
  }
}
