// Applying image layers, bottom first, into the final file listing, as overlayfs and `docker load` do:
// whiteouts delete what lower layers had, opaque directories hide everything lower layers had under them,
// later entries replace earlier ones. Pure: the archive reader hands it one list of tar headers per layer.
import type { ImageFile } from '../../facts/image-types.js'

/** One tar header of a layer, as read: `path` as written in the tar ("./usr/bin/x", "usr/bin/.wh.y"). */
export interface LayerEntry {
  readonly path: string
  readonly type: ImageFile['type']
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly size: number
  /** Symlink target as written; hardlink target as an archive path (normalised on output). */
  readonly linkTarget: string
}

const WHITEOUT = '.wh.'
const OPAQUE = '.wh..wh..opq'

interface Node { file?: ImageFile, readonly children: Map<string, Node> }

/** "./usr//bin/../bin/x/" → "/usr/bin/x"; ".." never climbs above the root. */
export function normalisePath (name: string): string {
  const parts: string[] = []
  for (const part of name.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '' && part !== '.') parts.push(part)
  }
  return '/' + parts.join('/')
}

/** The final filesystem of layers applied bottom first, sorted by path. */
export function applyLayers (layers: ReadonlyArray<readonly LayerEntry[]>): ImageFile[] {
  const root: Node = { children: new Map() }
  const find = (path: string, create: boolean): Node | undefined => {
    let node: Node | undefined = root
    for (const name of path.split('/').slice(1).filter(Boolean)) {
      let child: Node | undefined = node.children.get(name)
      if (child === undefined) {
        if (!create) return undefined
        child = { children: new Map() }
        node.children.set(name, child)
      }
      node = child
    }
    return node
  }
  layers.forEach((layer, index) => {
    const entries = layer.map((entry) => {
      const path = normalisePath(entry.path)
      const slash = path.lastIndexOf('/')
      return { entry, path, dir: path.slice(0, slash), base: path.slice(slash + 1) }
    })
    // Whiteouts first: they hide lower layers only, wherever they sit in this layer's tar.
    for (const { dir, base } of entries) {
      if (base === OPAQUE) find(dir, false)?.children.clear()
      else if (base.startsWith(WHITEOUT)) find(dir, false)?.children.delete(base.slice(WHITEOUT.length))
    }
    for (const { entry, path, base } of entries) {
      if (base.startsWith(WHITEOUT)) continue // .wh..wh.plnk and other aufs bookkeeping included
      const node = find(path, true) as Node
      // A non-directory replaces a directory with all it held, as tar extraction does.
      if (entry.type !== 'directory') node.children.clear()
      node.file = imageFile(entry, path, index)
    }
  })
  // A stack, not recursion: a hostile tar can nest paths thousands of directories deep.
  const files: ImageFile[] = []
  const pending: Node[] = [root]
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.file !== undefined) files.push(node.file)
    for (const child of node.children.values()) pending.push(child)
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1))
}

function imageFile (entry: LayerEntry, path: string, layer: number): ImageFile {
  const mode = entry.mode & 0o7777
  const linkTarget = entry.type === 'hardlink' ? normalisePath(entry.linkTarget) : entry.type === 'symlink' ? entry.linkTarget : ''
  return {
    path,
    type: entry.type,
    mode,
    uid: entry.uid,
    gid: entry.gid,
    size: entry.type === 'file' ? entry.size : 0,
    linkTarget,
    layer,
    setuid: (mode & 0o4000) !== 0,
    setgid: (mode & 0o2000) !== 0,
    worldWritable: (mode & 0o002) !== 0 && entry.type !== 'symlink',
  }
}
