// What cel-js does with values, for the native evaluation (cel-native.ts): the same result on well-typed values,
// and a throw (unsure) wherever cel-js would reject or resolve otherwise, so cel-js decides those.
import { globMatches, re2Matches } from './cel-functions.js'

const UNSURE = new Error('left to cel-js')
export const unsure = (): never => { throw UNSURE }

// A value cel-js takes as it is: a field or an element of any other kind makes it throw.
export function celValue (value: unknown): unknown {
  switch (typeof value) {
    case 'string': case 'bigint': case 'number': case 'boolean': return value
    case 'object': {
      const kind = value?.constructor
      return value === null || kind === Object || kind === undefined || kind === Array ? value : unsure()
    }
    default: return unsure()
  }
}

// A map as cel-js reads one: a plain object (its `constructor`, an own key included, decides, as in cel-js).
export const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (value.constructor === Object || value.constructor === undefined)
export const isList = (value: unknown): value is unknown[] => Array.isArray(value) && value.constructor === Array
export const str = (value: unknown): string => typeof value === 'string' ? value : unsure()
const MAX_INT = 2n ** 63n - 1n
const int = (value: bigint): bigint => value > MAX_INT || value < -MAX_INT - 1n ? unsure() : value

// cel-js's equality: by value across int and double, by type otherwise; two lists or maps (compared deeply) are left to it.
export function equal (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'bigint' && typeof b === 'number') return sameNumber(a, b)
  if (typeof a === 'number' && typeof b === 'bigint') return sameNumber(b, a)
  if (isList(a) && isList(b)) return unsure()
  if (isMap(a) && isMap(b)) return unsure()
  return false
}

// An int equals a double of the same value; one within 2^53 is compared as a double, without making a BigInt.
export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const sameNumber = (int: bigint, double: number): boolean =>
  int <= MAX_SAFE && int >= -MAX_SAFE ? Number(int) === double : Number.isInteger(double) && BigInt(double) === int

// cel-js orders two numbers (int or double, by value), two strings or two bools; anything else it rejects.
export function comparable (a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof a === 'number') return typeof b === 'bigint' || typeof b === 'number'
  return typeof a === typeof b && (typeof a === 'string' || typeof a === 'boolean')
}

// Object.prototype's names: the only keys a plain object (facts and params are plain data) shows without owning them.
export const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype))

// cel-js's field access: own keys of plain objects. Checking ownership costs more than the rest, so it is
// done only for the keys that could be inherited.
export function field (object: unknown, key: string, inherited = INHERITED.has(key)): unknown {
  if (typeof object === 'object' && object !== null) {
    const value = (object as Record<string, unknown>)[key]
    const kind = object.constructor
    if (value !== undefined && (kind === Object || kind === undefined) && (!inherited || Object.hasOwn(object, key))) return celValue(value)
  }
  return unsure()
}

// cel-js's index access: a plain object's own keys, or an array's elements.
export function index (object: unknown, key: unknown): unknown {
  if (typeof key === 'string') return field(object, key)
  if (isList(object) && (typeof key === 'bigint' || typeof key === 'number') && object[Number(key)] !== undefined) return celValue(object[Number(key)])
  return unsure()
}

export function size (value: unknown): bigint {
  if (typeof value === 'string') return BigInt(/[\uD800-\uDFFF]/.test(value) ? Array.from(value).length : value.length) // code points, as cel-js counts
  if (isList(value)) return BigInt(value.length)
  return isMap(value) ? BigInt(Object.keys(value).length) : unsure()
}

// A list's element type as cel-js reads it at run time (from its first element): lists of two types do not add up.
export const elementType = (list: unknown[]): string => list.length === 0 ? 'empty' : typeof list[0] === 'object' ? 'object' : typeof list[0]

// Methods on strings (the receiver first), with cel-js's semantics; undefined: not native.
export const STRING_METHODS: Record<string, (text: string, ...args: unknown[]) => unknown> = {
  'startsWith/1': (text, prefix) => text.startsWith(str(prefix)),
  'endsWith/1': (text, suffix) => text.endsWith(str(suffix)),
  'contains/1': (text, part) => text.includes(str(part)),
  'lowerAscii/0': (text) => text.toLowerCase(),
  'upperAscii/0': (text) => text.toUpperCase(),
  'trim/0': (text) => text.trim(),
  'indexOf/1': (text, part) => BigInt(text.indexOf(str(part))),
  'lastIndexOf/1': (text, part) => BigInt(text.lastIndexOf(str(part))),
  'split/1': (text, separator) => text.split(str(separator)),
  'substring/1': (text, start) => typeof start === 'bigint' && start >= 0n && start <= text.length ? text.substring(Number(start)) : unsure(),
  'substring/2': (text, start, end) => typeof start === 'bigint' && typeof end === 'bigint' && start >= 0n && start <= end && end <= text.length ? text.substring(Number(start), Number(end)) : unsure(),
  're2Matches/1': (text, pattern) => re2Matches(text, str(pattern)),
  'glob/1': (text, pattern) => globMatches(text, str(pattern)),
}

export function add (a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int(a + b)
  if (typeof a === 'number' && typeof b === 'number') return a + b
  if (typeof a === 'string' && typeof b === 'string') return a + b
  if (isList(a) && isList(b) && (a.length === 0 || b.length === 0 || (elementType(a) === elementType(b) && elementType(a) !== 'object'))) return [...a, ...b]
  return unsure()
}

export function subtract (a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int(a - b)
  return typeof a === 'number' && typeof b === 'number' ? a - b : unsure()
}

export function multiply (a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int(a * b)
  return typeof a === 'number' && typeof b === 'number' ? a * b : unsure()
}

// Integer division truncates toward zero, as BigInt's does; by zero cel-js throws.
export function divide (a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return b === 0n ? unsure() : int(a / b)
  return typeof a === 'number' && typeof b === 'number' ? a / b : unsure()
}

export const modulo = (a: unknown, b: unknown): unknown => typeof a === 'bigint' && typeof b === 'bigint' && b !== 0n ? a % b : unsure()
