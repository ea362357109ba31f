import t from 'tap'
import { describe, describeArgs, sameFields } from './helpers.js'

t.test('curl: flags split and canonical, URLs found', async (t) => {
  const cases: Array<[string, string[], Record<string, string>, string[]]> = [
    ['curl -fsSL https://example.com/x.sh', ['-f', '-s', '-S', '-L'], {}, ['https://example.com/x.sh']],
    ['curl -fsSLo /tmp/x https://example.com/x', ['-f', '-s', '-S', '-L', '-o'], { '-o': '/tmp/x' }, ['https://example.com/x']],
    ['curl -k https://example.com', ['-k'], {}, ['https://example.com']],
    ['curl --insecure https://example.com', ['-k'], {}, ['https://example.com']],
    ['curl -sSk https://example.com', ['-s', '-S', '-k'], {}, ['https://example.com']],
    ['curl --location --output out.tgz https://example.com/a.tgz', ['-L', '-o'], { '-o': 'out.tgz' }, ['https://example.com/a.tgz']],
    ['curl -O https://example.com/a.tgz', ['-O'], {}, ['https://example.com/a.tgz']],
    ['curl -H Accept:application/json -u user:pw http://api.local/v1', ['-H', '-u'], { '-H': 'Accept:application/json', '-u': 'user:pw' }, ['http://api.local/v1']],
    ['curl --proto =https --tlsv1.2 -sSf https://sh.rustup.rs', ['--proto', '--tlsv1.2', '-s', '-S', '-f'], { '--proto': '=https' }, ['https://sh.rustup.rs']],
    ['curl -o /a ftp://ftp.example.com/a -o /b HTTPS://EXAMPLE.COM/b', ['-o'], { '-o': '/b' }, ['ftp://ftp.example.com/a', 'HTTPS://EXAMPLE.COM/b']],
    ['curl --url https://example.com/x', ['--url'], { '--url': 'https://example.com/x' }, ['https://example.com/x']],
    // Not URLs: no scheme, or another scheme.
    ['curl localhost', [], {}, []],
    ['curl example.com/x', [], {}, []],
    ['curl file:///etc/passwd', [], {}, []],
    ['curl $URL', [], {}, []],
  ]
  for (const [text, flags, values, urls] of cases) sameFields(t, describe(text), { tool: 'curl', subcommand: '', flags, flagValues: values, urls }, text)
  t.same(describe('curl -fsSLo /tmp/x https://example.com/x').operands, ['https://example.com/x'], 'the -o value is not an operand')
})

t.test('wget: flags split and canonical, URLs found; -k is not --insecure here', async (t) => {
  const cases: Array<[string, string[], Record<string, string>, string[]]> = [
    ['wget https://example.com/a', [], {}, ['https://example.com/a']],
    ['wget --progress=dot:giga https://example.com/a', ['--progress'], { '--progress': 'dot:giga' }, ['https://example.com/a']],
    ['wget --progress dot:giga https://example.com/a', ['--progress'], { '--progress': 'dot:giga' }, ['https://example.com/a']],
    ['wget -q https://example.com/a', ['-q'], {}, ['https://example.com/a']],
    ['wget --quiet https://example.com/a', ['-q'], {}, ['https://example.com/a']],
    ['wget -nv https://example.com/a', ['-nv'], {}, ['https://example.com/a']],
    ['wget --no-verbose https://example.com/a', ['-nv'], {}, ['https://example.com/a']],
    ['wget -qO- https://example.com/a', ['-q', '-O'], { '-O': '-' }, ['https://example.com/a']],
    ['wget -O /tmp/a.tgz https://example.com/a.tgz', ['-O'], { '-O': '/tmp/a.tgz' }, ['https://example.com/a.tgz']],
    ['wget -o /tmp/log https://example.com/a', ['-o'], { '-o': '/tmp/log' }, ['https://example.com/a']],
    ['wget --no-check-certificate https://example.com/a', ['--no-check-certificate'], {}, ['https://example.com/a']],
    ['wget -k https://example.com/a', ['-k'], {}, ['https://example.com/a']],
    ['wget -nc -P /tmp http://example.com/a', ['-nc', '-P'], { '-P': '/tmp' }, ['http://example.com/a']],
    ['wget my.xyz', [], {}, []],
  ]
  for (const [text, flags, values, urls] of cases) sameFields(t, describe(text), { tool: 'wget', flags, flagValues: values, urls }, text)
  t.notOk(describe('wget -k https://example.com/a').flags.includes('--no-check-certificate'), 'wget -k converts links')
  t.same(describeArgs('wget', ['--header', 'Authorization: Bearer x', 'https://example.com/a']).urls, ['https://example.com/a'])
})

t.test('other commands fetch nothing', async (t) => {
  t.same(describe('pip install https://example.com/a.whl').urls, [])
  t.same(describe('git clone https://github.com/a/b').urls, [])
})
