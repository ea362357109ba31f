import t from 'tap'
import { collectContextFiles, isContextFileName } from '../../src/cli/context-files.js'
import { PROJECT } from './helpers.js'

t.test('the known files of the project are picked up, and nothing else', async (t) => {
  const { files, warnings } = await collectContextFiles({ dir: PROJECT, dockerfile: { dir: PROJECT, name: 'Dockerfile' } })
  t.same(Object.keys(files).sort(), ['.dockerignore', '.hadolint.yaml', 'package.json', 'requirements.txt', 'requirements/dev.txt'])
  t.equal(files['.dockerignore'], '.git\nnode_modules\n', 'with their text')
  t.same(warnings, [])
})

t.test('<Dockerfile>.dockerignore is read from beside the Dockerfile', async (t) => {
  const own = await collectContextFiles({ dir: PROJECT, dockerfile: { dir: PROJECT, name: 'app.Dockerfile' } })
  t.equal(own.files['app.Dockerfile.dockerignore'], '*\n!app\n')
  t.ok('.dockerignore' in own.files, 'the root .dockerignore too; facts decide which applies')

  const context = t.testdir({ '.dockerignore': 'x\n', 'go.mod': 'module m\n' })
  const split = await collectContextFiles({ dir: context, dockerfile: { dir: PROJECT, name: 'app.Dockerfile' } })
  t.same(Object.keys(split.files).sort(), ['.dockerignore', 'app.Dockerfile.dockerignore', 'go.mod'], '.dockerignore from the context, the Dockerfile\'s own from its directory')
})

t.test('without a Dockerfile (standard input) only the context is read', async (t) => {
  const { files } = await collectContextFiles({ dir: PROJECT })
  t.notOk('app.Dockerfile.dockerignore' in files)
})

t.test('every name facts read, and near misses', async (t) => {
  const yes = [
    '.dockerignore', '.hadolint.yaml', '.hadolint.yml', 'requirements.txt', 'requirements-dev.txt', 'Requirements.txt', 'dev-requirements.txt',
    'constraints.txt', 'constraints-prod.txt', 'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock',
    'pnpm-lock.yaml', 'pyproject.toml', 'poetry.lock', 'uv.lock', 'Pipfile', 'Pipfile.lock', 'setup.py', 'go.mod',
    'go.sum', 'Gemfile', 'Gemfile.lock',
  ]
  const no = ['Dockerfile', 'README.md', 'requirements.in', 'package.json5', 'go.mod.bak', 'setup.cfg', '.hadolint.json']
  for (const name of yes) t.ok(isContextFileName(name), name)
  for (const name of no) t.notOk(isContextFileName(name), name)
})

t.test('files over 1 MiB and unreadable ones are skipped with a warning; directories silently', async (t) => {
  const dir = t.testdir({
    'yarn.lock': 'y'.repeat(1024 * 1024),
    'poetry.lock': 'p'.repeat(1024 * 1024 + 1),
    'go.mod': { 'not-a-file': '' },
    'Pipfile': t.fixture('symlink', 'missing-target'),
    requirements: { 'base.txt': 'flask\n', 'notes.md': 'no' },
    'py-requirements': { 'prod.txt': 'django\n' },
    'requirements.txt': { 'odd.txt': 'a folder named like a file is a requirements folder' },
  })
  const { files, warnings } = await collectContextFiles({ dir })
  t.same(Object.keys(files).sort(), ['py-requirements/prod.txt', 'requirements.txt/odd.txt', 'requirements/base.txt', 'yarn.lock'], 'exactly 1 MiB is still read')
  t.equal(warnings.length, 2)
  t.match(warnings[0], /^skipping .*Pipfile: ENOENT/)
  t.match(warnings[1], /^skipping .*poetry\.lock: 1048577 bytes is over the 1 MiB limit/)
})

t.test('a context directory that does not exist gives no files', async (t) => {
  t.same(await collectContextFiles({ dir: '/nonexistent/plimsoll' }), { files: {}, warnings: [] })
})
