import t from 'tap'
import { contextPath, dockerignoreFacts, ignoredBy } from '../src/inputs/dockerignore.js'

t.test('which ignore file applies', async (t) => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['none at all', { 'requirements.txt': 'flask' }, ''],
    ['the root .dockerignore', { '.dockerignore': '.git' }, '.dockerignore'],
    ['written with ./', { './.dockerignore': '.git' }, './.dockerignore'],
    ['<Dockerfile>.dockerignore wins', { '.dockerignore': '.git', 'Dockerfile.dockerignore': 'x' }, 'Dockerfile.dockerignore'],
    ['also for another Dockerfile name', { 'distroless.Dockerfile.dockerignore': 'x', '.dockerignore': '.git' }, 'distroless.Dockerfile.dockerignore'],
    ['beside a Dockerfile in a folder', { 'docker/app.Dockerfile.dockerignore': 'x', '.dockerignore': '.git' }, 'docker/app.Dockerfile.dockerignore'],
    ['the shallowest of several', { 'docker/a.Dockerfile.dockerignore': 'x', 'b.Dockerfile.dockerignore': 'y' }, 'b.Dockerfile.dockerignore'],
    ['then the first by name', { 'b.Dockerfile.dockerignore': 'y', 'a.Dockerfile.dockerignore': 'x' }, 'a.Dockerfile.dockerignore'],
    // Near misses: Docker never reads these.
    ['a .dockerignore below the root', { 'app/.dockerignore': '.git' }, ''],
    ['a backup', { '.dockerignore.bak': '.git' }, ''],
    ['no dot', { dockerignore: '.git' }, ''],
    ['a .gitignore', { '.gitignore': '.git' }, ''],
  ]
  for (const [title, files, file] of cases) {
    const facts = dockerignoreFacts(files)
    t.equal(facts.file, file, title)
    t.equal(facts.present, file !== '', `${title}: present`)
  }
  t.same(dockerignoreFacts({}), { present: false, file: '', patterns: [] }, 'no files')
})

t.test('patterns as BuildKit reads them', async (t) => {
  const cases: Array<[string, string, string[]]> = [
    ['one per line', '.git\nlogs\n', ['.git', 'logs']],
    ['comments and blank lines go', '# build output\n\n  \ndist\n#.env\n', ['dist']],
    ['CRLF', '.git\r\nlogs\r\n', ['.git', 'logs']],
    ['a UTF-8 BOM', '\uFEFF# c\n.git', ['.git']],
    ['trimmed', '  .venv  \n\t*.pyc\t', ['.venv', '*.pyc']],
    ['exceptions kept, in order', '*.md\n!README.md\n', ['*.md', '!README.md']],
    ['written forms kept', '/.git/\n./logs\n', ['/.git/', './logs']],
    // Only a line that starts with # is a comment; after leading blanks it is a pattern.
    ['indented # is a pattern', '  #notes\n', ['#notes']],
    ['no final newline', 'a\nb', ['a', 'b']],
    ['empty file', '', []],
  ]
  for (const [title, text, patterns] of cases) t.same(dockerignoreFacts({ '.dockerignore': text }).patterns, patterns, title)
})

t.test('context paths as Docker cleans them', async (t) => {
  const cases: Array<[string, string]> = [
    ['app/x.py', 'app/x.py'], ['./app/x.py', 'app/x.py'], ['/app/x.py', 'app/x.py'], ['app/', 'app'],
    ['app//x.py', 'app/x.py'], ['app/../x.py', 'x.py'], ['../x.py', 'x.py'], ['.', ''], ['/', ''], ['', ''],
  ]
  for (const [path, cleaned] of cases) t.equal(contextPath(path), cleaned, JSON.stringify(path))
})

// [patterns, path, ignored]
type Case = [readonly string[], string, boolean]

const MATCHING: Record<string, Case[]> = {
  'root anchoring': [
    [['*.pyc'], 'x.pyc', true],
    [['*.pyc'], 'app/x.pyc', false],
    [['__pycache__'], '__pycache__/x.pyc', true],
    [['__pycache__'], 'app/__pycache__/x.pyc', false],
    [['*/x'], 'a/x', true],
    [['*/x'], 'a/b/x', false],
    [['?.txt'], 'a.txt', true],
    [['?.txt'], 'ab.txt', false],
    [['?.txt'], 'a/b.txt', false],
  ],
  '**': [
    [['**/*.pyc'], 'x.pyc', true],
    [['**/*.pyc'], 'app/x.pyc', true],
    [['**/*.pyc'], 'a/b/c/x.pyc', true],
    [['**/*.pyc'], 'x.pyc.txt', false],
    [['**/__pycache__'], 'app/__pycache__/x.pyc', true],
    [['**/__pycache__'], '__pycache__/x.pyc', true],
    [['a/**/b'], 'a/b', true],
    [['a/**/b'], 'a/x/y/b', true],
    [['a/**/b'], 'a/x/y/b/c', true],
    [['a/**/b'], 'x/a/b', false],
    [['**'], 'anything/at/all', true],
    [['logs/**'], 'logs/app.log', true],
    [['logs/**'], 'logsx/app.log', false],
  ],
  'exceptions, last match wins': [
    [['*.md', '!README.md'], 'README.md', false],
    [['*.md', '!README.md'], 'CHANGES.md', true],
    [['!README.md', '*.md'], 'README.md', true],
    [['*', '!src'], 'src/main.py', false],
    [['*', '!src'], 'other.py', true],
    [['logs', '!logs/keep.log'], 'logs/keep.log', false],
    [['logs', '!logs/keep.log'], 'logs/app.log', true],
    [['*', '!src/**'], 'src/app/__pycache__/x.pyc', false],
    [['*', '!src/**', '**/__pycache__'], 'src/app/__pycache__/x.pyc', true],
    [['.env*', '!.env.example'], '.env.example', false],
    [['.env*', '!.env.example'], '.env.production', true],
  ],
  'leading / and ./ in patterns': [
    [['/.git'], '.git/config', true],
    [['./logs'], 'logs/app.log', true],
    [['/*.pyc'], 'x.pyc', true],
    [['/*.pyc'], 'app/x.pyc', false],
    [['!/keep', '*'], 'keep', true],
    [['*', '!/keep'], 'keep', false],
  ],
  'directories': [
    [['.git'], '.git/HEAD', true],
    [['.git'], '.git', true],
    [['.git/'], '.git/refs/heads/main', true],
    [['.git'], '.gitignore', false],
    [['.git/'], '.github/workflows/ci.yml', false],
    [['.venv'], '.venv/bin/python', true],
    [['venv'], '.venv/bin/python', false],
    [['.vscode/*'], '.vscode/settings.json', true],
  ],
  'paths are cleaned first': [
    [['*.pyc'], './x.pyc', true],
    [['*.pyc'], '/x.pyc', true],
    [['*.pyc'], 'app/../x.pyc', true],
    [['*'], '', false],
    [['*'], '.', false],
    [['**'], '/', false],
  ],
  'case-sensitive like Docker': [
    [['*.PYC'], 'x.pyc', false],
    [['Dockerfile'], 'dockerfile', false],
  ],
  'glob characters': [
    [['*.py[cod]'], 'x.pyc', true],
    [['*.py[cod]'], 'x.pyx', false],
    [['[!a]'], '!', true],
    [['\\*'], '*', true],
    [['\\*'], 'a', false],
  ],
  'regexp characters are literal': [
    [['a+b'], 'a+b', true],
    [['a+b'], 'aab', false],
    [['x{2}'], 'x{2}', true],
    [['x{2}'], 'xx', false],
    [['file(1).txt'], 'file(1).txt', true],
    [['a|b'], 'a', false],
    [['a|b'], 'a|b', true],
    [['$x'], '$x', true],
    [['a.b'], 'axb', false],
  ],
  'broken patterns match nothing and do not throw': [
    [['[abc'], 'a', false],
    [['x('], 'x(', true],
    [['[abc', '*.log'], 'app.log', true],
  ],
  'names that are Object.prototype keys': [
    [['*'], 'constructor', true],
    [['*'], 'toString', true],
    [['*'], '__proto__', true],
    [['*'], 'hasOwnProperty/x', true],
  ],
}

for (const [title, cases] of Object.entries(MATCHING)) {
  t.test(title, async (t) => {
    for (const [patterns, path, ignored] of cases) {
      t.equal(ignoredBy(patterns, path), ignored, `${JSON.stringify(patterns)} ${ignored ? 'ignores' : 'keeps'} ${JSON.stringify(path)}`)
    }
  })
}

t.test('comments, blank lines and # through the facts', async (t) => {
  const { patterns } = dockerignoreFacts({ '.dockerignore': '# .git\n\n*.log\n  #notes\n' })
  t.equal(ignoredBy(patterns, '.git/config'), false, 'a commented-out pattern does nothing')
  t.equal(ignoredBy(patterns, 'app.log'), true, 'the pattern after a blank line applies')
  t.equal(ignoredBy(patterns, '#notes'), true, 'an indented # line is a pattern')
})

// practice #50: what a good, a naive and an allow-list ignore file do to the usual probe paths.
const PROBES = ['app/__pycache__/x.pyc', '.venv/bin/python', 'logs/app.log', '.env.production', '.git/config']
const IGNORE_FILES: Array<[string, string, boolean[]]> = [
  ['thorough', '**/__pycache__\n**/*.pyc\n.venv\nvenv\n.git\n.env*\nlogs\n', [true, true, true, true, true]],
  ['naive: root-only globs', '__pycache__\n*.pyc\n.venv/\n.git\n.env\nlogs/*.txt\n', [false, true, false, false, true]],
  ['allow-list', '*\n!app\n!requirements.txt\n', [false, true, true, true, true]],
  ['allow-list that drops caches again', '*\n!app\n**/__pycache__\n', [true, true, true, true, true]],
  ['comments only', '# .git\n# logs\n', [false, false, false, false, false]],
]

t.test('probe paths', async (t) => {
  for (const [title, text, expected] of IGNORE_FILES) {
    const { patterns } = dockerignoreFacts({ '.dockerignore': text })
    t.same(PROBES.map((path) => ignoredBy(patterns, path)), expected, title)
  }
})

t.test('the matcher is compiled once per patterns array and stays right', async (t) => {
  const patterns = ['*.pyc']
  t.equal(ignoredBy(patterns, 'x.pyc'), true)
  t.equal(ignoredBy(patterns, 'x.pyc'), true, 'second call, cached')
  t.equal(ignoredBy(['!x.pyc'], 'x.pyc'), false, 'another array with other patterns is its own matcher')
  t.equal(ignoredBy([], 'x.pyc'), false, 'no patterns ignore nothing')
  // 2,000 probes over 500 patterns: compiled once, they finish well inside tap's timeout (no time is asserted).
  const many = Array.from({ length: 500 }, (_, i) => `dir${i}/**/*.tmp`)
  let ignored = 0
  for (let i = 0; i < 2000; i++) if (ignoredBy(many, `dir${i % 600}/a/b/c.tmp`)) ignored++
  t.equal(ignored, 1700, 'dir0 to dir499 are ignored, dir500 to dir599 are not')
})

t.test('anything CEL can hand over is an answer, not an exception', async (t) => {
  const odd: Array<[unknown, unknown]> = [[null, 'x'], [undefined, 'x'], ['*', 'x'], [['*'], 42], [['*'], null], [[1, null, '*'], 'x'], [{}, 'x']]
  for (const [patterns, path] of odd) {
    t.doesNotThrow(() => ignoredBy(patterns as string[], path as string), JSON.stringify([patterns, path]) ?? 'undefined')
  }
  t.equal(ignoredBy([1, null, '*'] as unknown as string[], 'x'), true, 'non-string patterns are skipped')
})
