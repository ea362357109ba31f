// The CLI's only window on the process: tests pass their own, so no command needs a subprocess.

/** Somewhere text goes: process.stdout / process.stderr, or a buffer in tests. */
export interface Output {
  write (text: string): unknown
  /** True when a person is watching (colours are then on by default). */
  readonly isTTY?: boolean
}

/** Everything a command may read or write besides files. */
export interface CliIo {
  readonly stdout: Output
  readonly stderr: Output
  /** Standard input as bytes (an image archive may come through it), read when a command is given `-`. */
  readonly stdin: () => AsyncIterable<Buffer>
  readonly env: Readonly<Record<string, string | undefined>>
  /** Relative paths on the command line are resolved against it. */
  readonly cwd: string
}

/** Exit codes, as hadolint uses them. */
export const EXIT = {
  /** Nothing at or above the threshold; every test passed; every file valid. */
  ok: 0,
  /** Findings at or above the threshold; a test failed; a policy file has problems. */
  findings: 1,
  /** Bad usage or input: an unknown flag, an unreadable file, policies that do not load. */
  usage: 2,
} as const

/** 0, 1 or 2: see EXIT. */
export type ExitCode = typeof EXIT[keyof typeof EXIT]

/** The worst of several exit codes: usage beats findings beats ok. */
export const worst = (codes: readonly ExitCode[]): ExitCode => codes.reduce<ExitCode>((a, b) => (b > a ? b : a), EXIT.ok)

/** The real process's streams, environment and working directory. */
export function processIo (): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => process.stdin,
    env: process.env,
    cwd: process.cwd(),
  }
}

/** All of a byte stream as UTF-8 text; undefined when it is longer than `limit` bytes. */
export async function readText (bytes: AsyncIterable<Buffer | string>, limit = Number.POSITIVE_INFINITY): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of bytes) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    length += buffer.length
    if (length > limit) return undefined
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
