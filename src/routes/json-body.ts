// JSON bodies, parsed as Fastify does (secure-json-parse refuses keys that would set a prototype) but with errors
// that say what was wrong: Fastify answers "Body is not valid JSON" for a `__proto__` key and a syntax error alike.
import type { FastifyInstance } from 'fastify'
import sjson from 'secure-json-parse'

/** A 400 that the app's error handler turns into a problem whose type names `code`. */
class BodyError extends Error {
  readonly statusCode = 400
  constructor (readonly code: string, message: string) {
    super(message)
  }
}

export function acceptStrictJson (app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string
    if (text.trim() === '') {
      done(new BodyError('FST_ERR_CTP_EMPTY_JSON_BODY', 'the JSON body is empty'), undefined)
      return
    }
    try {
      done(null, sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }))
    } catch (error) {
      done(describe(error as Error), undefined)
    }
  })
}

// secure-json-parse throws this message for both keys it refuses; anything else is JSON.parse's own, which gives
// the position.
function describe (error: Error): BodyError {
  if (/forbidden prototype property/.test(error.message)) {
    return new BodyError('INPUT_PROTOTYPE_KEY', 'the JSON body has a "__proto__" key, or a "constructor" key holding "prototype", which is refused: either would change an object\'s prototype; rename the key')
  }
  return new BodyError('FST_ERR_CTP_INVALID_JSON_BODY', `the body is not valid JSON: ${error.message}`)
}
