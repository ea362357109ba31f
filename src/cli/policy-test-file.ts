// Policy test files (`kind: PolicyTest`): Dockerfiles with the rules they must and must not trip, checked
// through the whole engine (profiles, params and suppressions included), not one rule at a time.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { POLICY_TEST_NAME } from '../policy/load.js'
import { parseYaml, schemaProblems } from '../policy/yaml-document.js'
import { failed, ok, type Problem, type Result } from '../problem.js'

// `*_test.yaml` and `*.test.yaml` (or `.yml`), as `opa test` finds `*_test.rego`: the loader skips them.
export { POLICY_TEST_NAME }
/** Where test files may also live, out of reach of the policy loader, which reads only the top level. */
export const POLICY_TEST_DIR = 'tests'

const ruleRefs = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true }

const testCase = {
  type: 'object',
  additionalProperties: false,
  required: ['dockerfile', 'expect'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'What the case shows; "case N" when absent.' },
    dockerfile: { type: 'string', minLength: 1 },
    files: { type: 'object', additionalProperties: { type: 'string' }, description: 'Build-context files by path.' },
    policies: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    profile: { type: 'string', minLength: 1 },
    params: { type: 'object' },
    include: ruleRefs,
    exclude: ruleRefs,
    expect: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        fail: {
          type: 'array',
          minItems: 1,
          items: {
            anyOf: [
              { type: 'string', minLength: 1 },
              {
                type: 'object',
                additionalProperties: false,
                required: ['rule', 'line'],
                properties: { rule: { type: 'string', minLength: 1 }, line: { type: 'integer', minimum: 1 } },
              },
            ],
          },
          description: 'Rules (id or alias) that must report a finding, optionally on a line.',
        },
        pass: { ...ruleRefs, description: 'Rules (id or alias) that must report nothing.' },
        suppressed: { ...ruleRefs, description: 'Rules (id or alias) whose findings must be suppressed.' },
      },
    },
  },
}

/** JSON Schema of a policy test file (format v1). */
export const policyTestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://plimsoll.dev/schemas/policy-test-v1.json',
  title: 'Plimsoll policy test',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'plimsoll.dev/v1' },
    kind: { const: 'PolicyTest' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }, description: { type: 'string' } },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['cases'],
      properties: { cases: { type: 'array', items: testCase, minItems: 1 } },
    },
  },
} as const

const ajv = new Ajv2020({ allErrors: true, strict: true })
const validate = ajv.compile(policyTestSchema)

/** A rule that must report a finding; on `line` when given. */
export interface ExpectedFailure { readonly rule: string, readonly line?: number }

/** One Dockerfile and what the policies must say about it. */
export interface PolicyTestCase {
  readonly name: string
  readonly dockerfile: string
  readonly files: Readonly<Record<string, string>>
  readonly policies?: readonly string[]
  readonly profile?: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly include?: readonly string[]
  readonly exclude?: readonly string[]
  readonly expect: {
    readonly fail: readonly ExpectedFailure[]
    readonly pass: readonly string[]
    readonly suppressed: readonly string[]
  }
  /** Line of the case in its file. */
  readonly line: number
}

/** A loaded policy test file. */
export interface PolicyTestFile {
  /** The path it was read from, as given. */
  readonly file: string
  readonly name: string
  readonly cases: readonly PolicyTestCase[]
}

type CaseSource = Omit<PolicyTestCase, 'name' | 'files' | 'expect' | 'line'> & {
  name?: string, files?: Record<string, string>
  expect: { fail?: Array<string | ExpectedFailure>, pass?: string[], suppressed?: string[] }
}

/** Parses and schema-checks one test file, collecting every problem with its line and column. */
export function compilePolicyTest (file: string, text: string): Result<PolicyTestFile> {
  const doc = parseYaml(file, text)
  if (!doc.ok) return doc
  const invalid = schemaProblems(validate, doc.value, file)
  if (invalid.length > 0) return failed(invalid)
  const source = doc.value.value as { metadata: { name: string }, spec: { cases: CaseSource[] } }
  const problems: Problem[] = []
  const seen = new Set<string>()
  const cases = source.spec.cases.map((c, index): PolicyTestCase => {
    const name = c.name ?? `case ${index + 1}`
    const at = doc.value.at(`/spec/cases/${index}`)
    if (seen.has(name)) problems.push({ code: 'policy-test.duplicate-case', message: `case name "${name}" is used twice`, file, pointer: `/spec/cases/${index}/name`, ...at })
    seen.add(name)
    return {
      ...c,
      name,
      files: c.files ?? {},
      expect: {
        fail: (c.expect.fail ?? []).map((f) => typeof f === 'string' ? { rule: f } : f),
        pass: c.expect.pass ?? [],
        suppressed: c.expect.suppressed ?? [],
      },
      line: at.line ?? 1,
    }
  })
  if (problems.length > 0) return failed(problems)
  return ok({ file, name: source.metadata.name, cases })
}

/** Paths of the test files in a policy directory and its `tests/` folder, sorted. */
export async function findPolicyTestFiles (dir: string): Promise<string[]> {
  const found: string[] = []
  for (const sub of ['', POLICY_TEST_DIR]) {
    let names: string[]
    try {
      names = await readdir(join(dir, sub))
    } catch {
      continue // no tests/ folder is the usual case
    }
    found.push(...names.filter((name) => POLICY_TEST_NAME.test(name)).map((name) => join(dir, sub, name)))
  }
  return found.sort()
}

/** Reads and compiles test files; every problem in every file is reported, with paths as given. */
export async function loadPolicyTests (paths: readonly string[]): Promise<Result<PolicyTestFile[]>> {
  const problems: Problem[] = []
  const files: PolicyTestFile[] = []
  for (const path of paths) {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      problems.push({ code: 'policy-test.unreadable', message: `cannot read: ${(error as Error).message}`, file: path })
      continue
    }
    const compiled = compilePolicyTest(path, text)
    if (compiled.ok) files.push(compiled.value)
    else problems.push(...compiled.problems)
  }
  return problems.length > 0 ? failed(problems) : ok(files)
}
