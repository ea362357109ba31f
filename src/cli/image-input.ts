// Images for the CLI, from a file or standard input: a JSON document (inspect output, an image config, a
// manifest or index) or an archive (`docker save`, an OCI layout as tar, gzipped or not), told apart by their
// first bytes. Archives stream through the archive reader and are never held whole; documents are small.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import type { ImageFacts } from '../facts/image-types.js'
import { readImageArchive } from '../inputs/image/archive.js'
import { readImageDocument } from '../inputs/image/index.js'
import { isGzip, isTar, isZstd, peek, type Bytes } from '../inputs/image/tar.js'
import { failed, ok, type Problem, type Result } from '../problem.js'
import { readText, type CliIo } from './io.js'

/** What a file given to `compare` turned out to be, by its first bytes. */
export type SubjectInput =
  | { readonly kind: 'image', readonly image: ImageFacts }
  | { readonly kind: 'text', readonly text: string }

/** A JSON image document larger than this is refused: inspect output and manifests are kilobytes. */
export const DOCUMENT_LIMIT = 64 * 1024 * 1024

// A local archive is the user's own: its size bounds nothing but time, so the reader's byte limit is off.
const ARCHIVE_OPTIONS = { maxBytes: Number.POSITIVE_INFINITY }
const HEAD_BYTES = 512

/** Reads an image for `check --image`: a document or an archive, from a path or `-` (standard input). */
export async function readImageInput (path: string, io: CliIo): Promise<Result<ImageFacts>> {
  const opened = await open(path, io)
  if (!opened.ok) return opened
  const { head, stream } = await peek(opened.value, HEAD_BYTES)
  // Anything but JSON goes to the archive reader, which says what it found instead of a tar.
  return isJson(head) ? await readDocument(stream) : await readImageArchive(Readable.from(stream), ARCHIVE_OPTIONS)
}

/** Reads what `compare` is given: an image (a document or an archive), else a Dockerfile's text. */
export async function readSubjectInput (path: string, io: CliIo): Promise<Result<SubjectInput>> {
  const opened = await open(path, io)
  if (!opened.ok) return opened
  const { head, stream } = await peek(opened.value, HEAD_BYTES)
  if (!isJson(head) && !isArchive(head)) return ok({ kind: 'text', text: await readText(stream) ?? '' })
  const image = isJson(head) ? await readDocument(stream) : await readImageArchive(Readable.from(stream), ARCHIVE_OPTIONS)
  return image.ok ? ok({ kind: 'image', image: image.value }) : image
}

async function readDocument (stream: Bytes): Promise<Result<ImageFacts>> {
  const text = await readText(stream, DOCUMENT_LIMIT)
  if (text === undefined) return refuse('input.image-too-large', `an image document is at most ${DOCUMENT_LIMIT / 1024 / 1024} MiB; send a larger image as an archive`)
  let document: unknown
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return refuse('input.image-json', `not valid JSON: ${(error as Error).message}`)
  }
  const image = readImageDocument(document, undefined, '')
  return image.ok ? image : failed(image.problems.map(located))
}

const open = async (path: string, io: CliIo): Promise<Result<Bytes>> => path === '-' ? ok(io.stdin()) : await openFile(resolve(io.cwd, path))

async function openFile (path: string): Promise<Result<Bytes>> {
  try {
    if ((await stat(path)).isDirectory()) return refuse('input.image-directory', 'is a directory: send an OCI layout as a tar (tar -cf layout.tar -C <dir> .)')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return refuse('input.unreadable', code === 'ENOENT' ? 'cannot read: no such file' : `cannot read: ${(error as Error).message}`)
  }
  return ok(createReadStream(path))
}

// JSON documents start with an object or an array, after any whitespace or a byte-order mark.
const isJson = (head: Buffer): boolean => /^(\uFEFF)?\s*[[{]/.test(head.toString('utf8'))
const isArchive = (head: Buffer): boolean => isGzip(head) || isZstd(head) || isTar(head)

// The CLI shows no pointers on its own: a problem inside a document says where.
const located = (problem: Problem): Problem =>
  problem.pointer === undefined || problem.pointer === '' ? problem : { ...problem, message: `${problem.message} (at ${problem.pointer})` }

const refuse = <T>(code: string, message: string): Result<T> => failed([{ code, message }])
