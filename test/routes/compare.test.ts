import { fileURLToPath } from 'node:url'
import t from 'tap'
import { openApiDocument } from '../../src/openapi.js'
import { prefersMarkdown } from '../../src/routes/compare.js'
import { build, specErrors } from '../helpers.js'

// The fixture pack `images`: final-user-not-root (error; Dockerfile rule with an image check), workdir-set
// (info; Dockerfile only), no-shell (warning; image only, needs a file listing).
const IMAGE_POLICIES = fileURLToPath(new URL('../fixtures/images/policies', import.meta.url))

/** `docker image inspect` output of an image that runs as root (no User) and exposes 8080. */
const ROOT_IMAGE = [{
  Id: `sha256:${'a'.repeat(64)}`,
  RepoTags: ['alpine-app:1'],
  Os: 'linux',
  Architecture: 'amd64',
  Size: 7_800_000,
  Config: { User: '', ExposedPorts: { '8080/tcp': {} }, Cmd: ['/bin/sh'] },
  RootFS: { Type: 'layers', Layers: [`sha256:${'b'.repeat(64)}`, `sha256:${'c'.repeat(64)}`] },
}]
const DISTROLESS = 'FROM gcr.io/distroless/static-debian12\nWORKDIR /app\nCOPY app /app/\nUSER 65532\nEXPOSE 8080\nENTRYPOINT ["/app/app"]\n'

type App = Awaited<ReturnType<typeof build>>
const post = (app: App, payload: unknown, options: { url?: string, accept?: string, type?: string } = {}) => app.inject({
  method: 'POST',
  url: options.url ?? '/v1/compare',
  headers: { 'content-type': options.type ?? 'application/json', ...(options.accept !== undefined && { accept: options.accept }) },
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
})
const PAIR = { subjects: [{ label: 'alpine', image: ROOT_IMAGE }, { label: 'distroless', dockerfile: DISTROLESS }] }

t.test('a Dockerfile against an image document, side by side', async (t) => {
  const app = await build(t, { policyDir: IMAGE_POLICIES })
  const res = await post(app, PAIR)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(specErrors('/v1/compare', 'POST', res), [])
  const comparison = res.json()
  t.same(comparison.variants, [
    {
      label: 'alpine', kind: 'docker-inspect', imageKind: 'docker-inspect', size: 7_800_000, layers: 2, user: '', root: true,
      shell: null, shells: null, packageManager: null, packageManagers: null, exposedPorts: ['8080/tcp'], verdict: 'fail',
      summary: { error: 1, warning: 0, info: 0, suppressed: 0, rulesEvaluated: 1, notEvaluated: 1, ruleErrors: 0 },
    },
    {
      label: 'distroless', kind: 'dockerfile', imageKind: null, size: null, layers: 1, user: '65532', root: false,
      shell: null, shells: null, packageManager: null, packageManagers: null, exposedPorts: ['8080/tcp'], verdict: 'pass',
      summary: { error: 0, warning: 0, info: 0, suppressed: 0, rulesEvaluated: 2, notEvaluated: 0, ruleErrors: 0 },
    },
  ], 'unknown is null, never a guess: no size for a Dockerfile, no shell without a file listing')
  t.same(comparison.rules.map((r: { ruleId: string, outcomes: string[] }) => [r.ruleId, r.outcomes]), [
    ['final-user-not-root', ['fail', 'pass']],
    ['workdir-set', ['notRun', 'pass']],
  ], 'no-shell ran on neither (no listing; no Dockerfile check), so it has no row')
  t.same(comparison.differences, [{ ruleId: 'final-user-not-root', severity: 'error', passes: ['distroless'], fails: ['alpine'] }])
  t.match(comparison.policySet, { policies: [{ name: 'images', version: '1.0.0' }], digest: app.policySet.digest })
})

t.test('a subject with both: the image judged with its Dockerfile, image facts first', async (t) => {
  const app = await build(t, { policyDir: IMAGE_POLICIES })
  const res = await post(app, { subjects: [{ label: 'built', image: ROOT_IMAGE, kind: 'docker-inspect', dockerfile: DISTROLESS }, { label: 'source', dockerfile: 'FROM alpine:3.20\nUSER root\n' }] })
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/compare', 'POST', res), [])
  const comparison = res.json()
  t.match(comparison.variants[0], { kind: 'both', imageKind: 'docker-inspect', user: '', root: true, layers: 2, size: 7_800_000 })
  t.match(comparison.variants[1], { kind: 'dockerfile', user: 'root', root: true, layers: 0 })
  t.same(comparison.rules.map((r: { ruleId: string, outcomes: string[] }) => [r.ruleId, r.outcomes]), [
    ['final-user-not-root', ['fail', 'fail']],
    ['workdir-set', ['pass', 'fail']],
  ], 'the Dockerfile rule ran on the Dockerfile, its image check on the image')
  t.same(comparison.differences, [{ ruleId: 'workdir-set', severity: 'info', passes: ['built'], fails: ['source'] }])
})

t.test('the same selection for every subject; pragmas suppress per subject', async (t) => {
  const app = await build(t, { policyDir: IMAGE_POLICIES })
  const only = await post(app, { ...PAIR, include: [], exclude: ['workdir-set'] })
  t.same(only.json().rules.map((r: { ruleId: string }) => r.ruleId), ['final-user-not-root'])
  const suppressed = await post(app, { subjects: [{ label: 'a', dockerfile: 'FROM alpine:3.20\nUSER 1\n' }, { label: 'b', dockerfile: '# plimsoll global ignore=workdir-set\nFROM alpine:3.20\nUSER 1\n' }] })
  t.same(suppressed.json().rules.find((r: { ruleId: string }) => r.ruleId === 'workdir-set')?.outcomes, ['fail', 'suppressed'])
  t.same(suppressed.json().differences, [], 'suppressed is not a pass')
})

t.test('markdown for a pull-request comment: ?format=markdown or Accept: text/markdown', async (t) => {
  const app = await build(t, { policyDir: IMAGE_POLICIES })
  const byQuery = await post(app, PAIR, { url: '/v1/compare?format=markdown' })
  t.equal(byQuery.statusCode, 200)
  t.equal(byQuery.headers['content-type'], 'text/markdown; charset=utf-8')
  t.same(specErrors('/v1/compare', 'POST', byQuery), [])
  t.match(byQuery.body, /^### Plimsoll: `alpine` vs `distroless`\n\n\| {2}\| alpine \| distroless \|\n\| --- \| --- \| --- \|\n/)
  t.match(byQuery.body, /\| \*\*Size\*\* \| 7\.8 MB \| unknown \|/)
  t.match(byQuery.body, /\| \*\*Layers\*\* \| 2 \| base \+ 1 \|/)
  t.match(byQuery.body, /\*\*Passed by one, failed by another \(1\)\*\*\n\n\| Rule \| Severity \| alpine \| distroless \|\n\| --- \| --- \| --- \| --- \|\n\| `final-user-not-root` \| error \| ❌ fail \| ✅ pass \|\n/)
  t.match(byQuery.body, /<details><summary>All 2 rules that ran<\/summary>[^]*\| `workdir-set` \| info \| — \| ✅ pass \|\n\n<\/details>\n$/)

  const byAccept = await post(app, PAIR, { accept: 'text/markdown' })
  t.equal(byAccept.headers['content-type'], 'text/markdown; charset=utf-8')
  t.equal(byAccept.body, byQuery.body)
  const jsonWins = await post(app, PAIR, { url: '/v1/compare?format=json', accept: 'text/markdown' })
  t.equal(jsonWins.headers['content-type'], 'application/json; charset=utf-8', 'the query wins over Accept')

  const piped = await post(app, { subjects: [{ label: 'a|b', dockerfile: 'FROM alpine:3.20\nUSER a|b\n' }, { label: 'c\nd', dockerfile: DISTROLESS }] }, { url: '/v1/compare?format=markdown' })
  t.match(piped.body, /\| {2}\| a\\\|b \| c d \|/, 'a pipe in a label is escaped, a line break is a space')
  t.match(piped.body, /\| \*\*User\*\* \| a\\\|b \| 65532 \|/, 'and in any cell')
})

t.test('Accept negotiation (negotiator) ranks by q, then by specificity and order', async (t) => {
  const cases: Array<[string | undefined, boolean]> = [
    [undefined, false], ['*/*', false], ['application/json', false], ['text/markdown', true],
    ['text/markdown, application/json', true], ['application/json, text/markdown', false],
    ['application/json;q=0.5, text/markdown', true], ['text/markdown;q=0', false], ['text/markdown;q=x', false],
    ['TEXT/Markdown', true], ['text/*', true], ['application/json;q=0.9, text/*;q=0.8', false],
  ]
  for (const [accept, markdown] of cases) t.equal(prefersMarkdown(accept), markdown, String(accept))
})

t.test('bad requests are problems naming the subject by index and label', async (t) => {
  const app = await build(t, { policyDir: IMAGE_POLICIES })
  const image = { label: 'alpine', image: ROOT_IMAGE }
  const cases: Array<[string, unknown, string, RegExp, string?]> = [
    ['no subjects', { subjects: [] }, 'input.invalid', /subjects must NOT have fewer than 2 items/],
    ['one subject', { subjects: [image] }, 'input.invalid', /subjects must NOT have fewer than 2 items/],
    ['an empty label', { subjects: [image, { label: '', dockerfile: DISTROLESS }] }, 'input.invalid', /subjects\/1\/label must NOT have fewer than 1 characters/],
    ['a blank label', { subjects: [image, { label: ' ', dockerfile: DISTROLESS }] }, 'input.compare-label', /subject 1 has an empty label/, '/subjects/1/label'],
    ['duplicate labels', { subjects: [image, { label: 'x', dockerfile: DISTROLESS }, { label: 'alpine', dockerfile: DISTROLESS }] }, 'input.compare-duplicate-label', /subject 2 \(\\"alpine\\"\): subject 0 has the same label/, '/subjects/2/label'],
    ['a subject with nothing', { subjects: [image, { label: 'empty', files: {} }] }, 'input.no-subject', /subject 1 \(\\"empty\\"\): send a dockerfile, an image, or both/, '/subjects/1'],
    ['a kind without an image', { subjects: [image, { label: 'k', dockerfile: DISTROLESS, kind: 'oci-config' }] }, 'input.image-kind', /subject 1 \(\\"k\\"\): kind names/, '/subjects/1/kind'],
    ['an unreadable image', { subjects: [{ label: 'src', dockerfile: DISTROLESS }, { label: 'distroless', image: { hello: 'world' } }] }, 'input.image-unknown', /subject 1 \(\\"distroless\\"\): not an image document/, '/subjects/1/image'],
    ['a field of the wrong type', { subjects: [{ label: 'src', dockerfile: DISTROLESS }, { label: 'cfg', image: { architecture: 'amd64', os: 'linux', config: { User: 7 } } }] }, 'input.image-field', /subject 1 \(\\"cfg\\"\): expected a string, found a number/, '/subjects/1/image/config/User'],
    ['a kind that does not fit', { subjects: [{ label: 'src', dockerfile: DISTROLESS }, { label: 'm', image: ROOT_IMAGE, kind: 'oci-index' }] }, 'input.image-kind', /subject 1 \(\\"m\\"\): kind \\"oci-index\\" does not fit/, '/subjects/1/image/0'],
    ['an unknown kind', { subjects: [image, { label: 'm', image: ROOT_IMAGE, kind: 'helm-chart' }] }, 'input.invalid', /subjects\/1\/kind must be equal to one of the allowed values/],
    ['an empty Dockerfile', { subjects: [{ label: 'blank', dockerfile: '\n' }, image] }, 'input.empty-dockerfile', /subject 0 \(\\"blank\\"\): the Dockerfile is empty/, '/subjects/0/dockerfile'],
    ['an unknown policy, once', { ...PAIR, policies: ['nope'] }, 'input.unknown-policy', /^(?!.*subject).*unknown policy \\"nope\\"; loaded: images/, '/policies'],
    ['an unknown field', { ...PAIR, failOn: 'error' }, 'input.invalid', /additional properties: \\"failOn\\"/],
    ['a Dockerfile as text', 'FROM alpine', 'input.invalid', /body must be object/],
  ]
  for (const [name, payload, code, detail, pointer] of cases) {
    const res = await post(app, payload, typeof payload === 'string' ? { type: 'text/plain' } : {})
    t.equal(res.statusCode, 400, `${name}: 400`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${name}: problem+json`)
    t.match(res.json(), { status: 400, instance: '/v1/compare', errors: [{ code }] }, `${name}: ${code}`)
    t.match(res.body, detail, `${name}: says what was wrong`)
    if (pointer !== undefined) t.equal(res.json().errors[0].pointer, pointer, `${name}: points at it`)
    t.same(specErrors('/v1/compare', 'POST', res), [], `${name}: matches the spec`)
  }
  const every = await post(app, { subjects: [{ label: 'a', image: [] }, { label: 'b', image: {} }] })
  t.same(every.json().errors.map((e: { pointer: string }) => e.pointer), ['/subjects/0/image', '/subjects/1/image'], 'every unreadable image at once')
  const format = await post(app, PAIR, { url: '/v1/compare?format=html' })
  t.match(format.json(), { status: 400, errors: [{ message: /querystring\/format must be equal to one of the allowed values: json, markdown/ }] })
})

t.test('the request example in openapi.yaml compares on the shipped policies', async (t) => {
  const app = await build(t)
  const operation = openApiDocument.paths['/v1/compare']?.post as { requestBody: { content: Record<string, { example: unknown }> } }
  const res = await post(app, operation.requestBody.content['application/json']?.example)
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/compare', 'POST', res), [])
  t.match(res.json().variants, [{ label: 'alpine', kind: 'oci-config', layers: 1 }, { label: 'distroless', kind: 'dockerfile', user: '65532', exposedPorts: ['8080/tcp'] }])
})

t.test('over real HTTP on 127.0.0.1', async (t) => {
  const app = await build(t, { policyDir: IMAGE_POLICIES })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const res = await fetch(`${url}/v1/compare`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/markdown' }, body: JSON.stringify(PAIR) })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'text/markdown; charset=utf-8')
  t.match(await res.text(), /\| `final-user-not-root` \| error \| ❌ fail \| ✅ pass \|/)
  const bad = await fetch(`${url}/v1/compare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subjects: [{ label: 'a', dockerfile: DISTROLESS }, { label: 'a', image: ROOT_IMAGE }] }) })
  t.equal(bad.status, 400)
  t.equal(bad.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  t.match(await bad.json(), { errors: [{ code: 'input.compare-duplicate-label', pointer: '/subjects/1/label' }] })
})
