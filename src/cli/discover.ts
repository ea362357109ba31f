// `plimsoll check <dir>`: the Dockerfiles of a tree, as a monorepo names them.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** Folders never searched: dependencies and version control hold other projects' Dockerfiles, not this one's. */
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor'])

/** Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* and Containerfile.*, but not their `.dockerignore` files. */
export function isDockerfileName (name: string): boolean {
  if (name.endsWith('.dockerignore')) return false
  return name === 'Dockerfile' || name === 'Containerfile' || name.endsWith('.Dockerfile') ||
    name.startsWith('Dockerfile.') || name.startsWith('Containerfile.')
}

/** Every Dockerfile under `dir`, as paths relative to it, sorted; hidden and dependency folders are skipped. */
export async function findDockerfiles (dir: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(dir, relative), { withFileTypes: true })
    for (const entry of entries) {
      const path = relative === '' ? entry.name : join(relative, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.')) await walk(path)
      } else if (entry.isFile() && isDockerfileName(entry.name)) {
        found.push(path)
      }
    }
  }
  await walk('')
  return found.sort()
}
