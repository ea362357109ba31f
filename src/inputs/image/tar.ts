// Streaming plumbing for image archives, as async iterables of Buffers: nothing here holds more than a chunk
// or two. Errors travel down the chain and early exits travel up it (a for-await that stops destroys its source).
import { Readable, pipeline } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { extract, type Extract, type Header } from 'tar-stream'

export type Bytes = AsyncIterable<Buffer>

/** Calls `each` on every chunk as it passes (byte counting, hashing); `each` may throw to stop the stream. */
export async function * tap (source: Bytes, each: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    each(chunk)
    yield chunk
  }
}

/** Reads and discards the rest of a stream; returns how many bytes that was. */
export async function drain (source: Bytes): Promise<number> {
  let bytes = 0
  for await (const chunk of source) bytes += chunk.length
  return bytes
}

/** The first `bytes` bytes (fewer if the stream is shorter), and the whole stream, head included, to go on with. */
export async function peek (source: Bytes, bytes: number): Promise<{ head: Buffer, stream: Bytes }> {
  const iterator = source[Symbol.asyncIterator]()
  const chunks: Buffer[] = []
  let length = 0
  let ended = false
  while (length < bytes && !ended) {
    const next = await iterator.next()
    if (next.done === true) ended = true
    else {
      chunks.push(next.value)
      length += next.value.length
    }
  }
  const head = Buffer.concat(chunks)
  async function * stream (): AsyncGenerator<Buffer> {
    try {
      yield head
      while (!ended) {
        const next = await iterator.next()
        if (next.done === true) ended = true
        else yield next.value
      }
    } finally {
      // Stopped early (an error further down): let the source clean up, which destroys its stream.
      if (!ended) await iterator.return?.()
    }
  }
  return { head, stream: stream() }
}

export const isGzip = (head: Buffer): boolean => head[0] === 0x1f && head[1] === 0x8b
export const isZstd = (head: Buffer): boolean => head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528
/** A ustar/GNU header, or the zero block of an empty tar (an empty layer is 1024 zero bytes). */
export const isTar = (head: Buffer): boolean =>
  head.length >= 512 && (head.toString('latin1', 257, 262) === 'ustar' || head.subarray(0, 512).every((byte) => byte === 0))

/** Gunzips a stream; `each` sees every inflated chunk (to bound what a small gzip may expand to). */
export async function * gunzip (source: Bytes, each: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  // pipeline destroys every stage on an error or when this generator is left early.
  const inflated = pipeline(Readable.from(source, { objectMode: false }), createGunzip(), () => {})
  yield * tap(inflated, each)
}

export interface TarEntry {
  readonly header: Header
  /** The entry's bytes; must be read to the end (or the walk stopped by throwing) before `each` returns. */
  readonly body: Bytes
}

/**
 * Walks a tar stream, calling `each` on every entry in turn. One task writes the source into tar-stream's
 * parser with backpressure while this one reads entries, so only what the parser holds is ever in memory.
 * Rejects with the first error of either side, and leaves nothing open.
 */
export async function walkTar (source: Bytes, each: (entry: TarEntry) => Promise<void>): Promise<void> {
  const parser = extract()
  const writing = (async () => {
    try {
      for await (const chunk of source) {
        if (!parser.write(chunk)) await drained(parser)
        if (parser.destroyed) return // the reader stopped: leaving the loop stops the source too
      }
      parser.end(null)
    } catch (error) {
      parser.destroy(error as Error)
    }
  })()
  try {
    for await (const entry of parser) {
      // A directory's body never ends in tar-stream when its header claims a size, and is empty anyway.
      const body = entry.header.type === 'directory' ? emptyBytes() : (entry as unknown as Bytes)
      await each({ header: entry.header, body })
    }
  } finally {
    parser.destroy(null)
    await writing
  }
}

async function * emptyBytes (): AsyncGenerator<Buffer> {}

/** Resolves when the parser wants more, or is gone. */
function drained (parser: Extract): Promise<void> {
  if (parser.destroying) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      parser.off('drain', done).off('close', done)
      resolve()
    }
    parser.on('drain', done).on('close', done)
  })
}
