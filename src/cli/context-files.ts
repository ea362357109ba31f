// Picks the build-context files that facts know how to read, so `plimsoll check` sees what the HTTP API
// is sent. Only known names are read: a context can be a whole repository, and nothing else is needed.
import type { Dirent } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** Files larger than this are skipped with a warning: no manifest or lock file a rule reads is near it. */
export const CONTEXT_FILE_LIMIT = 1024 * 1024

const EXACT = new Set([
  '.dockerignore', '.hadolint.yaml', '.hadolint.yml',
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml',
  'pyproject.toml', 'poetry.lock', 'uv.lock', 'Pipfile', 'Pipfile.lock', 'setup.py',
  'go.mod', 'go.sum', 'Gemfile', 'Gemfile.lock',
])
// The names the facts builder treats as requirements files (src/inputs/context.ts), so the CLI sees what an
// API caller would send: `*requirements*.txt` and `*constraints*.txt` in any case, and the `.txt` files of a
// `*requirements*` folder (`requirements/prod.txt`).
const PATTERNS = [/requirements.*\.txt$/i, /constraints.*\.txt$/i]
const REQUIREMENTS_DIR = /requirements/i

/** Context files by their path in the context (`requirements/prod.txt`), and warnings about skipped ones. */
export interface ContextFiles {
  readonly files: Readonly<Record<string, string>>
  /** One line per file that was too big or unreadable; the check goes on without it. */
  readonly warnings: readonly string[]
}

/** Where to look: the context directory, and the Dockerfile for its own `<name>.dockerignore`. */
export interface ContextSource {
  /** The build context's root. */
  readonly dir: string
  /** The Dockerfile's directory and base name; absent when it came from stdin. */
  readonly dockerfile?: { readonly dir: string, readonly name: string }
}

/** Whether a file at the context's root is one facts read. */
export function isContextFileName (name: string): boolean {
  return EXACT.has(name) || PATTERNS.some((pattern) => pattern.test(name))
}

/**
 * Reads the known context files present in `source.dir` (and `requirements/*.txt`: one level down), plus
 * `<Dockerfile>.dockerignore` from beside the Dockerfile, where BuildKit looks for it.
 */
export async function collectContextFiles (source: ContextSource): Promise<ContextFiles> {
  const wanted: Array<{ key: string, path: string }> = []
  for (const entry of await listDir(source.dir)) {
    if (entry.isDirectory() && REQUIREMENTS_DIR.test(entry.name)) {
      for (const inner of await listDir(join(source.dir, entry.name))) {
        if (/\.txt$/i.test(inner.name)) wanted.push({ key: `${entry.name}/${inner.name}`, path: join(source.dir, entry.name, inner.name) })
      }
    } else if (isContextFileName(entry.name)) {
      wanted.push({ key: entry.name, path: join(source.dir, entry.name) })
    }
  }
  if (source.dockerfile !== undefined) {
    const key = `${source.dockerfile.name}.dockerignore`
    if ((await listDir(source.dockerfile.dir)).some((entry) => entry.name === key)) wanted.push({ key, path: join(source.dockerfile.dir, key) })
  }

  const files: Record<string, string> = {}
  const warnings: string[] = []
  for (const { key, path } of wanted.sort((a, b) => a.key.localeCompare(b.key))) {
    const read = await readSmallFile(path)
    if (read.ok) files[key] = read.text
    else if (read.warning !== '') warnings.push(read.warning)
  }
  return { files, warnings }
}

// A missing directory just means no such files: the context need not have a requirements/ folder.
async function listDir (dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

type Read = { ok: true, text: string } | { ok: false, warning: string }

async function readSmallFile (path: string): Promise<Read> {
  try {
    const info = await stat(path)
    // A directory that happens to be called `go.mod` is not the file facts expect; say nothing of it.
    if (!info.isFile()) return { ok: false, warning: '' }
    if (info.size > CONTEXT_FILE_LIMIT) {
      return { ok: false, warning: `skipping ${path}: ${info.size} bytes is over the ${CONTEXT_FILE_LIMIT / 1024 / 1024} MiB limit for context files` }
    }
    return { ok: true, text: await readFile(path, 'utf8') }
  } catch (error) {
    return { ok: false, warning: `skipping ${path}: ${(error as Error).message}` }
  }
}
