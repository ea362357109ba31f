import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { main } from '../../src/cli/main.js'
import type { CliIo } from '../../src/cli/io.js'

export const CLI_FIXTURES = fileURLToPath(new URL('../fixtures/cli', import.meta.url))
export const PASSING_POLICIES = `${CLI_FIXTURES}/policies-pass`
export const FAILING_POLICIES = `${CLI_FIXTURES}/policies-fail`
export const BROKEN_POLICIES = `${CLI_FIXTURES}/broken`
export const PROJECT = `${CLI_FIXTURES}/project`

/** What one in-process run of the CLI did. */
export interface Run { readonly code: number, readonly stdout: string, readonly stderr: string }

export interface RunOptions {
  readonly cwd?: string
  readonly env?: Record<string, string>
  readonly stdin?: string
  /** Pretend stdout is a terminal. */
  readonly tty?: boolean
  /** Pretend stderr is a terminal (where progress goes). */
  readonly stderrTty?: boolean
}

/** Runs `plimsoll <argv>` in this process with captured output; no colour unless asked for. */
export async function run (argv: readonly string[], options: RunOptions = {}): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (text: string) => { stdout += text }, isTTY: options.tty ?? false },
    stderr: { write: (text: string) => { stderr += text }, isTTY: options.stderrTty ?? false },
    stdin: () => Readable.from([Buffer.from(options.stdin ?? '')]),
    env: options.env ?? {},
    cwd: options.cwd ?? PROJECT,
  }
  const code = await main(argv, io)
  return { code, stdout, stderr }
}
