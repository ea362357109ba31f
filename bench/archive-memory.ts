// node --import=tsx bench/archive-memory.ts [MB]: writes a ~500 MB `docker save` archive to a temp file (streamed
// through tar-stream's pack, never whole in memory: three layers of big files, random and zero-filled), then reads
// it back with readImageArchiveParts from a file stream and prints peak RSS and time. Never asserted in tests.
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { pack, type Pack } from 'tar-stream'
import { readImageArchiveParts } from '../src/inputs/image/archive.js'

const MB = 1024 * 1024
const total = Number(process.argv[2] ?? 500) * MB
const LAYERS = 3

interface Writable { write: (data: Buffer) => boolean, once: (event: 'drain', listener: () => void) => unknown, end: (data: null) => unknown }
const drained = (sink: Writable): Promise<void> => new Promise((resolve) => { sink.once('drain', resolve) })

async function writeAll (sink: Writable, chunks: AsyncIterable<unknown> | Iterable<Buffer>): Promise<void> {
  for await (const chunk of chunks) if (!sink.write(chunk as Buffer)) await drained(sink)
  sink.end(null)
}

/** One layer tar: a few files of `size` bytes in all, half random, half zeros, plus a small tree. */
function layerTar (index: number, size: number): { tar: Pack, bytes: number } {
  const tar = pack()
  const files = 4
  const fileSize = Math.floor(size / files / 512) * 512
  void (async () => {
    for (let file = 0; file < files; file++) {
      const random = file % 2 === 0
      const chunk = random ? randomBytes(MB) : Buffer.alloc(MB)
      const sink = tar.entry({ name: `data/layer${index}/file${file}.bin`, size: fileSize })
      await writeAll(sink, (function * () { for (let at = 0; at < fileSize; at += MB) yield chunk.subarray(0, Math.min(MB, fileSize - at)) })())
    }
    for (let small = 0; small < 200; small++) tar.entry({ name: `etc/layer${index}/conf${small}` }, `setting=${small}\n`)
    tar.finalize()
  })()
  // Each file: header + body (a multiple of 512); each small file: header + one block; then the 1024-byte end.
  return { tar, bytes: files * (512 + fileSize) + 200 * 1024 + 1024 }
}

async function writeArchive (path: string): Promise<void> {
  const archive = pack()
  const writing = pipeline(archive, createWriteStream(path))
  const layers: string[] = []
  for (let index = 0; index < LAYERS; index++) {
    const { tar, bytes } = layerTar(index, total / LAYERS)
    layers.push(`layer${index}/layer.tar`)
    await writeAll(archive.entry({ name: `layer${index}/layer.tar`, size: bytes }), tar)
  }
  archive.entry({ name: 'config.json' }, JSON.stringify({ os: 'linux', architecture: 'amd64', config: { User: 'app' } }))
  archive.entry({ name: 'manifest.json' }, JSON.stringify([{ Config: 'config.json', RepoTags: ['bench:1'], Layers: layers }]))
  archive.finalize()
  await writing
}

const dir = await mkdtemp(join(tmpdir(), 'plimsoll-bench-'))
try {
  const path = join(dir, 'image.tar')
  await writeArchive(path)
  const { size } = await stat(path)
  const rssBefore = process.memoryUsage().rss
  // Sampled while reading (file reads yield to timers); maxRSS also counts the writing phase before it.
  let peak = rssBefore
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 5)
  const start = performance.now()
  const result = await readImageArchiveParts(createReadStream(path), { maxBytes: 2 * size })
  const seconds = (performance.now() - start) / 1000
  clearInterval(sampler)
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  console.log(`read a ${(size / MB).toFixed(0)} MB docker-save archive (${result.value.files?.length} files) in ${seconds.toFixed(2)} s ` +
    `(${(size / MB / seconds).toFixed(0)} MB/s): peak RSS while reading ${(peak / MB).toFixed(0)} MB (${(rssBefore / MB).toFixed(0)} MB before; ` +
    `process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, writing included)`)
  console.log('command: node --import=tsx bench/archive-memory.ts [MB, default 500]')
} finally {
  await rm(dir, { recursive: true, force: true })
}
