import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('every pip spelling is tool "pip"; uv, pipx, pipenv and other python modules are not', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['pip install flask', 'pip', 'install'],
    ['pip3 install flask', 'pip', 'install'],
    ['pip2 install flask', 'pip', 'install'],
    ['pip3.12 install flask', 'pip', 'install'],
    ['pip-3.12 install flask', 'pip', 'install'],
    ['/opt/venv/bin/pip install flask', 'pip', 'install'],
    ['python -m pip install flask', 'pip', 'install'],
    ['python3 -m pip install flask', 'pip', 'install'],
    ['python3.12 -m pip install flask', 'pip', 'install'],
    ['/opt/venv/bin/python -m pip install flask', 'pip', 'install'],
    ['python3 -I -m pip install flask', 'pip', 'install'],
    ['python3 -Im pip install flask', 'pip', 'install'],
    ['python3 -mpip install flask', 'pip', 'install'],
    ['python3 -W ignore -m pip install flask', 'pip', 'install'],
    ['python3 -X utf8 --check-hash-based-pycs never -m pip install flask', 'pip', 'install'],
    ['python3 -u --version', '', ''],
    ['uv pip install flask', 'uv', 'pip install'],
    ['uv --no-cache pip install flask', 'uv', 'pip install'],
    // Near misses.
    ['pipx install flask', '', ''],
    ['pipenv install flask', '', ''],
    ['pip-compile requirements.in', '', ''],
    ['pip-sync requirements.txt', '', ''],
    ['python -m pipx install flask', '', ''],
    ['python3 -m venv /opt/venv', '', ''],
    ['python3 -m ensurepip', '', ''],
    ['python3 app.py install flask', '', ''],
    ['python3 -c import', '', ''],
    ['python3 -- -m pip', '', ''],
    ['python3', '', ''],
    ['python3 -m', '', ''],
    ['uv add flask', 'uv', 'add'],
    ['uv sync', 'uv', 'sync'],
    ['pypi install flask', '', ''],
  ]
  for (const [text, tool, subcommand] of cases) sameFields(t, describe(text), { tool, subcommand }, text)
  t.same(pins(describe('python3 -I -m pip install flask==3.0.3')), [['flask', '3.0.3', true]], 'python options are not pip packages')
})

t.test('pip install: packages and pins (DL3013, stricter on ranges)', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>]> = [
    ['flask', [['flask', '', false]]],
    ['flask==3.0.3', [['flask', '3.0.3', true]]],
    ['flask===3.0.3', [['flask', '3.0.3', true]]],
    ['MySQL_python==1.2.2', [['MySQL_python', '1.2.2', true]]],
    ['flask[async]==3.0.3', [['flask', '3.0.3', true]]],
    ['flask[async,dotenv]', [['flask', '', false]]],
    ['flask == 3.0.3', [['flask', '3.0.3', true]]],
    ["flask==3.0.3; python_version>='3.8'", [['flask', '3.0.3', true]]],
    ['flask==$FLASK_VERSION', [['flask', '$FLASK_VERSION', true]]],
    ['flask>=3', [['flask', '>=3', false]]],
    ['flask~=3.0', [['flask', '~=3.0', false]]],
    ['alabaster<0.7', [['alabaster', '<0.7', false]]],
    ['alabaster!=0.7', [['alabaster', '!=0.7', false]]],
    ['flask==3.0.*', [['flask', '==3.0.*', false]]],
    ['django>=4.0,<5.0', [['django', '>=4.0,<5.0', false]]],
    ['django>=4.0,==4.2.1', [['django', '>=4.0,==4.2.1', true]]],
    // VCS requirements are packages, pinned by a ref after @.
    ['git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext', [['r-ext', '0.6-alpha', true]]],
    ['git+ssh://git@github.com/rtfd/r-ext.git@v1.0', [['r-ext', 'v1.0', true]]],
    ['git+https://github.com/rtfd/read-ext.git#egg=read-ext', [['read-ext', '', false]]],
    ['git+ssh://git@github.com/rtfd/read-ext.git', [['read-ext', '', false]]],
    ['read-ext @ git+https://github.com/rtfd/read-ext.git@v2', [['read-ext', 'v2', true]]],
    // Local projects, archives, wheels, plain URLs and variables name no package.
    ['.', []],
    ['./pkg', []],
    ['foo/bar', []],
    ['mypkg.whl', []],
    ['dist/app-1.0-py3-none-any.whl', []],
    ['mypkg.tar.gz', []],
    ['https://foo.bar/baz.zip', []],
    ['app @ https://example.com/app-1.0.tar.gz', []],
    ['app @ file:///wheels/app.whl', []],
    ['app @ ./wheels/app.whl', []],
    ['_private', []],
    ['$PACKAGES', []],
    ['flask!', []],
  ]
  for (const [arg, expected] of cases) t.same(pins(describeArgs('pip', ['install', arg])), expected, arg)
  t.same(describe('pip install flask[async]==3.0.3').packages.map((p) => p.spec), ['flask[async]==3.0.3'], 'spec is the argument as written')
})

t.test('pip: flags normalised, values kept out of the packages', async (t) => {
  const cases: Array<[string, string[], Record<string, string>, Array<[string, string, boolean]>]> = [
    ['pip install --no-cache-dir flask==3.0.3', ['--no-cache-dir'], {}, [['flask', '3.0.3', true]]],
    ['pip install --no-cache flask==3.0.3', ['--no-cache-dir'], {}, [['flask', '3.0.3', true]]],
    ['pip install -U pip', ['-U'], {}, [['pip', '', false]]],
    ['pip install --upgrade pip setuptools', ['-U'], {}, [['pip', '', false], ['setuptools', '', false]]],
    ['pip install --user flask==1.0', ['--user'], {}, [['flask', '1.0', true]]],
    ['pip install --prefix /install flask==1.0', ['--prefix'], { '--prefix': '/install' }, [['flask', '1.0', true]]],
    ['pip install --target /app/deps flask==1.0', ['-t'], { '-t': '/app/deps' }, [['flask', '1.0', true]]],
    ['pip install -t /app/deps flask==1.0', ['-t'], { '-t': '/app/deps' }, [['flask', '1.0', true]]],
    ['pip install --root /opt flask==1.0', ['--root'], { '--root': '/opt' }, [['flask', '1.0', true]]],
    ['pip install --build /opt/b flask==1.0', ['-b'], { '-b': '/opt/b' }, [['flask', '1.0', true]]],
    ['pip install -i https://eg.com/simple flask==1.0', ['-i'], { '-i': 'https://eg.com/simple' }, [['flask', '1.0', true]]],
    ['pip install --index-url https://eg.com/simple --extra-index-url https://x.io/simple foobar==1.0.0', ['-i', '--extra-index-url'], { '-i': 'https://eg.com/simple', '--extra-index-url': 'https://x.io/simple' }, [['foobar', '1.0.0', true]]],
    ['pip install --trusted-host pypi.internal flask==1.0', ['--trusted-host'], { '--trusted-host': 'pypi.internal' }, [['flask', '1.0', true]]],
    ['pip install --require-hashes --no-deps flask==1.0', ['--require-hashes', '--no-deps'], {}, [['flask', '1.0', true]]],
    ['pip install --root-user-action ignore poetry==1.8.5', ['--root-user-action'], { '--root-user-action': 'ignore' }, [['poetry', '1.8.5', true]]],
    ['pip install --root-user-action=ignore mypkg', ['--root-user-action'], { '--root-user-action': 'ignore' }, [['mypkg', '', false]]],
    ['pip install -e . flask==1.0', ['-e'], { '-e': '.' }, [['flask', '1.0', true]]],
    ['pip install --editable=git+https://github.com/a/b.git#egg=b', ['-e'], { '-e': 'git+https://github.com/a/b.git#egg=b' }, []],
    ['pip install -f /wheels --no-index app==1.0', ['-f', '--no-index'], { '-f': '/wheels' }, [['app', '1.0', true]]],
    ['pip install --break-system-packages flask==1.0', ['--break-system-packages'], {}, [['flask', '1.0', true]]],
    ['pip install --group dev --group test', ['--group'], { '--group': 'test' }, []],
    ['pip install -qU pip', ['-q', '-U'], {}, [['pip', '', false]]],
  ]
  for (const [text, flags, values, expected] of cases) {
    const cmd = describe(text)
    t.same(cmd.flags, flags, `${text}: flags`)
    t.same(cmd.flagValues, values, `${text}: values`)
    t.same(pins(cmd), expected, `${text}: packages`)
  }
})

t.test('pip: requirement and constraint files', async (t) => {
  const cases: Array<[string, string[], number]> = [
    ['pip install -r requirements.txt', ['requirements.txt'], 0],
    ['pip install --requirement requirements.txt', ['requirements.txt'], 0],
    ['pip install --requirement=requirements.txt', ['requirements.txt'], 0],
    ['pip install -rrequirements.txt', ['requirements.txt'], 0],
    ['pip install -r base.txt -r dev.txt', ['base.txt', 'dev.txt'], 0],
    ['pip install -r requirements.txt -c constraints.txt', ['requirements.txt', 'constraints.txt'], 0],
    ['pip install pykafka --constraint http://foo.bar.baz', ['http://foo.bar.baz'], 1],
    ['pip freeze -r requirements.txt', ['requirements.txt'], 0],
    ['pip install flask', [], 1],
  ]
  for (const [text, files, packages] of cases) {
    const cmd = describe(text)
    t.same(cmd.requirementFiles, files, text)
    t.equal(cmd.packages.length, packages, `${text}: packages`)
  }
  t.same(describe('pip install -r a.txt -r b.txt').flagValues, { '-r': 'b.txt' }, 'flagValues keeps the last; requirementFiles keeps all')
})

t.test('pip: subcommands other than install, download and wheel name no packages', async (t) => {
  const cases: Array<[string, string, string[], number]> = [
    // The shell parser drops `> r.txt`; what is left is a freeze.
    ['pip freeze', 'freeze', [], 0],
    ['pip uninstall -y flask', 'uninstall', ['flask'], 0],
    ['pip download -d /wheels flask==3.0.3', 'download', ['flask==3.0.3'], 1],
    ['pip wheel -w /wheels flask==3.0.3', 'wheel', ['flask==3.0.3'], 1],
    ['pip list --format=freeze', 'list', [], 0],
    ['pip cache purge', 'cache', ['purge'], 0],
    ['pip install', 'install', [], 0],
    ['pip --version', '', [], 0],
    ['pip config set global.index-url https://x', 'config', ['set', 'global.index-url', 'https://x'], 0],
  ]
  for (const [text, subcommand, operands, packages] of cases) {
    const cmd = describe(text)
    sameFields(t, cmd, { tool: 'pip', subcommand, operands }, text)
    t.equal(cmd.packages.length, packages, `${text}: packages`)
  }
})
