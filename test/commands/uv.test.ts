import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('uv is its own tool: one- and two-word subcommands, uvx is `uv tool run`', async (t) => {
  const cases: Array<[string, string]> = [
    ['uv pip install flask', 'pip install'],
    ['uv --no-cache pip install flask', 'pip install'],
    ['uv pip --no-cache install flask', 'pip install'],
    ['uv --directory /app pip sync requirements.txt', 'pip sync'],
    ['uv pip compile requirements.in -o requirements.txt', 'pip compile'],
    ['uv sync --frozen', 'sync'],
    ['uv add flask', 'add'],
    ['uv tool install ruff', 'tool install'],
    ['uv cache clean', 'cache clean'],
    ['uv clean', 'cache clean'],
    ['uv cache prune --ci', 'cache prune'],
    ['uv venv /opt/venv', 'venv'],
    ['uv run python manage.py migrate', 'run'],
    ['uvx ruff check .', 'tool run'],
    ['uv --version', ''],
  ]
  for (const [text, subcommand] of cases) sameFields(t, describe(text), { tool: 'uv', subcommand }, text)
})

t.test('uv: flags that take a value consume it, so no value is read as a package', async (t) => {
  const cases: Array<[string, string[], Record<string, string>, Array<[string, string, boolean]>]> = [
    ['uv pip install --python-preference system flask==3.0.3', ['--python-preference'], { '--python-preference': 'system' }, [['flask', '3.0.3', true]]],
    ['uv pip install --system --python 3.12 flask', ['--system', '-p'], { '-p': '3.12' }, [['flask', '', false]]],
    ['uv pip install --index-strategy unsafe-best-match --extra-index-url https://x.io/simple torch==2.4.0', ['--index-strategy', '--extra-index-url'], { '--index-strategy': 'unsafe-best-match', '--extra-index-url': 'https://x.io/simple' }, [['torch', '2.4.0', true]]],
    ['uv pip install --link-mode copy --compile-bytecode -e .', ['--link-mode', '--compile-bytecode', '-e'], { '--link-mode': 'copy', '-e': '.' }, []],
    ['uv pip install --no-binary xmlsec --group dev', ['--no-binary', '--group'], { '--no-binary': 'xmlsec', '--group': 'dev' }, []],
    ['uv pip install --allow-insecure-host pypi.internal flask==1.0', ['--trusted-host'], { '--trusted-host': 'pypi.internal' }, [['flask', '1.0', true]]],
    ['uv sync --frozen --no-install-project --extra gen --python=3.12', ['--frozen', '--no-install-project', '--extra', '-p'], { '--extra': 'gen', '-p': '3.12' }, []],
  ]
  for (const [text, flags, values, expected] of cases) {
    const cmd = describe(text)
    t.same(cmd.flags, flags, `${text}: flags`)
    t.same(cmd.flagValues, values, `${text}: values`)
    t.same(pins(cmd), expected, `${text}: packages`)
  }
})

t.test('uv: --no-cache in every spelling is --no-cache', async (t) => {
  for (const text of ['uv --no-cache pip install x', 'uv -n pip install x', 'uv pip install --no-cache-dir x', 'uv pip install -nq x']) {
    t.ok(describe(text).flags.includes('--no-cache'), text)
  }
  t.same(describe('uv --cache-dir /tmp/uv sync').flagValues, { '--cache-dir': '/tmp/uv' })
})

t.test('uv: packages and requirement files per subcommand', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>, string[]]> = [
    ['uv pip install -r requirements.txt -c constraints.txt gunicorn', [['gunicorn', '', false]], ['requirements.txt', 'constraints.txt']],
    ['uv pip install --requirements requirements.txt', [], ['requirements.txt']],
    ['uv pip install --system ./dist/app.whl /src', [], []],
    ['uv pip sync requirements.txt dev.txt', [], ['requirements.txt', 'dev.txt']],
    ['uv pip compile pyproject.toml -o requirements.txt', [], ['pyproject.toml']],
    ['uv add flask==3.0.3 httpx', [['flask', '3.0.3', true], ['httpx', '', false]], []],
    ['uv tool install ruff@0.5.0', [['ruff', '0.5.0', true]], []],
    ['uv tool install ruff@latest', [['ruff', 'latest', false]], []],
    ['uv tool install poetry==1.8.5 --with-requirements plugins.txt', [['poetry', '1.8.5', true]], ['plugins.txt']],
    ['uv tool install --python 3.12 black', [['black', '', false]], []],
    ['uv sync --frozen', [], []],
    ['uvx ruff@0.5.0 check .', [], []],
  ]
  for (const [text, packages, files] of cases) {
    const cmd = describe(text)
    t.same(pins(cmd), packages, `${text}: packages`)
    t.same(cmd.requirementFiles, files, `${text}: requirement files`)
  }
})

t.test('uv run and uvx: the command they run keeps its own arguments', async (t) => {
  const run = describeArgs('uv', ['run', '--with', 'rich', 'python', '-m', 'pip', 'install', '-n', 'x'])
  sameFields(t, run, { subcommand: 'run', flags: ['--with'], operands: ['python', '-m', 'pip', 'install', '-n', 'x'] })
  const uvx = describeArgs('uvx', ['--from', 'black==24.4.2', 'black', '--check', '.'])
  sameFields(t, uvx, { subcommand: 'tool run', flags: ['--from'], operands: ['black', '--check', '.'] })
})
