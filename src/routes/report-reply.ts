// Sends verdicts in the format asked for, with headers that tell a script the outcome without reading the body.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { batchSummary, formatFromAccept, jsonReport, MEDIA_TYPES, renderReport } from '../verdict/formats/render.js'
import type { Format, Report } from '../verdict/formats/report.js'

/** `?format=` wins over the Accept header; JSON when neither names a format. */
export const formatOf = (request: FastifyRequest<{ Querystring: { format?: Format } }>): Format =>
  request.query.format ?? formatFromAccept(request.headers.accept)

/**
 * 422 when any file reaches its threshold (so `curl --fail-with-body` fails the step and still prints the report),
 * else 200. The headers count findings over every file; a single verdict's decision id is a header too.
 */
export function sendReport (reply: FastifyReply, format: Format, report: Report): FastifyReply {
  const verdicts = report.files.map((file) => file.verdict)
  const total = (pick: (summary: typeof verdicts[number]['summary']) => number): string => String(verdicts.reduce((sum, v) => sum + pick(v.summary), 0))
  const summary = batchSummary(report)
  reply.headers({
    'plimsoll-verdict': summary.verdict,
    'plimsoll-errors': total((s) => s.error),
    'plimsoll-warnings': total((s) => s.warning),
    'plimsoll-info': total((s) => s.info),
    'plimsoll-suppressed': total((s) => s.suppressed),
    ...(verdicts.length === 1 && { 'plimsoll-decision-id': verdicts[0]?.decisionId }),
  })
  reply.code(summary.thresholdReached > 0 ? 422 : 200)
  // JSON goes through the route's response schema; the other formats are text already.
  return format === 'json' ? reply.send(jsonReport(report)) : reply.type(MEDIA_TYPES[format]).send(renderReport(format, report))
}
