// Validation against the official SARIF 2.1.0 schema (draft-04), which ships beside the repo in ../shared; a fresh
// clone has none, so the check is skipped there, saying why.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import type { Test } from 'tap'

const SCHEMA = fileURLToPath(new URL('../../../shared/schemas/sarif-2.1.0.json', import.meta.url))
const NO_SCHEMA = existsSync(SCHEMA) ? false : `${SCHEMA} is absent (it ships beside the repo in CI, not in a clone)`

let validate: ((log: unknown) => string[]) | undefined
function schemaProblems (log: unknown): string[] {
  if (validate === undefined) {
    const ajv = new Ajv.default({ strict: false, allErrors: true })
    addFormats.default(ajv)
    const check = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object)
    validate = (value) => check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`)
  }
  return validate(log)
}

/** A subtest that validates the log against the schema, skipped (with the reason printed) where the schema is absent. */
export function isSchemaValid (t: Test, text: string): void {
  t.test('is valid against the SARIF 2.1.0 schema', { skip: NO_SCHEMA }, async (t) => {
    t.same(schemaProblems(JSON.parse(text)), [])
  })
}
