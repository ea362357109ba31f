// POST /v1/evaluate/batch: many Dockerfiles in one call (a monorepo's), each judged on its own with the same
// selectors, answered as one report: `{ summary, results }` in JSON, one SARIF run, one JUnit suite per file.
import type { FastifyPluginAsync } from 'fastify'
import pLimit from 'p-limit'
import type { DecisionLog } from '../decision-log.js'
import type { EvaluateRequest } from '../evaluate.js'
import type { Problem, Result } from '../problem.js'
import type { VerdictCache } from '../verdict-cache.js'
import { FORMATS, type Format, type JudgedFile } from '../verdict/formats/report.js'
import { judgedFile } from '../verdict/formats/rules-run.js'
import type { FailOn, Verdict } from '../verdict/verdict.js'
import { VERSION } from '../version.js'
import { sendProblem, sendProblems } from './problem-reply.js'
import { formatOf, sendReport } from './report-reply.js'

interface BatchFile { path: string, dockerfile: string, files?: Record<string, string> }
type BatchBody = Omit<EvaluateRequest, 'dockerfile' | 'files' | 'image' | 'failOn'> & { files: BatchFile[], failOn?: FailOn }
interface BatchQuery { failOn?: FailOn, format?: Format, fix?: 'true' | 'false' }

/** BATCH_LIMIT's default: about a hundred Dockerfiles with generous context files. */
export const DEFAULT_BATCH_LIMIT = 16 * 1024 * 1024

export interface BatchRouteOptions {
  readonly verdicts: VerdictCache
  readonly decisions: DecisionLog
  /** Largest batch body, in bytes (BATCH_LIMIT): a monorepo's Dockerfiles with their context files. */
  readonly batchLimit: number
  /** How many files are evaluated at once. */
  readonly concurrency: number
}

export const batchRoutes: FastifyPluginAsync<BatchRouteOptions> = async (app, options) => {
  app.post<{ Body: BatchBody, Querystring: BatchQuery }>('/v1/evaluate/batch', {
    bodyLimit: options.batchLimit,
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { failOn: { $ref: 'FailOn#' }, format: { type: 'string', enum: FORMATS }, fix: { type: 'string', enum: ['true', 'false'] } },
      },
      body: { $ref: 'BatchRequest#' },
      response: {
        200: { content: batchContent },
        422: { content: batchContent },
        '4xx': { $ref: 'Problem#' },
      },
    },
  }, async (request, reply) => {
    const { files, ...selectors } = request.body
    const failOn = selectors.failOn ?? request.query.failOn
    const empty = files.flatMap((file, index): Problem[] => file.dockerfile.trim() === ''
      ? [{ code: 'input.empty-dockerfile', message: `${file.path}: the Dockerfile is empty`, pointer: `/files/${index}/dockerfile` }]
      : [])
    if (empty.length > 0) return sendProblem(request, reply, 400, empty.map((p) => p.message).join('; '), empty)
    const set = app.policySet
    const requests = files.map((file): EvaluateRequest => ({
      ...selectors,
      dockerfile: file.dockerfile,
      ...(file.files !== undefined && { files: file.files }),
      ...(failOn !== undefined && { failOn }),
    }))
    // A few at a time, as many as the workers hold: each file's deadline runs from when it is sent to them.
    const limit = pLimit(options.concurrency)
    // With fix=true each verdict carries `fixed`, its diff naming the file's path: the diffs together are one patch.
    const judge = (each: EvaluateRequest, index: number): Promise<Result<Verdict>> => request.query.fix === 'true'
      ? options.verdicts.evaluateAndFix(set, each, undefined, (files[index] as BatchFile).path)
      : options.verdicts.evaluate(set, each)
    const results = await Promise.all(requests.map((each, index) => limit(() => judge(each, index))))
    // The selectors are the same for every file, and so are their problems; a cap or the deadline is one file's.
    const index = results.findIndex((result) => !result.ok)
    const refused = results[index]
    if (refused !== undefined && !refused.ok) return sendProblems(request, reply, refused.problems.map((problem) => ofFile(problem, index, files[index] as BatchFile)))
    const judged = results.map((result, index): JudgedFile => {
      if (!result.ok) throw new Error('unreachable: failed results were answered above')
      const file = files[index] as BatchFile
      const evaluated = requests[index] as EvaluateRequest
      // Each file is a decision of its own, with its own id.
      app.metrics.countVerdict(result.value)
      options.decisions.record(request, evaluated, result.value, file.path)
      return judgedFile(set, evaluated, file.path, result.value)
    })
    request.log.info({ files: judged.length, verdicts: judged.map((j) => ({ path: j.path, verdict: j.verdict.verdict, decisionId: j.verdict.decisionId })) }, 'evaluated a batch')
    return sendReport(reply, formatOf(request), { files: judged, version: VERSION, batch: true })
  })
}

const ofFile = (problem: Problem, index: number, file: BatchFile): Problem => /^(limit|evaluation)\./.test(problem.code)
  ? { ...problem, message: `${file.path}: ${problem.message}`, pointer: `/files/${index}${problem.pointer ?? ''}` }
  : problem

const batchContent = {
  'application/json': { schema: { $ref: 'BatchVerdict#' } },
  'application/sarif+json': { schema: { type: 'string' } },
  'application/xml': { schema: { type: 'string' } },
  'text/plain': { schema: { type: 'string' } },
}
