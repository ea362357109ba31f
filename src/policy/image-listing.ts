import type { ImageFile } from '../facts/image-types.js'

/**
 * Reads the file listing of a rule's image example, one file per line, as an archive would list it:
 * `/app/` (a directory), `/bin/sh -> busybox` (a symlink), `/usr/bin/su 4755 0:0` (mode, then owner),
 * `/app/model.bin 644 1000:1000 52428800` (then size). Defaults: a file, 644 (755 for a directory), root.
 */
export function readListing (lines: readonly string[]): ImageFile[] {
  return lines.map((line) => {
    const words = line.trim().split(/\s+/)
    const written = words.shift() ?? '/'
    const linkTarget = words[0] === '->' ? words.splice(0, 2)[1] ?? '' : ''
    const type: ImageFile['type'] = linkTarget !== '' ? 'symlink' : written.endsWith('/') ? 'directory' : 'file'
    const mode = /^[0-7]{3,4}$/.test(words[0] ?? '') ? parseInt(words.shift() as string, 8) : type === 'file' ? 0o644 : 0o755
    const [uid = 0, gid = 0] = /^\d+:\d+$/.test(words[0] ?? '') ? (words.shift() as string).split(':').map(Number) : []
    const size = type === 'file' && /^\d+$/.test(words[0] ?? '') ? Number(words.shift()) : 0
    const path = written.length > 1 ? written.replace(/\/+$/, '') : written
    return {
      path, type, mode, uid, gid, size, linkTarget, layer: 0,
      setuid: (mode & 0o4000) !== 0,
      setgid: (mode & 0o2000) !== 0,
      worldWritable: type !== 'symlink' && (mode & 0o002) !== 0,
    }
  }).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
}
