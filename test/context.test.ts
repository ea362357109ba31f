import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { contextFacts } from '../src/inputs/context.js'
import { ignoredBy } from '../src/inputs/dockerignore.js'

t.test('nothing sent', async (t) => {
  t.same(contextFacts({}), {
    provided: false,
    names: [],
    files: {},
    dockerignore: { present: false, file: '', patterns: [] },
    requirements: [],
    manifests: [],
    lockfiles: [],
  })
})

t.test('names sorted, files kept', async (t) => {
  const facts = contextFacts({ 'b.txt': 'b', '.dockerignore': '.git\n', 'a/z.py': 'z', 'A.md': 'A' })
  t.equal(facts.provided, true)
  t.same(facts.names, ['.dockerignore', 'A.md', 'a/z.py', 'b.txt'], 'by code unit, as JSON keys compare')
  t.same(facts.files, { 'b.txt': 'b', '.dockerignore': '.git\n', 'a/z.py': 'z', 'A.md': 'A' })
  t.match(facts.dockerignore, { present: true, file: '.dockerignore', patterns: ['.git'] })
})

t.test('which files are requirements files', async (t) => {
  const names: Array<[string, boolean]> = [
    ['requirements.txt', true],
    ['requirements-dev.txt', true],
    ['dev-requirements.txt', true],
    ['requirements/prod.txt', true],
    ['app/requirements/base.txt', true],
    ['requirements/requirements.txt', true],
    ['app/requirements.txt', true],
    ['Requirements.txt', true],
    ['constraints.txt', true],
    ['pip-constraints-py311.txt', true],
    // Near misses.
    ['requirements.in', false],
    ['requirements.txt.bak', false],
    ['requirements-notes.md', false],
    ['requirement.txt', false],
    ['requirements', false],
    ['constraint.txt', false],
    ['docs/prod.txt', false],
    ['requirements/notes.md', false],
  ]
  const facts = contextFacts(Object.fromEntries(names.map(([name]) => [name, 'flask==2.0.1\n'])))
  const parsed = facts.requirements.map((file) => file.name)
  for (const [name, expected] of names) t.equal(parsed.includes(name), expected, name)
  t.same(parsed, [...parsed].sort(), 'sorted by name')
  t.match(facts.requirements.find((file) => file.name === 'requirements.txt'), { requirements: [{ name: 'flask', pinned: true }], missingIncludes: [], problems: [] })
})

t.test('includes resolved against the including file', async (t) => {
  const facts = contextFacts({
    'requirements.txt': '-r requirements/prod.txt\n-r missing.txt\n-r missing.txt\n-c https://example.org/c.txt\n-r /app/abs.txt\n-r ${ENV}.txt\n',
    'requirements/prod.txt': '-r base.txt\n-r ../common.txt\n-c ./constraints.txt\n--requirement=dev/requirements-extra.txt\n',
    'requirements/base.txt': 'flask==2.0.1\n',
    'constraints.txt': '-r ./requirements/base.txt\n-r ./requirements\n-r sub/../requirements.txt\n',
  })
  const missing = Object.fromEntries(facts.requirements.map((file) => [file.name, file.missingIncludes]))
  t.same(missing['requirements.txt'], ['missing.txt'], 'missing once; URLs, absolute paths and variables are not context paths')
  t.same(missing['requirements/prod.txt'], ['common.txt', 'requirements/constraints.txt', 'requirements/dev/requirements-extra.txt'], 'relative to requirements/, ../ climbs out')
  t.same(missing['constraints.txt'], ['requirements'], 'paths are cleaned before they are looked up')
  t.same(missing['requirements/base.txt'], [], 'an included file is parsed too')
  t.same(facts.requirements.flatMap((file) => file.problems), [], 'no loop, no problem')
})

t.test('includes that loop are problems, never a hang', async (t) => {
  const self = contextFacts({ 'requirements.txt': 'flask==2.0.1\n-r requirements.txt\n' })
  t.match(self.requirements[0], { missingIncludes: [], problems: [{ line: 2, message: /leads back to requirements\.txt/ }] })

  const pair = contextFacts({ 'a-requirements.txt': '-r b-requirements.txt\n', 'b-requirements.txt': 'x==1\n-c ./a-requirements.txt\n' })
  t.same(pair.requirements.map((file) => file.problems.map((p) => p.line)), [[1], [2]], 'both ends of a two-file loop')

  const chain = contextFacts({ 'a-requirements.txt': '-r b-requirements.txt\n', 'b-requirements.txt': '-r c-requirements.txt\n', 'c-requirements.txt': 'x==1\n' })
  t.same(chain.requirements.flatMap((file) => file.problems), [], 'a chain is not a loop')

  const through = contextFacts({ 'requirements.txt': '-r base.in\n', 'base.in': '-r requirements.txt\n' })
  t.same(through.requirements.map((file) => [file.name, file.problems.length]), [['base.in', 1], ['requirements.txt', 1]], 'through a file named otherwise, which pip reads too')

  // 3,000 files in one ring: the cycle search must not recurse per file.
  const ring: Record<string, string> = {}
  for (let i = 0; i < 3000; i++) ring[`r${i}-requirements.txt`] = `-r r${(i + 1) % 3000}-requirements.txt\n`
  const facts = contextFacts(ring)
  t.ok(facts.requirements.every((file) => file.problems.length === 1), 'every edge of a long ring')
})

t.test('manifests and lock files, in any directory', async (t) => {
  const facts = contextFacts(Object.fromEntries([
    'package.json', 'frontend/package.json', 'package-lock.json', 'frontend/yarn.lock', 'pnpm-lock.yaml', 'npm-shrinkwrap.json',
    'pyproject.toml', 'poetry.lock', 'uv.lock', 'Pipfile', 'Pipfile.lock', 'setup.py', 'go.mod', 'go.sum', 'Gemfile', 'Gemfile.lock',
    'requirements.txt', 'requirements-dev.txt', 'requirements/prod.txt', 'constraints.txt',
    // Near misses.
    'package.json.bak', 'mypackage.json', 'setup.cfg', 'Pipfile.txt', 'gemfile', 'yarn.lock.old', 'lock/go.summary',
  ].map((name) => [name, ''])))
  t.same(facts.manifests, ['Gemfile', 'Pipfile', 'frontend/package.json', 'go.mod', 'package.json', 'pyproject.toml', 'requirements-dev.txt', 'requirements.txt', 'requirements/prod.txt', 'setup.py'])
  t.same(facts.lockfiles, ['Gemfile.lock', 'Pipfile.lock', 'frontend/yarn.lock', 'go.sum', 'npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'poetry.lock', 'uv.lock'])
})

t.test('never throws on what a request can carry', async (t) => {
  const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 131) % 65536)).join('')
  const inputs: unknown[] = [
    null,
    undefined,
    'requirements.txt',
    [],
    { 'requirements.txt': junk, '.dockerignore': junk, 'constraints.txt': '\0'.repeat(10_000) },
    { 'requirements.txt': 42, '.dockerignore': null, 'x.txt': 'ok' },
    { '': 'x', '/': 'y', '..': 'z', '__proto__': 'p', constructor: 'c', 'requirements.txt': '-r ../../../../etc/passwd\n-r /\n-r .\n-r ""\n' },
    { 'requirements.txt': 'a==1\n'.repeat(200_000) },
  ]
  for (const [i, input] of inputs.entries()) {
    t.doesNotThrow(() => contextFacts(input as Record<string, string>), `input ${i}`)
  }
  t.same(contextFacts({ 'requirements.txt': 42, 'x.txt': 'ok' } as unknown as Record<string, string>).names, ['x.txt'], 'only text files count')
  t.same(contextFacts(null as unknown as Record<string, string>).provided, false)
  const parsed = JSON.parse('{"__proto__": "x", "constructor": "y", "requirements.txt": "-r __proto__\\n"}') as Record<string, string>
  const facts = contextFacts(parsed)
  t.same(facts.names, ['__proto__', 'constructor', 'requirements.txt'], 'names that are Object.prototype keys are files too')
  t.same(facts.requirements.find((file) => file.name === 'requirements.txt')?.missingIncludes, [], 'and can be included')
})

// ---------------------------------------------------------------------------------------------------
// Real .dockerignore and requirements.txt files from students' course labs (../shared/corpus).

const LABS = fileURLToPath(new URL('../../shared/corpus/real/course-labs', import.meta.url))

// Decoded by BOM, as pip does: one of them is UTF-16LE with CRLF.
function decode (buffer: Buffer): string {
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le')
  return buffer.toString('utf8')
}

if (!existsSync(LABS)) {
  t.comment(`skipping the course-lab corpus: ${LABS} is absent (it ships beside the repo in CI, not in a clone)`)
  t.test('course-lab context files', { skip: `${LABS} is absent` }, async () => {})
} else {
  // Companions sit beside their Dockerfile as `<prefix>.dockerignore` and `<prefix>.requirements.txt`.
  const contexts = new Map<string, Record<string, string>>()
  for (const file of readdirSync(LABS).sort()) {
    const match = /^(.*)\.(dockerignore|requirements\.txt)$/.exec(file)
    if (match === null) continue
    const [, prefix = '', kind] = match
    const files = contexts.get(prefix) ?? {}
    files[kind === 'dockerignore' ? '.dockerignore' : 'requirements.txt'] = decode(readFileSync(join(LABS, file)))
    contexts.set(prefix, files)
  }

  t.test('the corpus is there', async (t) => { t.ok(contexts.size >= 14, `${contexts.size} contexts`) })

  t.test('every context gives facts', async (t) => {
    for (const [prefix, files] of contexts) {
      const facts = contextFacts(files)
      t.equal(facts.dockerignore.present, '.dockerignore' in files, `${prefix}: ignore file`)
      const requirements = facts.requirements[0]
      if (requirements === undefined) continue
      t.same(requirements.problems, [], `${prefix}: pip accepts every line`)
      t.ok(requirements.requirements.every((r) => r.kind === 'package' && r.line >= 1 && r.pinned === (r.version !== '')), `${prefix}: plain packages`)
    }
  })

  const factsOf = (owner: string) => {
    const entry = [...contexts.entries()].find(([prefix]) => prefix.startsWith(owner))
    if (entry === undefined) throw new Error(`${owner} is not in the corpus`)
    return contextFacts(entry[1])
  }

  t.test('known facts', async (t) => {
    const utf16 = factsOf('3llimi__')
    const packages = utf16.requirements[0]?.requirements ?? []
    t.equal(packages.length, 29, 'UTF-16LE with CRLF: 29 lines')
    t.ok(packages.every((r) => r.pinned), 'all pinned')
    t.match(packages[0], { line: 1, name: 'annotated-types', version: '0.7.0' }, 'the BOM is not part of the first name')
    t.match(packages.find((r) => r.name === 'PyYAML'), { specifier: '==6.0.3' })
    const ignore = utf16.dockerignore.patterns
    t.same([ignoredBy(ignore, '.git/config'), ignoredBy(ignore, 'README.md'), ignoredBy(ignore, 'CHANGES.md'), ignoredBy(ignore, 'app/__pycache__/x.pyc')],
      [true, false, true, false], '.git/ out, README.md back in, *.md at the root only, __pycache__/ at the root only')

    const unpinned = factsOf('raydenoir__S25-core-course-labs__app_python__Dockerfile').requirements[0]?.requirements ?? []
    t.same(unpinned.map((r) => [r.name, r.pinned]), [['fastapi', false], ['uvicorn', false], ['jinja2', false], ['httpx', false], ['pytest', false], ['pytest-mock', false], ['python-dotenv', false]])

    const allowList = factsOf('Mexator__').dockerignore.patterns
    t.same(['requirements.txt', 'src/main/app.py', '.venv/bin/python', 'README.md'].map((p) => ignoredBy(allowList, p)), [false, false, true, true], '* then ! exceptions')
    t.equal(factsOf('Mexator__').requirements[0]?.requirements.at(-1)?.name, 'Paste', 'a last line without a newline')

    const poetry = factsOf('LocalT0aster__')
    t.same(poetry.requirements, [], 'no requirements.txt')
    t.equal(ignoredBy(poetry.dockerignore.patterns, 'src/app/__pycache__/x.pyc'), false, '!src/** takes caches back in')

    t.equal(factsOf('Frodan__').dockerignore.present, false, 'no .dockerignore')
  })
}
