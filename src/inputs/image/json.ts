// Reading fields of an image document that arrived as arbitrary JSON: every value is checked before use,
// and a value of the wrong type becomes a Problem with its JSON Pointer (or, for lenient callers, is
// left out). null counts as absent, as Docker writes `"Volumes": null` for none.
import { pointerToken, type Problem } from '../../problem.js'

/** A value in the document and its JSON Pointer. */
export interface At {
  readonly value: unknown
  readonly pointer: string
}

export type JsonObject = Readonly<Record<string, unknown>>

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The field `name` of an object. Keys match case-insensitively when no key matches exactly, as Go's
 * encoding/json (which writes and reads these documents) does: `Config`, `config` and `CONFIG` are one field.
 */
export function field (at: At, name: string): At {
  const object = isObject(at.value) ? at.value : undefined
  const lower = name.toLowerCase()
  const key = object === undefined || Object.hasOwn(object, name) ? name : Object.keys(object).find((k) => k.toLowerCase() === lower) ?? name
  return { value: object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined, pointer: `${at.pointer}/${pointerToken(key)}` }
}

/** A path of fields from a bare value (for detection, where no pointer is needed). */
export function valueAt (value: unknown, ...names: string[]): unknown {
  return names.reduce<At>((at, name) => field(at, name), { value, pointer: '' }).value
}

/** Reads typed values, collecting a Problem for each value of the wrong type. */
export class FieldReader {
  readonly problems: Problem[] = []

  /** A string; "" when absent. */
  string (at: At): string {
    if (typeof at.value === 'string') return at.value
    if (at.value != null) this.wrong(at, 'a string')
    return ''
  }

  /** A number; undefined when absent. */
  number (at: At): number | undefined {
    if (typeof at.value === 'number') return at.value
    if (at.value != null) this.wrong(at, 'a number')
    return undefined
  }

  /** Whether the value is an object; a value of another type (not null) is a problem. */
  object (at: At): boolean {
    if (isObject(at.value)) return true
    if (at.value != null) this.wrong(at, 'an object')
    return false
  }

  /** The items of an array; [] when absent. */
  list (at: At): At[] {
    if (Array.isArray(at.value)) return at.value.map((value, index) => ({ value, pointer: `${at.pointer}/${index}` }))
    if (at.value != null) this.wrong(at, 'an array')
    return []
  }

  /** An array of strings; a lone string is one item, as Docker's StrSlice reads it. Items of another type are left out. */
  strings (at: At): string[] {
    if (typeof at.value === 'string') return [at.value]
    return this.list(at).flatMap((item) => typeof item.value === 'string' ? [item.value] : (this.wrong(item, 'a string'), []))
  }

  /** An object's keys (`{"80/tcp": {}}`); [] when absent. */
  keys (at: At): string[] {
    if (isObject(at.value)) return Object.keys(at.value)
    if (at.value != null) this.wrong(at, 'an object')
    return []
  }

  /** An object of strings; {} when absent. Values of another type are left out. */
  stringMap (at: At): Record<string, string> {
    // Object.fromEntries defines keys as data, so a key such as `__proto__` stays a key.
    return Object.fromEntries(this.keys(at).flatMap((key) => {
      const value = field(at, key)
      return typeof value.value === 'string' ? [[key, value.value]] : (this.wrong(value, 'a string'), [])
    }))
  }

  /** Records a problem that is not about a type. */
  refuse (at: At, message: string): void {
    this.problems.push({ code: 'input.image-field', message, pointer: at.pointer })
  }

  private wrong (at: At, expected: string): void {
    this.refuse(at, `expected ${expected}, found ${describe(at.value)}`)
  }
}

/** What a JSON value is, for messages: "a number", "an array"… */
export function describe (value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

