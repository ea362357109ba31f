import t from 'tap'
import { parse } from 'yaml'
import { openApiDocument } from '../../src/openapi.js'
import { build, buildWithRoutes, specErrors } from '../helpers.js'

t.test('health and readiness', async (t) => {
  const app = await build(t)
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  t.same(health.json(), { status: 'ok' })
  t.same(specErrors('/healthz', 'GET', health), [])
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.match(ready.json(), { status: 'ready', policies: app.policySet.policies.length, rules: app.policySet.policies.reduce((n, p) => n + p.rules.length, 0), digest: app.policySet.digest })
  t.same(specErrors('/readyz', 'GET', ready), [])
})

t.test('the contract is served as YAML and JSON', async (t) => {
  const app = await build(t)
  const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' })
  t.equal(yaml.headers['content-type'], 'application/yaml')
  t.same(parse(yaml.body), openApiDocument)
  t.same(specErrors('/openapi.yaml', 'GET', yaml), [])
  const json = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.same(json.json(), openApiDocument)
  t.same(specErrors('/openapi.json', 'GET', json), [])
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger/i)
})

t.test('every route is in openapi.yaml and every operation in openapi.yaml is a route', async (t) => {
  const { app, routes } = await buildWithRoutes(t)
  await app.ready()
  const served = new Set(routes
    .filter((r) => !r.url.startsWith('/docs'))            // Swagger UI's own pages and assets
    .flatMap((r) => [r.method].flat().filter((m) => m !== 'HEAD').map((m) => `${m} ${r.url.replace(/:(\w+)/g, '{$1}')}`)))
  const specified = new Set(Object.entries(openApiDocument.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)))
  t.same([...served].sort(), [...specified].sort())
})
