import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { runServe, serveEnvironment } from '../../src/cli/serve.js'
import { SHIPPED_POLICIES } from '../../src/cli/policies.js'
import type { CliIo } from '../../src/cli/io.js'
import { PASSING_POLICIES } from './helpers.js'

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))

interface Child { code: Promise<number | null>, output: () => string, stop: () => void }

/** Runs src/cli.ts in its own process with tap's TypeScript loader (from execArgv), as the `plimsoll` bin would run dist/cli.js. */
function spawnCli (argv: string[], stdin = '', extraEnv: Record<string, string> = {}): Child {
  // tap sets FORCE_COLOR for its own output; the CLI must decide from the pipe alone.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'FORCE_COLOR' && name !== 'NO_COLOR'))
  const child = spawn(process.execPath, [...process.execArgv, CLI, ...argv], { env: { ...env, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stdin.end(stdin)
  return { code: once(child, 'exit').then(([code]) => code as number | null), output: () => output, stop: () => child.kill('SIGTERM') }
}

t.test('the entry point: a shebang, the bin in package.json, and a real exit code', async (t) => {
  t.match(readFileSync(CLI, 'utf8'), /^#!\/usr\/bin\/env node\n/)
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin?: Record<string, string> }
  t.same(pkg.bin, { plimsoll: 'dist/cli.js' })

  const child = spawnCli(['check', '--policies', PASSING_POLICIES, '-'], 'FROM alpine:3.20\nWORKDIR /app\nUSER root\n')
  t.equal(await child.code, 1)
  t.match(child.output(), /<stdin>:3 {2}final-user-not-root {2}the final stage runs as `root`/)
  t.notOk(child.output().includes('\x1b['), 'no colours on a pipe')
})

t.test('plimsoll serve starts the HTTP service and stops on SIGTERM', async (t) => {
  const child = spawnCli(['serve', '--policies', PASSING_POLICIES, '--host', '127.0.0.1', '--port', '0'], '', { _TAPJS_PROCESSINFO_COVERAGE_: '0' })
  t.teardown(child.stop)
  const url = await new Promise<string>((resolve) => {
    const timer = setInterval(() => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output())
      if (match !== null) {
        clearInterval(timer)
        resolve(match[1] as string)
      }
    }, 20)
    void child.code.then(() => { clearInterval(timer); resolve('') })
  })
  t.not(url, '', `listened; output: ${child.output()}`)
  const policies = await (await fetch(`${url}/v1/policies`)).json() as { policies: Array<{ name: string }> }
  t.match(policies.policies, [{ name: 'users' }], 'serves --policies')
  child.stop()
  t.equal(await child.code, 0, 'exits cleanly')
})

t.test('serve maps its flags onto the variables server.ts reads', async (t) => {
  const io = (env: Record<string, string>): CliIo => ({ stdout: { write: () => true }, stderr: { write: () => true }, stdin: () => Readable.from([]), env, cwd: '/srv' })
  t.same(serveEnvironment({}, io({})), { POLICY_DIR: SHIPPED_POLICIES }, 'the shipped policies by default')
  t.same(serveEnvironment({}, io({ POLICY_DIR: '/etc/plimsoll' })), {}, 'POLICY_DIR from the environment is kept')
  t.same(serveEnvironment({ policies: 'p', host: '0.0.0.0', port: '9000', logLevel: 'warn' }, io({ POLICY_DIR: '/etc/plimsoll' })),
    { POLICY_DIR: '/srv/p', HOST: '0.0.0.0', PORT: '9000', LOG_LEVEL: 'warn' }, 'flags win')
  let started: Record<string, string> | undefined
  t.equal(await runServe({ port: '1' }, io({ POLICY_DIR: '/x' }), async (env) => { started = env }), 0)
  t.same(started, { PORT: '1' })
})
