import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('go install, get and run: packages and pins (DL3062, stricter on moving versions)', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>]> = [
    ['go install example.com/pkg', [['example.com/pkg', '', false]]],
    ['go install example.com/pkg@latest', [['example.com/pkg', 'latest', false]]],
    ['go install example.com/pkg@v1.2.3', [['example.com/pkg', 'v1.2.3', true]]],
    ['go install golang.org/x/tools/cmd/goimports@v0.21.0', [['golang.org/x/tools/cmd/goimports', 'v0.21.0', true]]],
    ['go install example.com/pkg@v0.0.0-20240101120000-abcdef123456', [['example.com/pkg', 'v0.0.0-20240101120000-abcdef123456', true]]],
    ['go install example.com/pkg@4d63ff5', [['example.com/pkg', '4d63ff5', true]]],
    ['go install example.com/pkg@$TOOL_VERSION', [['example.com/pkg', '$TOOL_VERSION', true]]],
    ['go install example.com/pkg@v1', [['example.com/pkg', 'v1', false]]],
    ['go install example.com/pkg@master', [['example.com/pkg', 'master', false]]],
    ['go install example.com/pkg@upgrade', [['example.com/pkg', 'upgrade', false]]],
    ['go get example.com/pkg@none', [['example.com/pkg', 'none', false]]],
    ['go install example.com/a@v1.0.0 example.com/b', [['example.com/a', 'v1.0.0', true], ['example.com/b', '', false]]],
    ['go install golang.org/x/tools/...@v0.21.0', [['golang.org/x/tools/...', 'v0.21.0', true]]],
    ['go get example.com/pkg', [['example.com/pkg', '', false]]],
    ['go get example.com/pkg@v1.2.3', [['example.com/pkg', 'v1.2.3', true]]],
    ['go get -tool foobar@latest', [['foobar', 'latest', false]]],
    ['go get -tool foobar@v1.2.3', [['foobar', 'v1.2.3', true]]],
    ['go run example.com/pkg', [['example.com/pkg', '', false]]],
    ['go run example.com/pkg@v1.2.3 -f foobar', [['example.com/pkg', 'v1.2.3', true]]],
    ['go run example.com/pkg@v1.2.3 --foo bar', [['example.com/pkg', 'v1.2.3', true]]],
    // Local packages, files and variables name no package.
    ['go install ./...', []],
    ['go install .', []],
    ['go install /go/app/foobar', []],
    ['go install ./app/foobar', []],
    ['go run main.go', []],
    ['go run .', []],
    ['go install $TOOLS', []],
    ['go build -o /app ./cmd/app', []],
    ['go mod download', []],
  ]
  for (const [text, expected] of cases) t.same(pins(describe(text)), expected, text)
})

t.test('go: flags are single-dash words, read up to the first operand', async (t) => {
  const ldflags = describeArgs('go', ['install', '-ldflags', '-s -w', '-trimpath', 'example.com/pkg@v1.2.3'])
  sameFields(t, ldflags, { tool: 'go', subcommand: 'install', flags: ['-ldflags', '-trimpath'], flagValues: { '-ldflags': '-s -w' }, operands: ['example.com/pkg@v1.2.3'] })
  t.same(pins(ldflags), [['example.com/pkg', 'v1.2.3', true]])
  sameFields(t, describe('go build --tags netgo -o /out/app .'), { subcommand: 'build', flags: ['-tags', '-o'], flagValues: { '-tags': 'netgo', '-o': '/out/app' }, operands: ['.'] })
  sameFields(t, describe('go run example.com/pkg@v1.2.3 -v x'), { flags: [], operands: ['example.com/pkg@v1.2.3', '-v', 'x'] }, 'program arguments are operands, not go flags')
  sameFields(t, describe('go -v'), { subcommand: '', flags: ['-v'] })
  sameFields(t, describe('go'), { tool: 'go', subcommand: '' })
})
