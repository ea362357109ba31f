import t from 'tap'
import { describe } from './helpers.js'

t.test('each program reaches its family; look-alikes reach none', async (t) => {
  const cases: Array<[string, string]> = [
    ['addgroup -S app', 'addgroup'],
    ['adduser -D app', 'adduser'],
    ['apk add curl', 'apk'],
    ['apt install curl', 'apt'],
    ['apt-get install curl', 'apt-get'],
    ['cd /app', 'cd'],
    ['chmod +x a', 'chmod'],
    ['chown app a', 'chown'],
    ['curl https://x', 'curl'],
    ['dnf install x', 'dnf'],
    ['gem install x', 'gem'],
    ['go install x@v1.0.0', 'go'],
    ['groupadd app', 'groupadd'],
    ['microdnf install x', 'microdnf'],
    ['npm install x', 'npm'],
    ['pip install x', 'pip'],
    ['pnpm add x', 'pnpm'],
    ['rm -rf a', 'rm'],
    ['rpm -i x.rpm', 'rpm'],
    ['tdnf install x', 'tdnf'],
    ['useradd app', 'useradd'],
    ['uv pip install x', 'uv'],
    ['uvx ruff', 'uv'],
    ['wget https://x', 'wget'],
    ['yarn add x', 'yarn'],
    ['yum install x', 'yum'],
    ['zypper install x', 'zypper'],
    // Look-alikes.
    ['aptitude install curl', ''],
    ['apt-cache policy curl', ''],
    ['dpkg -i x.deb', ''],
    ['npx x', ''],
    ['pipx install x', ''],
    ['pip-compile', ''],
    ['pipenv install', ''],
    ['bundle install', ''],
    ['gofmt -l .', ''],
    ['curlie https://x', ''],
    ['echo pip install flask', ''],
    ['Pip install flask', ''],
  ]
  for (const [text, tool] of cases) t.equal(describe(text).tool, tool, text)
})

t.test('a command of no known tool has empty semantics', async (t) => {
  t.same(describe('echo hello'), { tool: '', subcommand: '', flags: [], flagValues: {}, operands: [], packages: [], requirementFiles: [], account: null, urls: [] })
})

t.test('the meaning does not depend on the line, env or wrappers (the shell parser caches it by text)', async (t) => {
  const { describeCommand } = await import('../../src/inputs/commands/index.js')
  const base = { name: 'pip', program: 'pip', args: ['install', 'flask==3.0.3'], text: 'pip install flask==3.0.3' }
  t.same(
    describeCommand({ ...base, env: {}, line: 1, wrappers: [], pipedTo: '', writesTo: [] }),
    describeCommand({ ...base, env: { PIP_NO_CACHE_DIR: '1' }, line: 40, wrappers: ['sudo'], pipedTo: 'tee', writesTo: ['/tmp/log'] }),
  )
})
