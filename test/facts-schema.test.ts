import { readFileSync } from 'node:fs'
import t from 'tap'
import { DOC_FILE, IMAGE_DOC_FILE, generateFactsDoc, generateImageFactsDoc } from '../scripts/facts-doc.js'
import { IMAGE_SCHEMA_FILE, SCHEMA_FILE, generateFactsSchema, generateImageFactsSchema } from '../scripts/facts-schema.js'

// The schema and docs/facts.md are generated from src/facts/*.ts; these fail when either is stale.
type Schema = { definitions: Record<string, { properties?: Record<string, { description?: string }> }> }
const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema
const committedImage = JSON.parse(readFileSync(IMAGE_SCHEMA_FILE, 'utf8')) as Schema

t.test('facts.schema.json matches the facts types (npm run facts:schema)', async (t) => {
  t.same(committed, generateFactsSchema())
})

t.test('image-facts.schema.json matches the image facts types (npm run facts:schema)', async (t) => {
  t.same(committedImage, generateImageFactsSchema())
})

t.test('every field of both facts models is documented', async (t) => {
  const undocumented = [...Object.entries(committed.definitions), ...Object.entries(committedImage.definitions)].flatMap(([name, definition]) =>
    Object.entries(definition.properties ?? {}).filter(([, node]) => (node.description ?? '') === '').map(([field]) => `${name}.${field}`))
  t.same(undocumented, [], 'each field has a doc comment in src/facts')
})

t.test('docs/facts.md matches the schema and the example (npm run facts:doc)', async (t) => {
  t.equal(readFileSync(DOC_FILE, 'utf8'), generateFactsDoc(committed as never) + '\n')
})

t.test('docs/image-facts.md matches the schema and the example (npm run facts:doc)', async (t) => {
  t.equal(readFileSync(IMAGE_DOC_FILE, 'utf8'), generateImageFactsDoc(committedImage as never) + '\n')
})
