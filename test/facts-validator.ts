import addFormats from 'ajv-formats'
import { Ajv } from 'ajv'
import factsSchema from '../src/facts/facts.schema.json' with { type: 'json' }

// The published facts schema, compiled once: tests check real facts against it.
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats.default(ajv)
const validate = ajv.compile(factsSchema)

/** Schema errors of a facts document; [] when it conforms. */
export function validateFacts (facts: unknown): string[] {
  return validate(facts) ? [] : (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message ?? ''}`)
}
