import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import ts from 'typescript'
import { parseAllDocuments } from 'yaml'
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret'
import { Service, type IService } from 'kubernetes-models/v1/Service'
import { buildApp } from '../src/app.js'
import { readConfig } from '../src/config.js'
import { runExamples } from '../src/policy/examples.js'
import { compilePolicySet } from '../src/policy/load.js'

// deploy/: the Kubernetes manifests, checked against the Kubernetes schemas and against the server they run
// (its port, variables, probes and policy loader) and the image (../Dockerfile: its port and user).
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DEPLOY = join(ROOT, 'deploy')

interface Manifest { file: string, doc: { apiVersion?: string, kind?: string, [field: string]: unknown } }

const files = readdirSync(DEPLOY).filter((name) => name.endsWith('.yaml')).sort()
const yamlErrors: string[] = []
const manifests: Manifest[] = files.flatMap((file) => parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8')).flatMap((document) => {
  yamlErrors.push(...[...document.errors, ...document.warnings].map((e) => `${file}: ${e.message}`))
  return document.contents === null ? [] : [{ file, doc: document.toJS() as Manifest['doc'] }]
}))
const objects = manifests.filter(({ doc }) => doc.kind !== 'Kustomization')

// The kinds deploy/ may hold, by `apiVersion/kind`, which is also their module path in kubernetes-models.
const MODELS: Record<string, new (data: never) => { validate: () => void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
}

function one<T> (kind: string): T {
  const found = objects.filter(({ doc }) => doc.kind === kind)
  if (found.length !== 1) throw new Error(`deploy/ should hold one ${kind}, holds ${found.length}`)
  return found[0]?.doc as T
}
const deployment = one<IDeployment>('Deployment')
const service = one<IService>('Service')
const configMap = one<IConfigMap>('ConfigMap')
const secret = one<ISecret>('Secret')
const hpa = one<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler')
const pdb = one<IPodDisruptionBudget>('PodDisruptionBudget')
const podLabels = deployment.spec?.template.metadata?.labels ?? {}
const pod = deployment.spec?.template.spec
const container = pod?.containers[0]
const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]))
const port = container?.ports?.[0]

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
const imageUser = Number(/^USER (\d+)/m.exec(dockerfile)?.[1])
const imagePort = Number(/^EXPOSE (\d+)/m.exec(dockerfile)?.[1])

/** Whether every label a selector asks for is on the Deployment's pods. */
const selectsPods = (selector: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => podLabels[key] === value)

t.test('every manifest is valid YAML and conforms to its Kubernetes schema', async (t) => {
  t.same(yamlErrors, [])
  t.ok(objects.length >= 6)
  for (const { file, doc } of objects) {
    const Model = MODELS[`${doc.apiVersion}/${doc.kind}`]
    if (Model === undefined) {
      t.fail(`${file}: ${doc.apiVersion} ${doc.kind} is not a kind this test knows`)
      continue
    }
    t.doesNotThrow(() => new Model(doc as never).validate(), `${file}: ${doc.kind}`)
  }
})

// kubernetes-models' schemas allow fields they do not know, which the API server (kubectl's strict field
// validation) refuses; assigning each document to its TypeScript type as an object literal finds them. The
// sources are held in memory, never written. A null is dropped, as the API server does (`kubectl create
// --dry-run=client -o yaml` writes `creationTimestamp: null`).
t.test('no manifest has a field the Kubernetes types do not have', async (t) => {
  const sources = new Map(objects.map(({ file, doc }, i) => [
    join(DEPLOY, `${file}.${i}.check.ts`),
    `import type { I${doc.kind} } from 'kubernetes-models/${doc.apiVersion}/${doc.kind}'\nexport const doc: I${doc.kind} = ${JSON.stringify(doc, (_key, value: unknown) => value ?? undefined, 2)}\n`,
  ]))
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (name) => sources.has(name) || fileExists.call(host, name)
  host.readFile = (name) => sources.get(name) ?? readFile.call(host, name)
  host.getSourceFile = (name, version, ...rest) => {
    const text = sources.get(name)
    return text === undefined ? getSourceFile.call(host, name, version, ...rest) : ts.createSourceFile(name, text, version)
  }
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([...sources.keys()], options, host))
  t.same(diagnostics.map((d) => `${basename(d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`), [], 'type errors')
})

t.test('kustomization.yaml lists every manifest', async (t) => {
  const kustomization = manifests.find(({ doc }) => doc.kind === 'Kustomization')?.doc as { resources?: string[] } | undefined
  t.same([...(kustomization?.resources ?? [])].sort(), files.filter((name) => name !== 'kustomization.yaml'))
})

t.test('the container port is the one the server listens on and the image exposes', async (t) => {
  const defaults = readConfig({})
  if (!defaults.ok) throw new Error('the server has no valid defaults')
  t.equal(port?.containerPort, env.PORT === undefined ? defaults.value.port : Number(env.PORT))
  t.equal(port?.containerPort, imagePort, 'EXPOSE in ../Dockerfile')
})

t.test('every variable the Deployment sets is one the server reads, with a value it accepts', async (t) => {
  // The names src/config.ts reads: `env.NAME`, `env['NAME']`, or a helper called with 'NAME' (integer('PORT', ...)).
  const source = readFileSync(join(ROOT, 'src/config.ts'), 'utf8')
  const known = new Set([...source.matchAll(/\benv(?:\.|\[\s*')([A-Z][A-Z0-9_]*)|\b\w+\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] ?? m[2]))
  t.ok(known.has('PORT') && known.has('POLICY_DIR'), 'the scan of src/config.ts finds its variables')
  t.same(Object.keys(env).filter((name) => !known.has(name)), [], 'unknown to src/config.ts')
  t.notOk('PLIMSOLL_API_KEYS' in env, 'keys come from the Secret\'s file, not a variable')
  const config = readConfig(env)
  t.same(config.ok ? [] : config.problems, [])
  // The server's default host is 127.0.0.1, which no Service could reach.
  t.equal(config.ok && config.value.host, '0.0.0.0')
})

t.test('the probes answer 200 from the app serving the ConfigMap\'s policies', async (t) => {
  const dir = t.testdir()
  for (const [name, text] of Object.entries(configMap.data ?? {})) writeFileSync(join(dir, name), text)
  const app = await buildApp({ policyDir: dir })
  t.teardown(() => app.close())
  const probes = { startupProbe: container?.startupProbe, livenessProbe: container?.livenessProbe, readinessProbe: container?.readinessProbe }
  for (const [kind, probe] of Object.entries(probes)) {
    const get = probe?.httpGet
    t.ok(get !== undefined && (get.port === port?.name || get.port === port?.containerPort), `${kind} asks the container's port`)
    const res = await app.inject({ method: 'GET', url: get?.path ?? '(none)' })
    t.equal(res.statusCode, 200, `${kind} GET ${get?.path}`)
  }
  t.equal(container?.livenessProbe?.httpGet?.path, '/healthz')
  t.equal(container?.readinessProbe?.httpGet?.path, '/readyz')
})

t.test('the ConfigMap\'s policies compile and are mounted at POLICY_DIR', async (t) => {
  const policies = Object.entries(configMap.data ?? {}).map(([name, text]) => ({ name, text }))
  t.ok(policies.length > 0 && policies.every(({ name }) => /\.ya?ml$/.test(name)), 'one or more *.yaml files')
  const compiled = compilePolicySet(policies)
  t.same(compiled.ok ? [] : compiled.problems, [], 'compile problems')
  // As POST /v1/policies/validate does: each rule's own examples must pass, which catches a CEL field that does not exist.
  const rules = compiled.ok ? compiled.value.policies.flatMap((p) => p.rules) : []
  t.same(rules.flatMap(runExamples).filter((r) => !r.ok).map((r) => `${r.ruleId} ${r.expect}[${r.index}]: ${r.message}`), [], 'failing examples')
  const volume = pod?.volumes?.find((v) => v.configMap?.name === configMap.metadata?.name)
  const mount = container?.volumeMounts?.find((m) => m.name === volume?.name)
  t.ok(volume !== undefined, 'a volume holds the ConfigMap')
  t.equal(mount?.mountPath, env.POLICY_DIR)
  t.equal(mount?.subPath, undefined, 'mounted whole, so ConfigMap edits reach the pod')
})

t.test('the API keys file PLIMSOLL_API_KEYS_FILE names is a key of the Secret', async (t) => {
  const path = env.PLIMSOLL_API_KEYS_FILE ?? ''
  const volume = pod?.volumes?.find((v) => v.secret?.secretName === secret.metadata?.name)
  const mount = container?.volumeMounts?.find((m) => m.name === volume?.name)
  t.ok(volume !== undefined, 'a volume holds the Secret')
  t.equal(mount?.mountPath, dirname(path))
  t.ok(Object.keys({ ...secret.data, ...secret.stringData }).includes(basename(path)), `the Secret has a key ${basename(path)}`)
})

t.test('the Service targets the container port and selects the pods', async (t) => {
  const target = service.spec?.ports?.[0]?.targetPort
  t.ok(target === port?.name || target === port?.containerPort, `targetPort ${target}`)
  t.ok(selectsPods(service.spec?.selector))
})

t.test('the Deployment, HPA and PDB agree on the pods', async (t) => {
  t.ok(selectsPods(deployment.spec?.selector.matchLabels), 'the Deployment selects its own pods')
  t.ok(selectsPods(pdb.spec?.selector?.matchLabels), 'the PDB selects the pods')
  t.same(hpa.spec?.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata?.name }, 'the HPA scales the Deployment')
  t.ok(hpa.spec?.metrics?.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu'), 'the HPA scales on CPU')
  // A PDB that needs every pod of the smallest scale blocks node drains.
  t.ok(Number(pdb.spec?.minAvailable) < (hpa.spec?.minReplicas ?? 1), 'the PDB lets one pod go at the HPA\'s minimum')
  t.ok(container?.resources?.requests?.cpu !== undefined, 'CPU requests, which the HPA\'s utilization is measured against')
})

t.test('the pod runs restricted, as the image\'s user, with requests and limits', async (t) => {
  const context = { ...pod?.securityContext, ...container?.securityContext }
  t.equal(context.runAsNonRoot, true)
  t.equal(context.runAsUser, imageUser, 'the USER of ../Dockerfile')
  t.ok((context.runAsUser ?? 0) > 0 && (context.runAsGroup ?? 0) > 0, 'non-zero user and group')
  t.equal(container?.securityContext?.allowPrivilegeEscalation, false)
  t.equal(container?.securityContext?.readOnlyRootFilesystem, true)
  t.not(container?.securityContext?.privileged, true)
  t.same(container?.securityContext?.capabilities, { drop: ['ALL'] })
  t.equal(context.seccompProfile?.type, 'RuntimeDefault')
  t.match(container?.resources, { requests: { cpu: String, memory: String }, limits: { cpu: String, memory: String } })
})

t.test('the pod outlives SHUTDOWN_GRACE when stopped', async (t) => {
  t.ok(env.SHUTDOWN_GRACE !== undefined, 'SHUTDOWN_GRACE is set')
  t.ok((pod?.terminationGracePeriodSeconds ?? 30) > Number(env.SHUTDOWN_GRACE), 'terminationGracePeriodSeconds is longer')
})
