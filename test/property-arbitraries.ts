// Generators of hostile requests for test/routes/property.test.ts: arbitrary bytes and unicode, enormous lines,
// deep nesting and wrong types, each as a request (route, media type, body) ready for `app.inject`.
import fc from 'fast-check'

export const ROUTES = ['/v1/evaluate', '/v1/parse', '/v1/evaluate/batch', '/v1/compare', '/v1/policies/validate'] as const
export type Route = typeof ROUTES[number]

/** Report formats of /v1/evaluate and /v1/evaluate/batch; those not JSON answer text when asked for. */
export const REPORT_FORMATS = ['json', 'sarif', 'junit', 'gitlab', 'checkstyle', 'github', 'text'] as const

/** One request as sent. `label` says what the generator made, for a failure's message. */
export interface Sent {
  readonly url: string
  readonly contentType: string
  readonly payload: string | Buffer
  readonly label: string
  /** The type of a JSON field was made wrong on purpose: the answer must be a 4xx. */
  readonly wrongType?: boolean
  /** The JSON body has a `__proto__` (or `constructor.prototype`) key: secure-json-parse refuses it. */
  readonly protoKey?: boolean
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Lone UTF-16 surrogates: not well-formed, and turned into U+FFFD by any UTF-8 encoder on the way. */
export const loneSurrogates = fc.array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 16 })
  .map((units) => String.fromCharCode(...units))

const KEYWORDS = ['FROM', 'RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'USER', 'WORKDIR', 'EXPOSE',
  'VOLUME', 'SHELL', 'HEALTHCHECK', 'ONBUILD', 'STOPSIGNAL', 'MAINTAINER', 'from', 'run']
const PIECES = ['\\\n', '`\n', '<<EOF\n', '\nEOF\n', '"', "'", '[', ']', '${', '}', '$', '$(', ')', '--mount=type=cache,target=/x ',
  '&&', '|', ';', '(', '#', '# escape=`\n', '# syntax=x\n', 'AS b', '=', ' ', '\t', '\r\n', '\r', 'pip install -r r.txt',
  'apt-get install -y curl', 'sh -c "', 'é', '☃', '𝄞', '\u0000', '\uFEFF', '\u2028', '\ud800', '\udfff']

/** Text shaped like a Dockerfile, with every kind of unicode in its words. */
export const dockerfileLike = fc.array(
  fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 12 }), loneSurrogates), { maxLength: 8 }))
    .map(([keyword, parts]) => `${keyword} ${parts.join('')}`),
  { minLength: 1, maxLength: 16 },
).map((lines) => lines.join('\n'))

/** Any text: full unicode (astral planes included), graphemes, lone surrogates, Dockerfile-shaped text. */
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary-ascii', maxLength: 400 }),
  fc.array(fc.oneof(loneSurrogates, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 20 }).map((parts) => parts.join('')),
  dockerfileLike,
)

/** Arbitrary bytes, UTF-8 or not. */
export const anyBytes = fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes))

// ---------------------------------------------------------------------------------------------------------------
// Bodies of any shape, for any route

const queryFor = (route: Route): fc.Arbitrary<string> => {
  if (route === '/v1/evaluate' || route === '/v1/evaluate/batch') {
    return fc.option(fc.constantFrom(...REPORT_FORMATS), { nil: undefined }).map((format) => format === undefined ? '' : `?format=${format}`)
  }
  if (route === '/v1/compare') return fc.constantFrom('', '?format=json', '?format=markdown')
  return fc.constant('')
}

// multipart has a generator of its own (multipartRequest).
const CONTENT_TYPES = ['text/plain', 'application/json', 'text/plain; charset=utf-8', 'application/json; charset=utf-8', 'application/yaml'] as const

/**
 * Anything at all to any route: arbitrary bytes, arbitrary unicode or any JSON value, sent as text/plain,
 * application/json or application/yaml (which only the validate route takes).
 */
export const anyRequest: fc.Arbitrary<Sent> = fc.record({
  route: fc.constantFrom(...ROUTES),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  body: fc.oneof(
    anyBytes.map((bytes) => ({ kind: 'bytes', payload: bytes as string | Buffer })),
    anyText.map((text) => ({ kind: 'text', payload: text as string | Buffer })),
    // Any JSON value, with lone surrogates escaped in its strings: JSON.stringify writes them as \udXXX.
    fc.jsonValue().map((value) => ({ kind: 'json', payload: JSON.stringify(value) as string | Buffer })),
    fc.object({ key: fc.constantFrom('dockerfile', 'files', 'image', 'kind', 'subjects', 'policies', 'params', 'label', 'path', 'apiVersion', 'spec', '__proto__'), maxDepth: 3 })
      .map((value) => ({ kind: 'object', payload: JSON.stringify(value) as string | Buffer })),
  ),
}).chain(({ route, contentType, body }) => queryFor(route).map((query): Sent => ({
  url: `${route}${query}`,
  contentType,
  payload: body.payload,
  label: `${body.kind} as ${contentType}`,
})))

const FORM_FIELDS = ['dockerfile', 'policies', 'include', 'exclude', 'profile', 'failOn', 'path', '.dockerignore', 'requirements.txt', '__proto__', 'constructor', '']

/** multipart/form-data to /v1/evaluate: parts as files or fields with any name and content, cut short or not. */
export const multipartRequest: fc.Arbitrary<Sent> = fc.record({
  parts: fc.array(fc.record({
    name: fc.oneof(fc.constantFrom(...FORM_FIELDS), fc.string({ maxLength: 12 })),
    file: fc.option(fc.oneof(fc.constant(''), fc.string({ maxLength: 12 })), { nil: undefined }),
    content: fc.oneof(anyText, dockerfileLike),
  }), { maxLength: 5 }),
  end: fc.constantFrom('--x--\r\n', '--x--', '--x', '', '\r\n--'),
}).map(({ parts, end }): Sent => {
  const escape = (name: string) => name.replace(/["\r\n\\]/g, '_')
  const body = parts.map(({ name, file, content }) =>
    `--x\r\nContent-Disposition: form-data; name="${escape(name)}"${file === undefined ? '' : `; filename="${escape(file)}"`}\r\n\r\n${content}\r\n`).join('') + end
  return { url: '/v1/evaluate', contentType: 'multipart/form-data; boundary=x', payload: body, label: `a form of ${parts.length} parts` }
})

// ---------------------------------------------------------------------------------------------------------------
// Enormous lines

const LINE_PIECES = ['x', 'a|', 'a | b ', '&& ', '$a', '${a}', '\\ ', '"', "'", ' ', '\t', '(', '`', ';', '**/', '*', '#', '=',
  'é', '☃', '𝄞', '\ud800', ',', '{', 'a:', '- ']

/** One line of 40,000 to 200,000 characters: one piece repeated (a pipe, `**`, a quote, an astral character…). */
export const enormousLine = fc.record({
  piece: fc.constantFrom(...LINE_PIECES),
  length: fc.integer({ min: 40_000, max: 200_000 }),
}).map(({ piece, length }) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length))

// Where a line goes. Context files are not bound by the Dockerfile's line cap (MAX_LINE_LENGTH) but by their
// size (MAX_CONTEXT_FILE), so a long line in one is read and matched in full.
const IN_DOCKERFILE = [
  (line: string) => `FROM alpine:3.20\nRUN ${line}\n`,
  (line: string) => `FROM ${line}\n`,
  (line: string) => `FROM alpine:3.20\nENV A=${line}\n`,
  (line: string) => `FROM alpine:3.20\nLABEL a="${line}"\n`,
  (line: string) => `FROM alpine:3.20\nCOPY ${line} /app/\n`,
  (line: string) => `# ${line}\nFROM alpine:3.20\n`,
  (line: string) => `FROM alpine:3.20\nRUN <<EOF\n${line}\nEOF\n`,
]
const CONTEXT_FILES = ['.dockerignore', '.hadolint.yaml', 'requirements.txt', 'package.json', 'Pipfile']
const CONTEXT_DOCKERFILE = 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . /app\n'

/** Where an enormous line goes: a Dockerfile (bound by MAX_LINE_LENGTH), a context file, a policy document. */
export type LinePlace = 'dockerfile' | 'context' | 'policy'

/** Requests carrying one enormous line: in a Dockerfile, a context file or a policy, to every route that reads it. */
export function enormousLineRequest (places: readonly LinePlace[], line: fc.Arbitrary<string> = enormousLine): fc.Arbitrary<Sent> {
  const where = {
    dockerfile: fc.record({ place: fc.constant('dockerfile' as const), at: fc.nat({ max: IN_DOCKERFILE.length - 1 }) }),
    context: fc.record({ place: fc.constant('context' as const), file: fc.constantFrom(...CONTEXT_FILES) }),
    policy: fc.record({ place: fc.constant('policy' as const) }),
  }
  return fc.record({
    line,
    where: fc.oneof(...places.map((place) => where[place])),
    route: fc.constantFrom('/v1/evaluate', '/v1/parse', '/v1/evaluate/batch', '/v1/compare'),
    asText: fc.boolean(),
  }).map(({ line, where, route, asText }): Sent => {
    if (where.place === 'policy') {
      return { url: '/v1/policies/validate', contentType: 'application/yaml', payload: policyYaml({ message: line }), label: 'an enormous line in a policy' }
    }
    const dockerfile = where.place === 'dockerfile' ? (IN_DOCKERFILE[where.at] as (l: string) => string)(line) : CONTEXT_DOCKERFILE
    const files = where.place === 'context' ? { [where.file]: line } : undefined
    const label = where.place === 'dockerfile' ? `an enormous line in Dockerfile form ${where.at}` : `an enormous line in ${where.file}`
    if (asText && files === undefined && (route === '/v1/evaluate' || route === '/v1/parse')) {
      return { url: route, contentType: 'text/plain', payload: dockerfile, label: `${label}, as text/plain` }
    }
    return { url: route, contentType: 'application/json', payload: JSON.stringify(subjectBody(route, dockerfile, files)), label }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Deep nesting

/** Openers and their closers, nested n deep: shell expansions and groupings, JSON and YAML flow collections. */
const SHELL_NESTS: ReadonlyArray<readonly [string, string]> = [
  ['${a:-', '}'], ['$(', ')'], ['(', ')'], ['$((', '))'], ['"$(', ')"'], ['<(', ')'], ['{ ', '; }'], ['[[ ', ' ]]'],
  ['${a:-$(', ')}'], ['`', '`'], ['if a; then ', '; fi'], ['a | (', ')'], ['$', ''], ['\\', ''],
]
const YAML_NESTS: ReadonlyArray<readonly [string, string]> = [['[', ']'], ['{a: ', '}'], ['[{a: ', '}]'], ['- ', '']]
const JSON_NESTS: ReadonlyArray<readonly [string, string]> = [['[', ']'], ['{"a":', '}'], ['[{"a":', '}]']]

const nested = (open: string, close: string, depth: number, closed: boolean, inner = 'x'): string =>
  `${open.repeat(depth)}${inner}${closed ? close.repeat(depth) : ''}`

// Block YAML nested by indentation: `a:\n  a:\n    a: …`, or a list of lists.
const blockYaml = (depth: number, list: boolean): string =>
  Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}${list ? '-' : 'a:'}`).join('\n') + ' x\n'

/** Depths from shallow to far past every cap (MAX_SHELL_DEPTH and MAX_YAML_DEPTH are 64). */
export const depth = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 6000 }))

/** Requests nested deep: in a shell script, a variable, a JSON body or field, a `.hadolint.yaml`, a policy. */
export const deepNestingRequest: fc.Arbitrary<Sent> = fc.record({
  depth,
  closed: fc.boolean(),
  shell: fc.constantFrom(...SHELL_NESTS),
  yaml: fc.constantFrom(...YAML_NESTS),
  json: fc.constantFrom(...JSON_NESTS),
  route: fc.constantFrom('/v1/evaluate', '/v1/parse', '/v1/evaluate/batch', '/v1/compare'),
  form: fc.constantFrom('run', 'env', 'arg', 'from', 'copy', 'hadolint-flow', 'hadolint-block', 'json-body', 'json-field',
    'policy-flow', 'policy-block', 'policy-json', 'policy-cel'),
}).map(({ depth, closed, shell: [open, close], yaml, json, route, form }): Sent => {
  const dockerfileJson = (dockerfile: string, files?: Record<string, string>): Sent =>
    ({ url: route, contentType: 'application/json', payload: JSON.stringify(subjectBody(route, dockerfile, files)), label: `${form} nested ${depth} deep` })
  const script = nested(open, close, depth, closed)
  switch (form) {
    case 'run': return dockerfileJson(`FROM alpine:3.20\nRUN echo ${script}\n`)
    case 'env': return dockerfileJson(`FROM alpine:3.20\nENV A=${nested('${a:-', '}', depth, closed)}\nRUN echo $A\n`)
    case 'arg': return dockerfileJson(`ARG B=${nested('${a:-', '}', depth, closed)}\nFROM alpine:\${B}\n`)
    case 'from': return dockerfileJson(`FROM ${nested('${a:-', '}', depth, closed, 'alpine')}\n`)
    case 'copy': return dockerfileJson(`FROM alpine:3.20\nCOPY ${nested('${a:-', '}', depth, closed)} /app/\n`)
    case 'hadolint-flow': return dockerfileJson(CONTEXT_DOCKERFILE, { '.hadolint.yaml': `ignored: ${nested(yaml[0], yaml[1], depth, closed)}\n` })
    // Indentation grows with depth: 500 levels are a quarter of a megabyte.
    case 'hadolint-block': return dockerfileJson(CONTEXT_DOCKERFILE, { '.hadolint.yaml': blockYaml(Math.min(depth, 500), closed) })
    // `[[[…` or `{"a":{"a":…` as the whole body, or as the value of a field that takes any JSON (params, image).
    case 'json-body': return { url: route, contentType: 'application/json', payload: nested(json[0], json[1], depth, closed, '1'), label: `a JSON body nested ${depth} deep` }
    case 'json-field': {
      const body = JSON.stringify(subjectBody(route, 'FROM alpine:3.20\n')).replace(/^\{/, `{"${route === '/v1/parse' ? 'image' : 'params'}":${nested(json[0], json[1], depth, true, '1')},`)
      return { url: route, contentType: 'application/json', payload: body, label: `a JSON field nested ${depth} deep` }
    }
    case 'policy-flow': return { url: '/v1/policies/validate', contentType: 'application/yaml', payload: policyYaml({ extra: `  extra: ${nested(yaml[0], yaml[1], depth, closed)}\n` }), label: `policy YAML flow nested ${depth} deep` }
    case 'policy-block': return { url: '/v1/policies/validate', contentType: 'application/yaml', payload: blockYaml(Math.min(depth, 500), closed), label: `policy YAML block nested ${depth} deep` }
    case 'policy-json': return { url: '/v1/policies/validate', contentType: 'application/json', payload: nested(json[0], json[1], depth, closed, '1'), label: `policy JSON nested ${depth} deep` }
    case 'policy-cel': return { url: '/v1/policies/validate', contentType: 'application/yaml', payload: policyYaml({ assert: nested('(', ')', depth, closed, 'true') }), label: `a CEL expression nested ${depth} deep` }
  }
})

// ---------------------------------------------------------------------------------------------------------------
// Wrong types

type FieldType = 'string' | 'strings' | 'stringMap' | 'object' | 'document' | 'enum'

/** The typed fields of each JSON route's body (openapi.yaml), with a valid body to put a wrong value in. */
const TYPED_FIELDS: Readonly<Record<'/v1/evaluate' | '/v1/parse' | '/v1/evaluate/batch' | '/v1/compare', { base: () => Record<string, unknown>, fields: Readonly<Record<string, FieldType>> }>> = {
  '/v1/evaluate': {
    base: () => ({ dockerfile: 'FROM alpine:3.20\nRUN echo hi\n', files: { '.dockerignore': '.git\n' }, policies: [], include: [], exclude: [], params: {}, profile: 'strict', failOn: 'error', path: 'Dockerfile' }),
    fields: { dockerfile: 'string', files: 'stringMap', policies: 'strings', include: 'strings', exclude: 'strings', params: 'object', profile: 'string', failOn: 'enum', path: 'string', kind: 'enum', image: 'document' },
  },
  '/v1/parse': {
    base: () => ({ dockerfile: 'FROM alpine:3.20\nRUN echo hi\n', files: { '.dockerignore': '.git\n' } }),
    fields: { dockerfile: 'string', files: 'stringMap', kind: 'enum', image: 'document' },
  },
  '/v1/evaluate/batch': {
    base: () => ({ files: [{ path: 'a/Dockerfile', dockerfile: 'FROM alpine:3.20\n', files: { '.dockerignore': '.git\n' } }], policies: [], include: [], exclude: [], params: {}, profile: 'strict', failOn: 'error' }),
    fields: { files: 'document', 'files/0': 'object', 'files/0/path': 'string', 'files/0/dockerfile': 'string', 'files/0/files': 'stringMap', policies: 'strings', include: 'strings', exclude: 'strings', params: 'object', profile: 'string', failOn: 'enum' },
  },
  '/v1/compare': {
    base: () => ({ subjects: [{ label: 'a', dockerfile: 'FROM alpine:3.20\n' }, { label: 'b', dockerfile: 'FROM debian:12\n', files: { '.dockerignore': '.git\n' } }], policies: [], include: [], exclude: [], params: {}, profile: 'strict' }),
    fields: { subjects: 'document', 'subjects/0': 'object', 'subjects/0/label': 'string', 'subjects/1/dockerfile': 'string', 'subjects/1/files': 'stringMap', 'subjects/1/kind': 'enum', policies: 'strings', include: 'strings', exclude: 'strings', params: 'object', profile: 'string' },
  },
}

const anyJson = fc.jsonValue({ maxDepth: 2 })
const WRONG_VALUES: Readonly<Record<FieldType, fc.Arbitrary<unknown>>> = {
  string: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 })),
  enum: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.string().filter((s) => !/^(error|warning|info|none)$/.test(s) && !s.includes('-'))),
  strings: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    fc.tuple(fc.array(fc.string(), { maxLength: 2 }), fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.array(anyJson, { maxLength: 2 }), fc.dictionary(fc.string(), anyJson, { maxKeys: 2 }))).map(([strings, wrong]) => [...strings, wrong])),
  stringMap: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(anyJson, { maxLength: 3 }),
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.array(anyJson, { maxLength: 2 }), fc.dictionary(fc.string(), anyJson, { maxKeys: 2 }))).map(([name, wrong]) => ({ [name]: wrong }))),
  object: fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(anyJson, { maxLength: 3 })),
  document: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
}

/** Marks a key that becomes `__proto__` in the JSON text (an object literal would set the prototype instead). */
const PROTO_MARK = '\u0000proto\u0000'

const setAt = (body: Record<string, unknown>, pointer: string, value: unknown): void => {
  const keys = pointer.split('/')
  const last = keys.pop() as string
  let at = body as Record<string, unknown>
  for (const key of keys) at = at[key] as Record<string, unknown>
  at[last] = value
}

/**
 * A valid body of a JSON route with one field given a value of another type (a number, an array, an object, null
 * where a string is expected…), or with a `__proto__` key (or `constructor.prototype`) at some level.
 */
export const wrongTypeRequest: fc.Arbitrary<Sent> = fc.constantFrom(...(Object.keys(TYPED_FIELDS) as Array<keyof typeof TYPED_FIELDS>))
  .chain((route) => {
    const { base, fields } = TYPED_FIELDS[route]
    const wrongField = fc.constantFrom(...Object.entries(fields)).chain(([pointer, type]) => WRONG_VALUES[type].map((value): Sent => {
      const body = base()
      setAt(body, pointer, value)
      return { url: route, contentType: 'application/json', payload: JSON.stringify(body), label: `${pointer} (${type}) as ${JSON.stringify(value)?.slice(0, 60)}`, wrongType: true }
    }))
    const protoKey = fc.record({
      at: fc.constantFrom('', ...Object.entries(fields).filter(([, type]) => type === 'stringMap' || type === 'object').map(([pointer]) => pointer)),
      constructorForm: fc.boolean(),
      value: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 }), anyJson),
    }).map(({ at, constructorForm, value }): Sent => {
      const body = base()
      const target = at === '' ? body : (at.split('/').reduce<Record<string, unknown>>((object, key) => object[key] as Record<string, unknown>, body))
      if (constructorForm) target['constructor'] = { prototype: value }
      else target[PROTO_MARK] = value
      const payload = JSON.stringify(body).replace(JSON.stringify(PROTO_MARK), '"__proto__"')
      return { url: route, contentType: 'application/json', payload, label: `${constructorForm ? 'constructor.prototype' : '__proto__'} at /${at}`, protoKey: true }
    })
    return fc.oneof({ arbitrary: wrongField, weight: 3 }, { arbitrary: protoKey, weight: 1 })
  })

// ---------------------------------------------------------------------------------------------------------------
// Requests that cost: each past a cap, or slow to evaluate (for the app with a deadline)

const json = (url: Route, body: Record<string, unknown>, label: string): Sent => ({ url, contentType: 'application/json', payload: JSON.stringify(body), label })
const text = (url: Route, payload: string, label: string): Sent => ({ url, contentType: 'text/plain', payload, label })

/**
 * The costly requests of the issue, sized to each side of a cap: 2,000+ instructions, 200+ stages, a doubling ENV
 * (past MAX_EXPANSION), thousands of piped commands under every cap, backtracking globs, a `.dockerignore` line of
 * a megabyte and a requirements line of `[` (seconds each on a busy machine: the deadline's work).
 */
export const costlyRequest: fc.Arbitrary<Sent> = fc.oneof(
  fc.integer({ min: 2001, max: 2500 }).map((n) => text('/v1/evaluate', `FROM alpine:3.20\n${'RUN echo hi\n'.repeat(n)}`, `${n} RUN instructions`)),
  fc.integer({ min: 1000, max: 1999 }).map((n) => text('/v1/evaluate', `FROM alpine:3.20\n${'RUN a | b\n'.repeat(n)}`, `${n} RUN a | b`)),
  fc.integer({ min: 1000, max: 1999 }).map((n) => json('/v1/evaluate', { dockerfile: `FROM debian:12\n${'RUN apt-get install -y curl && pip install flask\n'.repeat(n)}`, profile: 'strict' }, `${n} RUN apt-get, pip with the strict profile`)),
  fc.integer({ min: 20, max: 30 }).map((n) => text('/v1/parse', `FROM alpine:3.20\nENV A=x\n${'ENV A=$A$A\n'.repeat(n)}`, `ENV A=$A$A ×${n}`)),
  fc.integer({ min: 201, max: 400 }).map((n) => text('/v1/evaluate', Array.from({ length: n }, (_, i) => `FROM alpine:3.20 AS s${i}`).join('\n'), `${n} stages`)),
  fc.integer({ min: 8, max: 14 }).map((n) => json('/v1/evaluate', { dockerfile: `FROM alpine:3.20\nCOPY ${'a/'.repeat(60)}b /app/\n`, files: { '.dockerignore': `${'**/'.repeat(n)}c\n` } }, `.dockerignore **/ ×${n}`)),
  fc.integer({ min: 10, max: 30 }).map((n) => json('/v1/evaluate', { dockerfile: `FROM ${'a'.repeat(40)}/x:1\n`, params: { trustedRegistries: [`${'*a'.repeat(n)}b`] } }, `trustedRegistries *a ×${n}`)),
  fc.integer({ min: 500_000, max: 1_000_000 }).map((n) => json('/v1/evaluate', { dockerfile: CONTEXT_DOCKERFILE, files: { '.dockerignore': 'x'.repeat(n) } }, `a .dockerignore line of ${n} characters`)),
  fc.integer({ min: 50_000, max: 200_000 }).map((n) => json('/v1/evaluate', { dockerfile: CONTEXT_DOCKERFILE, files: { 'requirements.txt': '['.repeat(n) } }, `requirements.txt of ${n} [`)),
)

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** A body of `route` whose one Dockerfile (with context files) is `dockerfile`. */
export function subjectBody (route: Route, dockerfile: string, files?: Record<string, string>): Record<string, unknown> {
  const subject = { dockerfile, ...(files !== undefined && { files }) }
  switch (route) {
    case '/v1/evaluate/batch': return { files: [{ path: 'Dockerfile', ...subject }] }
    case '/v1/compare': return { subjects: [{ label: 'fuzzed', ...subject }, { label: 'plain', dockerfile: 'FROM alpine:3.20\n' }] }
    default: return subject
  }
}

/** A small valid policy document, with a rule's message, assertion or first fail example replaced, or lines added to its spec. */
export function policyYaml ({ message = 'a message', assert = 'stage.from.tag != "latest"', extra = '', example = 'FROM python:latest' }: { message?: string, assert?: string, extra?: string, example?: string }): string {
  return `apiVersion: plimsoll.dev/v1
kind: Policy
metadata:
  name: fuzzed
  title: Fuzzed
  version: 1.0.0
spec:
  target: dockerfile
${extra}  rules:
    - id: fuzzed-rule
      title: A fuzzed rule
      severity: warning
      scope: stage
      assert: ${JSON.stringify(assert)}
      message: ${JSON.stringify(message)}
      remediation: Name a versioned tag.
      examples:
        fail:
          - { dockerfile: ${JSON.stringify(example)}, line: 1 }
          - { dockerfile: "FROM alpine:3.20\\nFROM node:latest", line: 2 }
        pass:
          - "FROM python:3.12-slim"
          - "FROM scratch"
`
}
