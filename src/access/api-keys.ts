// API keys: where they come from (PLIMSOLL_API_KEYS or the file PLIMSOLL_API_KEYS_FILE names) and how a presented
// key is matched. Messages name the variable and a key's position, never a key.
import { createHash, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { failed, ok, type Problem, type Result } from '../problem.js'

// What a header value can carry: visible ASCII, no spaces (a key with others could never be sent).
const KEY = /^[\x21-\x7e]+$/

/** The keys of PLIMSOLL_API_KEYS: comma-separated, spaces around each ignored. */
export function parseKeyList (raw: string): Result<readonly string[]> {
  return checked('PLIMSOLL_API_KEYS', raw.split(',').map((key) => key.trim()).filter((key) => key !== ''))
}

/** The keys of the file PLIMSOLL_API_KEYS_FILE names: one a line, blank lines and `#` comments ignored. */
export function readKeyFile (path: string): Result<readonly string[]> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return failed([{ code: 'config.invalid', message: `PLIMSOLL_API_KEYS_FILE: cannot read "${path}": ${(error as Error).message}` }])
  }
  const keys = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))
  return checked(`PLIMSOLL_API_KEYS_FILE ("${path}")`, keys)
}

// A variable that is set but holds no key would silently leave every route open: refused instead.
function checked (source: string, keys: string[]): Result<readonly string[]> {
  if (keys.length === 0) return failed([{ code: 'config.invalid', message: `${source} is set but holds no key; unset it to serve without keys` }])
  const problems: Problem[] = keys.flatMap((key, i) => KEY.test(key)
    ? []
    : [{ code: 'config.invalid', message: `${source}: key ${i + 1} has characters a header cannot carry (only visible ASCII, no spaces)` }])
  return problems.length > 0 ? failed(problems) : ok(keys)
}

const digest = (key: string): Buffer => createHash('sha256').update(key).digest()

/** A key's public name for logs and rate limits: the first 8 hex digits of its sha256. */
export const keyId = (key: string): string => digest(key).toString('hex').slice(0, 8)

/** The accepted keys, held as sha256 digests. */
export class KeyRing {
  private readonly keys: ReadonlyArray<{ digest: Buffer, id: string }>

  constructor (keys: readonly string[]) {
    this.keys = keys.map((key) => ({ digest: digest(key), id: keyId(key) }))
  }

  get size (): number { return this.keys.length }

  /**
   * The id of the presented key, or undefined when it is none of them. Digests are compared, so every
   * comparison is of 32 bytes whatever the key's length, in constant time, and against every key.
   */
  identify (presented: string): string | undefined {
    const candidate = digest(presented)
    let found: string | undefined
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, candidate)) found ??= key.id
    }
    return found
  }
}
