// Prints the verdict of each course-lab Dockerfile in ../shared/corpus/real/course-labs, judged with its own
// .dockerignore and requirements.txt, for the review of what the students' docs claim
// (`node --import=tsx scripts/course-labs.ts`).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { evaluate } from '../src/evaluate.js'
import { loadPolicyDir } from '../src/policy/load.js'

const DIR = fileURLToPath(new URL('../../shared/corpus/real/course-labs', import.meta.url))

/** Reads a companion file, decoding UTF-16LE when it starts with that byte-order mark. */
function companion (path: string): string | undefined {
  if (!existsSync(path)) return undefined
  const bytes = readFileSync(path)
  return bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8')
}

/** Each lab's Dockerfile with the context files that came with it. */
export function courseLabs (): Array<{ name: string, dockerfile: string, files: Record<string, string> }> {
  return readdirSync(DIR).filter((n) => n.endsWith('.Dockerfile')).sort().map((name) => {
    const base = join(DIR, name.replace(/\.Dockerfile$/, ''))
    const files: Record<string, string> = {}
    const ignore = companion(`${base}.dockerignore`)
    const requirements = companion(`${base}.requirements.txt`)
    if (ignore !== undefined) files['.dockerignore'] = ignore
    if (requirements !== undefined) files['requirements.txt'] = requirements
    return { name, dockerfile: readFileSync(join(DIR, name), 'utf8'), files }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const set = await loadPolicyDir(fileURLToPath(new URL('../policies', import.meta.url)))
  if (!set.ok) throw new Error(JSON.stringify(set.problems))
  for (const lab of courseLabs()) {
    const result = evaluate(set.value, { dockerfile: lab.dockerfile, files: lab.files })
    if (!result.ok) continue
    const v = result.value
    const ids = (severity: string): string => v.findings.filter((f) => f.severity === severity).map((f) => f.ruleId).join(' ')
    console.log(`${lab.name.slice(0, 60).padEnd(60)} ${v.verdict.padEnd(4)} E[${ids('error')}] W[${ids('warning')}]`)
  }
}
