import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { readImageDocument, withFiles } from '../src/inputs/image/index.js'
import { readListing } from '../src/policy/image-listing.js'
import { compilePolicy } from '../src/policy/load.js'
import { runExamples } from '../src/policy/examples.js'
import type { PolicySet, Rule } from '../src/policy/types.js'
import { renderText } from '../src/verdict/text.js'

// Images as a second subject of the same engine: image checks compile beside Dockerfile rules under
// one id, run on the scopes of an image, say what they could not judge, and share selection and verdict.

const CONFIG = {
  architecture: 'amd64',
  os: 'linux',
  config: { User: '', Env: ['PATH=/usr/bin'], Cmd: ['/bin/sh', '-c', 'python app.py'] },
  rootfs: { type: 'layers', diff_ids: ['sha256:' + 'a'.repeat(64)] },
  history: [
    { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
    { created_by: 'RUN /bin/sh -c pip install flask==3.0.3 # buildkit' },
    { created_by: 'USER app', empty_layer: true },
  ],
}
const imageExamples = { fail: [{ image: CONFIG }, { image: CONFIG }], pass: [{ image: { ...CONFIG, config: { User: 'app' } } }, { image: { ...CONFIG, config: { User: '1000' } } }] }

function policyOf (rules: object[], name = 'image-test'): string {
  return JSON.stringify({ apiVersion: 'plimsoll.dev/v1', kind: 'Policy', metadata: { name, title: 'T', version: '1.0.0' }, spec: { target: 'dockerfile', rules } })
}
const base = { title: 'T', severity: 'warning', remediation: 'fix', message: 'm' }
const USER_RULE = {
  ...base,
  id: 'runs-as-user',
  scope: 'final-stage',
  assert: 'stage.user.name != ""',
  examples: { fail: ['FROM a:1', 'FROM b:1'], pass: ['FROM a:1\nUSER app', 'FROM b:1\nUSER 1'] },
  image: { scope: 'image', assert: 'image.user.name != ""', message: 'runs as root', examples: imageExamples },
}
const PIP_RULE = {
  ...base,
  id: 'pip-cache',
  scope: 'command',
  when: 'command.tool == "pip"',
  assert: 'command.hasFlag("--no-cache-dir")',
  message: '`{{command.text}}` keeps the cache',
  examples: { fail: ['FROM a\nRUN pip install x', 'FROM a\nRUN pip install y'], pass: ['FROM a\nRUN pip install --no-cache-dir x', 'FROM a\nRUN true'] },
  image: {
    scope: 'image-command',
    examples: {
      fail: [{ image: CONFIG }, { image: { ...CONFIG, history: [{ created_by: '/bin/sh -c pip install x' }] } }],
      pass: [{ image: { ...CONFIG, history: [{ created_by: '/bin/sh -c pip install --no-cache-dir x' }] } }, { image: { ...CONFIG, history: [] } }],
    },
  },
}
const SETUID_RULE = {
  ...base,
  id: 'setuid-files',
  scope: 'image-file',
  assert: '!file.setuid',
  message: '{{file.path}} is setuid',
  examples: {
    fail: [{ image: CONFIG, listing: ['/usr/bin/su 4755'] }, { image: CONFIG, listing: ['/bin/', '/bin/x 4711 0:0'] }],
    pass: [{ image: CONFIG, listing: ['/usr/bin/su 755'] }, { image: CONFIG, listing: ['/tmp/ 1777'] }],
  },
}
const DRIFT_RULE = {
  ...base,
  id: 'user-drift',
  scope: 'image',
  needs: ['config', 'dockerfile'],
  assert: 'builtFrom.stages[builtFrom.finalStage].user.name == image.user.name',
  message: 'the Dockerfile ends as `{{builtFrom.stages[builtFrom.finalStage].user.name}}`, the image runs as `{{image.user.name}}`',
  examples: {
    fail: [{ image: CONFIG, dockerfile: 'FROM a\nUSER app' }, { image: { ...CONFIG, config: { User: 'root' } }, dockerfile: 'FROM a\nUSER 1' }],
    pass: [{ image: { ...CONFIG, config: { User: 'app' } }, dockerfile: 'FROM a\nUSER app' }, { image: CONFIG, dockerfile: 'FROM a' }],
  },
}

function compiled (rules: object[]): Rule[] {
  const result = compilePolicy('inline.yaml', policyOf(rules))
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return [...result.value.rules]
}

function setOf (rules: object[], profiles: PolicySet['profiles'] = []): PolicySet {
  const result = compilePolicy('inline.yaml', policyOf(rules))
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return { policies: [result.value], profiles, waivers: [], digest: 'sha256:x', sources: [] }
}

function imageFacts (document: unknown = CONFIG, listing?: string[]) {
  const read = readImageDocument(document)
  if (!read.ok) throw new Error(JSON.stringify(read.problems))
  if (listing === undefined) return read.value
  return withFiles(read.value, readListing(listing))
}

t.test('a Dockerfile rule carries its image check under the same id and metadata', async (t) => {
  const [user, pip] = compiled([USER_RULE, PIP_RULE]) as [Rule, Rule]
  t.equal(user.subject, 'dockerfile')
  t.equal(user.image?.subject, 'image')
  t.equal(user.image?.id, 'runs-as-user')
  t.same(user.image?.needs, ['config'], 'scope image needs the config by default')
  t.equal(pip.image?.source.assert, PIP_RULE.assert, 'when, assert and message default to the rule\'s')
  t.same(pip.image?.needs, ['history'])
  const [setuid] = compiled([SETUID_RULE]) as [Rule]
  t.equal(setuid.subject, 'image', 'an image scope makes an image-only rule')
  t.same(setuid.needs, ['files'])
  t.equal(setuid.image, undefined)
  for (const rule of compiled([USER_RULE, PIP_RULE, SETUID_RULE, DRIFT_RULE])) {
    t.same(runExamples(rule).filter((r) => !r.ok).map((r) => `${r.ruleId} ${r.subject} ${r.expect}#${r.index}: ${r.message}`), [], `${rule.id}: every example holds`)
  }
})

t.test('image checks that cannot work are refused at load, with where', async (t) => {
  const problems = (rule: object): string[] => {
    const result = compilePolicy('inline.yaml', policyOf([rule]))
    return result.ok ? [] : result.problems.map((p) => `${p.pointer ?? ''}: ${p.message}`)
  }
  t.match(problems({ ...SETUID_RULE, image: USER_RULE.image }), [/\/spec\/rules\/0\/image: .*already an image scope/])
  t.match(problems({ ...SETUID_RULE, examples: USER_RULE.examples }), [/examples: .*images/])
  t.match(problems({ ...USER_RULE, examples: imageExamples }), [/examples: .*Dockerfiles/])
  t.match(problems({ ...USER_RULE, needs: ['files'] }), [/needs: only applies to image scopes/])
  t.match(problems({ ...SETUID_RULE, line: '1' }), [/line: an image has no lines/])
  t.match(problems({ ...SETUID_RULE, keywords: ['RUN'] }), [/keywords: only applies/])
  t.match(problems({ ...USER_RULE, image: { ...USER_RULE.image, assert: 'image.user.name +' } }), [/\/spec\/rules\/0\/image\/assert: /])
  t.match(problems({ ...USER_RULE, image: { ...USER_RULE.image, scope: 'final-stage' } }), [/scope/], 'the schema keeps image checks on image scopes')
})

t.test('an image is judged by image checks only, on every scope, and says what it could not judge', async (t) => {
  const set = setOf([USER_RULE, PIP_RULE, SETUID_RULE, DRIFT_RULE])
  const result = evaluate(set, { image: imageFacts() })
  if (!result.ok) throw new Error('evaluate failed')
  const verdict = result.value
  t.same(verdict.findings.map((f) => [f.ruleId, f.location]), [
    ['pip-cache', { line: 0, endLine: 0, image: { history: 1 } }],
    ['runs-as-user', { line: 0, endLine: 0, image: {} }],
  ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))))
  t.match(verdict.findings.find((f) => f.ruleId === 'pip-cache')?.message, /pip install flask==3.0.3/)
  t.same(verdict.notEvaluated.map((n) => [n.ruleId, n.reason]), [
    ['setuid-files', 'no file listing: send the image as an archive (docker save, or an OCI layout as tar)'],
    ['user-drift', 'no Dockerfile was sent with the image'],
  ])
  t.equal(verdict.summary.rulesEvaluated, 2)
  const text = renderText(verdict, { file: 'Dockerfile', image: 'app.tar', color: false })
  t.match(text, /app\.tar step 1 +pip-cache/)
  t.match(text, /app\.tar +runs-as-user/)

  const listed = evaluate(set, { image: imageFacts(CONFIG, ['/usr/bin/su 4755 0:0', '/usr/bin/ls 755']) })
  t.same(listed.ok && listed.value.findings.filter((f) => f.ruleId === 'setuid-files').map((f) => f.location.image), [{ path: '/usr/bin/su', layer: 0 }])
  t.match(listed.ok && renderText(listed.value, { file: 'x', color: false }), /image:\/usr\/bin\/su +setuid-files/)

  const inspect = readImageDocument([{ Id: 'sha256:' + 'b'.repeat(64), RepoTags: ['app:1'], Config: { User: 'app' }, RootFS: { Type: 'layers', Layers: [] }, Size: 10 }])
  if (!inspect.ok) throw new Error(JSON.stringify(inspect.problems))
  const judged = evaluate(set, { image: inspect.value })
  t.same(judged.ok && judged.value.notEvaluated.map((n) => n.ruleId), ['pip-cache', 'setuid-files', 'user-drift'], 'docker inspect carries no history')
  t.match(judged.ok && judged.value.notEvaluated[0]?.reason, /no build history/)
})

t.test('a Dockerfile with the image built from it: both judged, and compared', async (t) => {
  const set = setOf([USER_RULE, PIP_RULE, DRIFT_RULE])
  const result = evaluate(set, { dockerfile: 'FROM python:3.12\nUSER app\nRUN pip install --no-cache-dir x', image: imageFacts() })
  if (!result.ok) throw new Error('evaluate failed')
  const found = result.value.findings.map((f) => `${f.ruleId}@${f.location.image === undefined ? 'dockerfile' : 'image'}`)
  t.same(found.sort(), ['pip-cache@image', 'runs-as-user@image', 'user-drift@image'])
  t.match(result.value.findings.find((f) => f.ruleId === 'user-drift')?.message, /ends as `app`, the image runs as ``/)
  t.equal(result.value.summary.rulesEvaluated, 2 + 3, 'two Dockerfile checks and three image checks ran')
})

t.test('selection, severities and params apply to both checks of a rule', async (t) => {
  const profile = { name: 'p', title: 'P', description: '', policies: [], rules: [], include: [], exclude: ['pip-cache'], severity: { 'runs-as-user': 'error' as const }, params: {}, file: 'p.yaml' }
  const set = setOf([USER_RULE, PIP_RULE], [profile])
  const result = evaluate(set, { image: imageFacts(), profile: 'p' })
  if (!result.ok) throw new Error('evaluate failed')
  t.same(result.value.findings.map((f) => [f.ruleId, f.severity]), [['runs-as-user', 'error']])
  const refused = evaluate(set, {})
  t.match(!refused.ok && refused.problems[0]?.message, /send a Dockerfile, an image, or both/)
})

t.test('history scopes judge the image\'s own steps, and the base image\'s with includeBase', async (t) => {
  const history = [
    { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
    { created_by: '/bin/sh -c pip install base-tool' },
    { created_by: '/bin/sh -c #(nop)  CMD ["python3"]', empty_layer: true },
    { created_by: 'RUN /bin/sh -c pip install flask # buildkit' },
    { created_by: 'CMD ["flask", "run"]', empty_layer: true },
  ]
  const facts = imageFacts({ ...CONFIG, history })
  t.same(facts.history.map((step) => step.fromBase), [true, true, true, false, false], 'the base ends with its CMD, which has a layer after it')
  t.same(imageFacts(CONFIG).history.map((step) => step.fromBase), [false, false, false], 'without a start command followed by a layer, every step is the image\'s own')
  const steps = (rule: object): unknown => {
    const result = evaluate(setOf([rule]), { image: facts })
    return result.ok && result.value.findings.map((f) => f.location.image?.history)
  }
  t.same(steps(PIP_RULE), [3])
  t.same(steps({ ...PIP_RULE, image: { ...PIP_RULE.image, includeBase: true } }), [1, 3])
  t.same(steps({ ...PIP_RULE, image: { ...PIP_RULE.image, when: 'command.tool == "pip" && !step.fromBase' } }), [3], '`step` is the history entry')
  const refused = compilePolicy('inline.yaml', policyOf([{ ...USER_RULE, image: { ...USER_RULE.image, includeBase: true } }]))
  t.match(!refused.ok && refused.problems[0]?.message, /includeBase: only applies to scopes image-history and image-command/)
})

t.test('scope image-layer runs on each layer', async (t) => {
  const layerRule = {
    ...base, id: 'small-layers', scope: 'image-layer', assert: 'layer.size < 1000', message: 'layer {{layer.index}} is {{layer.size}} bytes',
    examples: { fail: [{ image: CONFIG }, { image: CONFIG, kind: 'oci-config' }], pass: [{ image: CONFIG }, { image: CONFIG, kind: 'oci-config' }] },
  }
  const manifest = {
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:' + 'c'.repeat(64), size: 10 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:' + 'd'.repeat(64), size: 500 }, { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:' + 'e'.repeat(64), size: 5000 }],
  }
  const result = evaluate(setOf([layerRule]), { image: imageFacts(manifest) })
  t.same(result.ok && result.value.findings.map((f) => [f.message, f.location.image]), [['layer 1 is 5000 bytes', { layer: 1 }]])
  const config = evaluate(setOf([layerRule]), { image: imageFacts() })
  t.same(config.ok && config.value.notEvaluated.map((n) => n.reason), ['the document gives no layers: send a manifest, inspect output or an archive'], 'a config alone has no layer sizes')
})

t.test('a listing reads like an archive\'s', async (t) => {
  t.same(readListing(['/bin/sh -> busybox', '/app/', '/usr/bin/su 4755 0:0', '/data/model.bin 600 1000:1000 52428800', '/tmp/ 1777', '/']).map((f) => [f.path, f.type, f.mode.toString(8), f.uid, f.size, f.linkTarget, f.setuid, f.worldWritable]), [
    ['/', 'directory', '755', 0, 0, '', false, false],
    ['/app', 'directory', '755', 0, 0, '', false, false],
    ['/bin/sh', 'symlink', '755', 0, 0, 'busybox', false, false],
    ['/data/model.bin', 'file', '600', 1000, 52428800, '', false, false],
    ['/tmp', 'directory', '1777', 0, 0, '', false, true],
    ['/usr/bin/su', 'file', '4755', 0, 0, '', true, false],
  ])
})
