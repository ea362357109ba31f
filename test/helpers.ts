import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { buildApp, type AppOptions } from '../src/app.js'
import { openApiDocument } from '../src/openapi.js'

export const POLICY_DIR = fileURLToPath(new URL('../policies', import.meta.url))
export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url))

/** True when a program is on PATH. */
export function installed (tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

interface Closable { teardown (fn: () => unknown): void }

/** Builds the app on the shipped policies (or others) and closes it when the test ends. */
export async function build (t: Closable, options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ policyDir: POLICY_DIR, ...options })
  t.teardown(() => app.close())
  return app
}

/** Builds the app and records every route it registers. */
export async function buildWithRoutes (t: Closable): Promise<{ app: FastifyInstance, routes: RouteOptions[] }> {
  const routes: RouteOptions[] = []
  const app = await build(t, { onRoute: (route) => { routes.push(route) } })
  return { app, routes }
}

// Response bodies are checked against openapi.yaml's own schemas, compiled as JSON Schema 2020-12.
const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats.default(ajv)
ajv.addSchema({ $id: 'openapi.json', ...openApiDocument })

interface Response { statusCode: number, headers: Record<string, unknown>, body: string }

/** Errors of a response against the spec's schema for its path, method, status and content type; [] when it conforms. */
export function specErrors (path: string, method: string, res: Response): string[] {
  const operation = openApiDocument.paths[path]?.[method.toLowerCase()] as { responses?: Record<string, { content?: Record<string, unknown> }> } | undefined
  let response = operation?.responses?.[String(res.statusCode)] as { $ref?: string, content?: Record<string, unknown> } | undefined
  if (response === undefined) return [`${method} ${path} has no ${res.statusCode} response in openapi.yaml`]
  let at = `openapi.json#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${res.statusCode}`
  // A shared response (401, 429, 503): `$ref: '#/components/responses/Name'`.
  if (response.$ref !== undefined) {
    at = `openapi.json${response.$ref}`
    response = (openApiDocument.components as { responses?: Record<string, typeof response> }).responses?.[response.$ref.split('/').pop() ?? '']
    if (response === undefined) return [`no response at ${at}`]
  }
  const type = String(res.headers['content-type'] ?? '').split(';')[0] as string
  if (response.content === undefined) return []
  if (!(type in response.content)) return [`${method} ${path} ${res.statusCode} answers ${type}, the spec says ${Object.keys(response.content).join(', ')}`]
  const pointer = `${at}/content/${type.replace(/\//g, '~1')}/schema`
  const validate = ajv.getSchema(pointer)
  if (validate === undefined) return [`no schema at ${pointer}`]
  const body: unknown = type.endsWith('json') ? JSON.parse(res.body) : res.body
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`)
}
