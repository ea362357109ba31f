// Swagger UI at /docs, checked in a real browser (Debian's chromium, driven by playwright-core):
// every operation in openapi.yaml is listed, evaluate offers every request type, report format and
// response example, and "Try it out" with the spec's own examples reaches the live service and shows
// its answer. Skipped, with the reason, when chromium is not installed.
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium, type Locator, type Page } from 'playwright-core'
import { openApiDocument } from '../src/openapi.js'
import { FORMATS } from '../src/verdict/formats/report.js'
import { build } from './helpers.js'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOT = '/tmp/plimsoll-docs.png'
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])
const TIMEOUT = 60_000 // generous, for slow CI machines; never asserted on
const UI_WAIT = 30_000 // how long to wait for an element before the assertion reports what it saw

const missing = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install --no-install-recommends chromium; .ci/run does it)`

// Launching a browser takes a while; the file as a whole may take longer than tap's default 30s.
if (missing === false) t.setTimeout(180_000)

/** The parts of the evaluate operation in openapi.yaml read here. */
interface EvaluateOperation {
  parameters: Array<{ name: string, schema: { enum?: string[] } }>
  requestBody: { content: Record<string, { example?: unknown, schema?: { properties?: Record<string, { example?: unknown }> } }> }
  responses: Record<'200', { content: Record<string, { examples?: Record<string, { value: unknown }> }> }>
}

/** "post /v1/evaluate" for each operation in openapi.yaml, sorted. */
const specOperations = Object.entries(openApiDocument.paths)
  .flatMap(([path, item]) => Object.keys(item).filter((key) => METHODS.has(key)).map((method) => `${method} ${path}`))
  .sort()

t.test('Swagger UI at /docs in a real browser', { skip: missing, timeout: 3 * TIMEOUT }, async (t) => {
  // tap runs teardowns last-registered first: the browser closes before the app, so no
  // keep-alive connection of the browser's holds the server open.
  const app = await build(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  // Never a downloaded browser: only the system's chromium, by its path.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(UI_WAIT)

  // The docs must work offline: anything not served by Plimsoll itself is refused and recorded.
  const foreign: string[] = []
  await page.route('**/*', async (route) => {
    const url = route.request().url()
    if (url.startsWith(`${origin}/`)) return route.continue()
    foreign.push(url)
    return route.abort()
  })
  const pageErrors: string[] = []
  page.on('pageerror', (error) => { pageErrors.push(error.message) })
  // The Content-Security-Policy (helmet's) must let Swagger UI run: the browser reports what it blocks as console errors.
  const consoleErrors: string[] = []
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()) })

  const docs = await page.goto(`${origin}/docs`)
  t.equal(docs?.status(), 200, 'GET /docs answers 200')
  t.match(docs?.headers()['content-security-policy'], /default-src 'self'/, 'GET /docs carries a Content-Security-Policy')
  await page.locator('.swagger-ui .information-container .title').first().waitFor()

  await t.test('lists every operation in openapi.yaml', { timeout: TIMEOUT }, async (t) => {
    // Operations render together once the spec is loaded; waiting for the count only gives
    // the page time, the comparison below says what is missing or extra.
    await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, specOperations.length, { timeout: UI_WAIT })
      .catch(() => undefined)
    const listed = await page.locator('.opblock').evaluateAll((blocks) => blocks.map((block) => {
      const method = block.querySelector('.opblock-summary-method')?.textContent?.trim().toLowerCase() ?? '?'
      const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '?'
      return `${method} ${path}`
    }))
    t.same(listed.slice().sort(), specOperations, 'the operations Swagger UI lists are exactly those of openapi.yaml')
    for (const operation of specOperations) {
      const [method = '', path = ''] = operation.split(' ')
      t.ok(await operationBlock(page, method, path).locator('.opblock-summary').isVisible(), `${operation} is visible`)
    }
    t.equal(await page.locator('.swagger-ui .errors-wrapper').count(), 0, 'Swagger UI reports no errors in the spec')
  })

  await t.test('"Try it out" POST /v1/evaluate with the text/plain example answers 200, verdict warn', { timeout: TIMEOUT }, async (t) => {
    const block = await expand(page, 'post', '/v1/evaluate')
    await block.locator('.try-out__btn').click()
    const body = block.locator('textarea.body-param__text')
    await body.waitFor()
    const example = (openApiDocument.paths['/v1/evaluate']?.post as {
      requestBody: { content: Record<string, { example?: unknown }> }
    }).requestBody.content['text/plain']?.example
    t.equal(typeof example, 'string', 'openapi.yaml has a text/plain example body')
    t.equal(await block.locator('.body-param-content-type select').inputValue(), 'text/plain', 'the request body media type defaults to text/plain')
    t.equal(await body.inputValue(), example, 'the request body is the spec\'s text/plain example')

    const { status, text, requestUrl } = await execute(block)
    t.equal(requestUrl.split('?')[0], `${origin}/v1/evaluate`, 'the request goes to this server\'s /v1/evaluate')
    t.equal(status, '200', 'the live response is 200')
    t.match(text, '"verdict": "warn"', 'the live response body has "verdict": "warn" (nine warnings, no error)')
  })

  await t.test('POST /v1/evaluate offers every request type, every format, and an example of each format', { timeout: TIMEOUT }, async (t) => {
    const operation = evaluateOperation()
    const block = await tryItOut(await expand(page, 'post', '/v1/evaluate'))

    const requestTypes = await optionValues(block.locator('.body-param-content-type select'))
    t.same(requestTypes, Object.keys(operation.requestBody.content), 'the request body media types are those of openapi.yaml')
    for (const type of ['text/plain', 'application/json', 'multipart/form-data']) t.ok(requestTypes.includes(type), `${type} is offered`)

    // The spec's enum is the code's: a format added to one only fails here.
    const formats = (await optionValues(block.locator('tr[data-param-name="format"] select'))).filter((v) => v !== '')
    t.same(formats, [...FORMATS], 'the format parameter offers every format Plimsoll renders')
    t.same(operation.parameters.find((p) => p.name === 'format')?.schema.enum, [...FORMATS], 'openapi.yaml documents the same enum')

    // Each response media type offers its named examples and shows the first; choosing the others would only cost time.
    const ok = block.locator('.responses-wrapper tr.response[data-code="200"]')
    const mediaType = ok.locator('.response-control-media-type select')
    for (const [type, { examples = {} }] of Object.entries(operation.responses['200'].content)) {
      await mediaType.selectOption(type)
      const names = await optionValues(ok.locator('.response-control-examples select'))
      t.same(names, Object.keys(examples), `${type}: the examples of openapi.yaml are offered (${names.join(', ')})`)
      // Swagger UI turns a string example of an XML media type into XML of its own (swagger-ui#9356): JUnit and
      // checkstyle are only offered. The others are shown as they are, an object as indented JSON.
      const [first] = Object.values(examples)
      if (type.endsWith('xml') || first === undefined) continue
      const expected = typeof first.value === 'string' ? first.value : JSON.stringify(first.value, null, 2)
      t.equal((await ok.locator('.model-example .highlight-code').first().textContent())?.trim(), expected.trim(), `${type}: the "${names[0]}" example is shown`)
    }
    // The media type chosen here sets the Accept header: back to the default.
    await mediaType.selectOption('application/json')
  })

  await t.test('"Try it out" POST /v1/evaluate as multipart/form-data with ?format=sarif: the form holds the spec\'s examples, a chosen Dockerfile answers 200 SARIF', { timeout: TIMEOUT }, async (t) => {
    const operation = evaluateOperation()
    const block = await tryItOut(await expand(page, 'post', '/v1/evaluate'))
    await block.locator('.body-param-content-type select').selectOption('multipart/form-data')
    const dockerfile = block.locator('tr[data-property-name="dockerfile"] input[type=file]')
    await dockerfile.waitFor()
    // A text field with no example holds "string", which no field accepts.
    const properties = operation.requestBody.content['multipart/form-data']?.schema?.properties ?? {}
    for (const [name, { example }] of Object.entries(properties)) {
      if (example === undefined) continue
      t.equal(await block.locator(`tr[data-property-name="${name}"]`).locator('input, select').first().inputValue(), example, `${name} holds the spec's example`)
    }
    const example = operation.requestBody.content['text/plain']?.example as string
    await dockerfile.setInputFiles({ name: 'Dockerfile', mimeType: 'text/plain', buffer: Buffer.from(example) })
    await block.locator('tr[data-param-name="format"] select').selectOption('sarif')

    // One Execute for both: the upload (build-context fields left empty, which the spec's encoding sends as empty
    // files) and the format.
    const { status, text, requestUrl } = await execute(block)
    t.equal(requestUrl, `${origin}/v1/evaluate?format=sarif`, 'the request carries ?format=sarif')
    t.equal(status, '200', 'the live response is 200')
    const log = JSON.parse(text) as { version?: string, runs?: Array<{ results?: Array<{ ruleId: string }> }> }
    t.equal(log.version, '2.1.0', 'the live response body is a SARIF 2.1.0 log')
    t.ok(log.runs?.[0]?.results?.some((r) => r.ruleId === 'copy-not-add'), 'with a result for the example\'s ADD')
  })

  await t.test('"Try it out" GET /v1/policies/{id} with the example id answers 200', { timeout: TIMEOUT }, async (t) => {
    const block = await expand(page, 'get', '/v1/policies/{id}')
    await block.locator('.try-out__btn').click()
    const id = block.locator('tr[data-param-name="id"] input')
    await id.waitFor()
    t.equal(await id.inputValue(), 'docker-best-practices', 'the id parameter is prefilled with the spec\'s example')

    const { status, text, requestUrl } = await execute(block)
    t.equal(requestUrl, `${origin}/v1/policies/docker-best-practices`, 'the request goes to /v1/policies/docker-best-practices')
    t.equal(status, '200', 'the live response is 200')
    t.match(text, '"name": "docker-best-practices"', 'the live response body is that policy')
  })

  await t.test('screenshot, and nothing went wrong in the page', { timeout: TIMEOUT }, async (t) => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    t.ok(existsSync(SCREENSHOT), `screenshot saved to ${SCREENSHOT}`)
    t.same(foreign, [], 'the page requested nothing outside Plimsoll')
    t.same(pageErrors, [], 'no uncaught errors in the page')
    t.same(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text)), [], 'the Content-Security-Policy blocked nothing')
    t.same(consoleErrors, [], 'no errors in the browser console')
  })
})

function operationBlock (page: Page, method: string, path: string): Locator {
  return page.locator(`.opblock.opblock-${method}`, {
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  })
}

/** The evaluate operation of openapi.yaml. */
function evaluateOperation (): EvaluateOperation {
  return openApiDocument.paths['/v1/evaluate']?.post as EvaluateOperation
}

/** The values a select offers, in order. */
async function optionValues (select: Locator): Promise<string[]> {
  return select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))
}

/** The block in "Try it out" mode (a subtest before may have switched it on already). */
async function tryItOut (block: Locator): Promise<Locator> {
  if (!await block.locator('button.execute').isVisible()) await block.locator('.try-out__btn').click()
  await block.locator('button.execute').waitFor()
  return block
}

/** The operation's block, expanded. */
async function expand (page: Page, method: string, path: string): Promise<Locator> {
  const block = operationBlock(page, method, path)
  if (!await block.locator('.opblock-body').isVisible()) await block.locator('.opblock-summary').first().click()
  await block.locator('.opblock-body').waitFor()
  return block
}

/** Clicks Execute and reads the live response Swagger UI shows. */
async function execute (block: Locator): Promise<{ status: string, text: string, requestUrl: string }> {
  // A response from an earlier Execute would be read as this one's: clear it first.
  const clear = block.locator('button.btn-clear')
  if (await clear.isVisible()) await clear.click()
  await block.locator('button.execute').click()
  const response = block.locator('.live-responses-table .response').first()
  await response.waitFor()
  const status = (await response.locator('.response-col_status').textContent() ?? '').trim()
  // The body's own element: the highlight block also holds a Download button.
  const text = await response.locator('.response-col_description .highlight-code pre').first().textContent() ?? ''
  const requestUrl = (await block.locator('.request-url pre').first().textContent() ?? '').trim()
  return { status, text, requestUrl }
}
