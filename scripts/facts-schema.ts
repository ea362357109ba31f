// Generates the facts model's JSON Schema from src/facts/types.ts (doc comments become descriptions).
// `npm run facts:schema` writes src/facts/facts.schema.json; test/facts-schema.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createGenerator } from 'ts-json-schema-generator'

const root = new URL('../', import.meta.url)
export const SCHEMA_FILE = fileURLToPath(new URL('src/facts/facts.schema.json', root))

export function generateFactsSchema (): object {
  const schema = createGenerator({
    path: fileURLToPath(new URL('src/facts/types.ts', root)),
    tsconfig: fileURLToPath(new URL('tsconfig.json', root)),
    type: 'DockerfileFacts',
    expose: 'export',
    topRef: true,
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema('DockerfileFacts')
  return { $id: 'https://plimsoll.dev/schemas/facts-v1.json', title: 'Plimsoll Dockerfile facts', ...schema }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, JSON.stringify(generateFactsSchema(), null, 2) + '\n')
  console.log(`wrote ${SCHEMA_FILE}`)
}
