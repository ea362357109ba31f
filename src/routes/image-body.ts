import type { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { ImageFacts } from '../facts/image-types.js'
import { readImageArchive } from '../inputs/image/archive.js'
import { readImageDocument } from '../inputs/image/index.js'
import type { Result } from '../problem.js'

/** Media types of an image archive sent as the raw body: `docker save` or an OCI layout, as tar, gzipped or not. */
export const ARCHIVE_TYPES = ['application/x-tar', 'application/gzip', 'application/x-gzip']

/**
 * Lets the app's routes take an archive as the raw body: Fastify hands the stream over unread (its body
 * limit does not apply), and the archive reader counts the bytes against `archiveLimit` as they stream.
 */
export function acceptArchives (app: FastifyInstance): void {
  app.addContentTypeParser(ARCHIVE_TYPES, (_request, payload, done) => { done(null, payload) })
}

/** A streamed archive body, or a JSON body's `image` document (with an optional `kind`) as image facts. */
export async function readImageBody (body: unknown, archiveLimit: number): Promise<Result<ImageFacts> | undefined> {
  if (isStream(body)) return await readImageArchive(body, { maxBytes: archiveLimit })
  const json = body as { image?: unknown, kind?: string }
  if (json.image === undefined) return undefined
  return readImageDocument(json.image, json.kind)
}

/** The JSON fields of a body: a text body is the Dockerfile, an archive has none. */
export function jsonFields<T extends { dockerfile?: string }> (body: unknown): T {
  return (typeof body === 'string' ? { dockerfile: body } : isStream(body) ? {} : body) as T
}

const isStream = (body: unknown): body is Readable => typeof (body as Readable | undefined)?.pipe === 'function'
