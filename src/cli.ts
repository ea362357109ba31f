#!/usr/bin/env node
// The `plimsoll` command. main() does the work and resolves to the exit code; setting process.exitCode
// instead of calling process.exit() lets piped output drain and lets `serve` keep running.
import { main } from './cli/main.js'
import { processIo } from './cli/io.js'

try {
  process.exitCode = await main(process.argv.slice(2), processIo())
} catch (error) {
  // A bug, not a finding: 70 (EX_SOFTWARE) keeps it apart from 1 and 2, which CI scripts act on.
  process.stderr.write(`plimsoll: internal error: ${(error as Error).stack ?? String(error)}\n`)
  process.exitCode = 70
}
