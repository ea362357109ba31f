import { readFileSync } from 'node:fs'
import t from 'tap'
import { DOC_FILE, generateFactsDoc } from '../scripts/facts-doc.js'
import { SCHEMA_FILE, generateFactsSchema } from '../scripts/facts-schema.js'

// The schema and docs/facts.md are generated from src/facts/*.ts; these fail when either is stale.
const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { definitions: Record<string, { properties?: Record<string, { description?: string }> }> }

t.test('facts.schema.json matches the facts types (npm run facts:schema)', async (t) => {
  t.same(committed, generateFactsSchema())
})

t.test('every field of the facts model is documented', async (t) => {
  const undocumented = Object.entries(committed.definitions).flatMap(([name, definition]) =>
    Object.entries(definition.properties ?? {}).filter(([, node]) => (node.description ?? '') === '').map(([field]) => `${name}.${field}`))
  t.same(undocumented, [], 'each field has a doc comment in src/facts')
})

t.test('docs/facts.md matches the schema and the example (npm run facts:doc)', async (t) => {
  t.equal(readFileSync(DOC_FILE, 'utf8'), generateFactsDoc(committed as never) + '\n')
})
