// Generates the facts models' JSON Schemas from src/facts/types.ts and image-types.ts (doc comments become
// descriptions). `npm run facts:schema` writes src/facts/facts.schema.json and image-facts.schema.json;
// test/facts-schema.test.ts fails when either is stale.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createGenerator } from 'ts-json-schema-generator'

const root = new URL('../', import.meta.url)
export const SCHEMA_FILE = fileURLToPath(new URL('src/facts/facts.schema.json', root))
export const IMAGE_SCHEMA_FILE = fileURLToPath(new URL('src/facts/image-facts.schema.json', root))

export function generateFactsSchema (): object {
  return { $id: 'https://plimsoll.dev/schemas/facts-v1.json', title: 'Plimsoll Dockerfile facts', ...generate('types.ts', 'DockerfileFacts') }
}

export function generateImageFactsSchema (): object {
  return { $id: 'https://plimsoll.dev/schemas/image-facts-v1.json', title: 'Plimsoll image facts', ...generate('image-types.ts', 'ImageFacts') }
}

function generate (file: string, type: string): object {
  return createGenerator({
    path: fileURLToPath(new URL(`src/facts/${file}`, root)),
    tsconfig: fileURLToPath(new URL('tsconfig.json', root)),
    type,
    expose: 'export',
    topRef: true,
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema(type)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, JSON.stringify(generateFactsSchema(), null, 2) + '\n')
  writeFileSync(IMAGE_SCHEMA_FILE, JSON.stringify(generateImageFactsSchema(), null, 2) + '\n')
  console.log(`wrote ${SCHEMA_FILE} and ${IMAGE_SCHEMA_FILE}`)
}
