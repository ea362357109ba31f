import { posix } from 'node:path'
import type { ContextFacts, RequirementsFile } from '../facts/context-types.js'
import { contextPath, dockerignoreFacts } from './dockerignore.js'
import { parseRequirements, type ParsedRequirements } from './requirements.js'

// Facts about the files sent beside the Dockerfile. Pure, and total: whatever the request carried
// (binary junk, huge files, includes that loop), the result is facts, never an exception.

// Base names, matched in any directory.
const MANIFESTS = new Set(['package.json', 'pyproject.toml', 'Pipfile', 'setup.py', 'go.mod', 'Gemfile'])
const LOCKFILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'uv.lock',
  'Pipfile.lock', 'go.sum', 'Gemfile.lock',
])
// `*requirements*.txt` / `*constraints*.txt`, case-insensitively: pip does not care what the file is called,
// and `Requirements.txt` is as much a requirements file as `requirements-dev.txt`. The `.txt` files of a
// `requirements/` folder (`requirements/prod.txt`) are requirements files too.
const REQUIREMENTS = /requirements.*\.txt$/i
const CONSTRAINTS = /constraints.*\.txt$/i
const REQUIREMENTS_DIR = /requirements/i
// pip reads these over the network, not from the context.
const REMOTE = /^(?:https?|file):/i

const baseName = (name: string): string => posix.basename(contextPath(name))
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function isRequirementsName (name: string): boolean {
  const path = contextPath(name)
  const base = posix.basename(path)
  return REQUIREMENTS.test(base) || (/\.txt$/i.test(base) && REQUIREMENTS_DIR.test(posix.basename(posix.dirname(path))))
}

/** Facts about the context files: names, the ignore file that applies, requirements files, manifests, lock files. */
export function contextFacts (files: Readonly<Record<string, string>>): ContextFacts {
  // fromEntries defines own properties, so a file called `__proto__` (JSON.parse makes one) stays a file.
  const safe: Record<string, string> = files !== null && typeof files === 'object'
    ? Object.fromEntries(Object.entries(files).filter(([, text]) => typeof text === 'string'))
    : {}
  const names = Object.keys(safe).sort(byCodeUnit)
  return {
    provided: names.length > 0,
    names,
    files: safe,
    dockerignore: dockerignoreFacts(safe),
    requirements: requirementsFiles(safe, names),
    manifests: names.filter((name) => MANIFESTS.has(baseName(name)) || isRequirementsName(name)),
    lockfiles: names.filter((name) => LOCKFILES.has(baseName(name))),
  }
}

// Files named like requirements or constraints, and whatever they include that was sent, whatever its
// name (`-r base.in`): pip reads those too.
function requirementsFiles (files: Readonly<Record<string, string>>, names: readonly string[]): RequirementsFile[] {
  const present = new Map(names.map((name) => [contextPath(name), name]))
  const parsed = new Map<string, ParsedRequirements>()
  const queue = names.filter((name) => isRequirementsName(name) || CONSTRAINTS.test(baseName(name)))
  for (let next = 0; next < queue.length; next++) {
    const name = queue[next] as string
    if (parsed.has(name)) continue
    const file = parseSafely(name, files[name] ?? '')
    parsed.set(name, file)
    const dir = posix.dirname(contextPath(name))
    for (const req of file.requirements) {
      if (req.kind !== 'include' && req.kind !== 'constraint') continue
      const target = resolveTarget(dir, req.target)
      const included = target === null ? undefined : present.get(target)
      if (included !== undefined && !parsed.has(included)) queue.push(included)
    }
  }
  return resolveIncludes([...parsed.values()].sort((a, b) => byCodeUnit(a.name, b.name)), names)
}

// parseRequirements does not throw; this keeps a bug there from taking the whole request down.
function parseSafely (name: string, text: string): ParsedRequirements {
  try {
    return parseRequirements(name, text)
  } catch (error) {
    return { name, requirements: [], problems: [{ line: 1, message: `could not be read: ${(error as Error).message}` }] }
  }
}

interface Include { readonly from: number, readonly to: string, readonly line: number, readonly written: string }

/**
 * Adds `missingIncludes` (the `-r`/`-c` targets, resolved against the including file's directory as pip
 * does, that are not in the context) and a problem for every include that leads back to its own file,
 * which pip cannot finish.
 */
function resolveIncludes (parsed: readonly ParsedRequirements[], names: readonly string[]): RequirementsFile[] {
  const present = new Map(names.map((name) => [contextPath(name), name]))
  const index = new Map(parsed.map((file, i) => [contextPath(file.name), i]))
  const missing = parsed.map(() => new Set<string>())
  const includes: Include[] = []
  parsed.forEach((file, from) => {
    const dir = posix.dirname(contextPath(file.name))
    for (const req of file.requirements) {
      if (req.kind !== 'include' && req.kind !== 'constraint') continue
      const target = resolveTarget(dir, req.target)
      if (target === null) continue
      if (!present.has(target)) missing[from]?.add(target)
      else includes.push({ from, to: target, line: req.line, written: req.target })
    }
  })
  const cyclic = includesInCycles(parsed.length, includes.map((inc) => [inc.from, index.get(inc.to)]))
  return parsed.map((file, i) => ({
    name: file.name,
    requirements: file.requirements,
    missingIncludes: [...(missing[i] ?? [])],
    problems: [
      ...file.problems,
      ...includes
        .filter((inc, k) => inc.from === i && cyclic[k] === true)
        .map((inc) => ({ line: inc.line, message: `including ${inc.written} leads back to ${file.name}: pip cannot finish reading it` })),
    ].sort((a, b) => a.line - b.line),
  }))
}

// Context path of an include target; null when it is not a context path (a URL, an absolute path inside
// the image, or a name that depends on an environment variable).
function resolveTarget (dir: string, target: string): string | null {
  if (target === '' || REMOTE.test(target) || target.startsWith('/') || target.includes('${')) return null
  const joined = posix.normalize(posix.join(dir, target))
  return joined.replace(/\/+$/, '')
}

/**
 * For each edge (from, to), whether it lies on a cycle: its two ends are in one strongly connected
 * component. Iterative Tarjan, so a long include chain cannot overflow the stack. `to` is undefined
 * when the target is in the context but not a requirements file (it cannot lead back).
 */
function includesInCycles (count: number, edges: ReadonlyArray<[number, number | undefined]>): boolean[] {
  const out: number[][] = Array.from({ length: count }, () => [])
  for (const [from, to] of edges) if (to !== undefined) out[from]?.push(to)
  const order = new Array<number>(count).fill(-1)
  const low = new Array<number>(count).fill(0)
  const component = new Array<number>(count).fill(-1)
  const stack: number[] = []
  const onStack = new Array<boolean>(count).fill(false)
  let counter = 0
  let components = 0
  for (let root = 0; root < count; root++) {
    if (order[root] !== -1) continue
    const work: Array<[number, number]> = [[root, 0]]
    order[root] = low[root] = counter++
    stack.push(root)
    onStack[root] = true
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number]
      const [node, next] = frame
      const targets = out[node] as number[]
      if (next < targets.length) {
        frame[1]++
        const to = targets[next] as number
        if (order[to] === -1) {
          order[to] = low[to] = counter++
          stack.push(to)
          onStack[to] = true
          work.push([to, 0])
        } else if (onStack[to] === true) {
          low[node] = Math.min(low[node] as number, order[to] as number)
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]] as number, low[node] as number)
      if (low[node] === order[node]) {
        for (;;) {
          const member = stack.pop() as number
          onStack[member] = false
          component[member] = components
          if (member === node) break
        }
        components++
      }
    }
  }
  return edges.map(([from, to]) => to !== undefined && component[from] === component[to])
}
