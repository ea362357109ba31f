// `plimsoll serve`: the HTTP service, started exactly as `node dist/server.js` starts it.
import { resolve } from 'node:path'
import { EXIT, type CliIo, type ExitCode } from './io.js'
import { SHIPPED_POLICIES } from './policies.js'

/** Flags of `plimsoll serve`; each stands for the environment variable server.ts reads. */
export interface ServeOptions {
  readonly policies?: string
  readonly host?: string
  readonly port?: string
  readonly logLevel?: string
}

/**
 * The environment server.ts should see: flags win over variables already set. Unlike `npm start`, which
 * serves `./policies` of the checkout, an installed `plimsoll serve` defaults to the shipped policies.
 */
export function serveEnvironment (options: ServeOptions, io: CliIo): Record<string, string> {
  const env: Record<string, string> = {}
  if (options.policies !== undefined) env.POLICY_DIR = resolve(io.cwd, options.policies)
  else if (io.env.POLICY_DIR === undefined || io.env.POLICY_DIR === '') env.POLICY_DIR = SHIPPED_POLICIES
  if (options.host !== undefined) env.HOST = options.host
  if (options.port !== undefined) env.PORT = options.port
  if (options.logLevel !== undefined) env.LOG_LEVEL = options.logLevel
  return env
}

/** Starts the server in this process; it runs until SIGTERM or SIGINT, and exits on its own errors. */
export async function runServe (options: ServeOptions, io: CliIo, start: (env: Record<string, string>) => Promise<void> = startServer): Promise<ExitCode> {
  await start(serveEnvironment(options, io))
  return EXIT.ok
}

// server.ts configures itself from process.env and listens when imported: reusing it as is keeps one way
// to start the service, so `plimsoll serve` cannot drift from `npm start`.
async function startServer (env: Record<string, string>): Promise<void> {
  Object.assign(process.env, env)
  await import('../server.js')
}
