import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { EvaluationPool } from '../evaluation/pool.js'
import { sendProblem, sendProblems } from './problem-reply.js'

/** The body as sent: problems then point at the author's own lines, in YAML and in JSON alike. */
interface PolicyBody { readonly text: string, readonly json: boolean }

const YAML_TYPES = ['application/yaml', 'text/yaml', 'text/plain']

/**
 * POST /v1/policies/validate: compiles a policy document and runs its examples, without loading it.
 * The parsers below are scoped to this plugin, so other routes keep Fastify's JSON and text parsers.
 */
export const validateRoutes: FastifyPluginAsync<{ pool: EvaluationPool }> = async (app, options) => {
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request: FastifyRequest, body: string | Buffer, done) => {
    done(null, { text: body.toString(), json: false } satisfies PolicyBody)
  })
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request: FastifyRequest, body: string | Buffer, done) => {
    done(null, { text: body.toString(), json: true } satisfies PolicyBody)
  })

  app.post<{ Body: PolicyBody | undefined }>('/v1/policies/validate', {
    schema: { response: { 200: { $ref: 'PolicyValidation#' }, '4xx': { $ref: 'Problem#' } } },
  }, async (request, reply) => {
    const { text, json } = request.body ?? { text: '', json: false }
    if (text.trim() === '') {
      return sendProblem(request, reply, 400, 'the policy document is empty; send it as application/yaml', [
        { code: 'input.empty-policy', message: 'the policy document is empty' },
      ])
    }
    // Broken YAML is a finding about the policy (200, valid false); broken JSON is a malformed request.
    if (json) {
      const problem = jsonObjectProblem(text)
      if (problem !== undefined) return sendProblem(request, reply, 400, problem, [{ code: 'input.invalid-json', message: problem }])
    }
    // Off the HTTP thread and under the deadline: the text and its examples are the caller's.
    const validation = await options.pool.validate(text)
    return validation.ok ? validation.value : sendProblems(request, reply, validation.problems)
  })
}

function jsonObjectProblem (text: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return `the body is not JSON: ${(error as Error).message}`
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'the JSON body must be a policy document (an object)'
  return undefined
}
