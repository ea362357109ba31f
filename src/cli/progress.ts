// "[3/116] services/api/Dockerfile" on one line that rewrites itself while many files are checked: on a
// terminal only, so logs and pipes get nothing but the report.
import type { CliIo } from './io.js'

export class Progress {
  private readonly shown: boolean
  private count = 0
  private width = 0

  constructor (private readonly io: CliIo, private readonly total: number) {
    this.shown = total > 1 && io.stderr.isTTY === true
  }

  show (name: string): void {
    if (!this.shown) return
    this.count++
    const line = `[${this.count}/${this.total}] ${name}`
    this.io.stderr.write(`\r${line.padEnd(this.width)}`)
    this.width = line.length
  }

  /** Clears the line, so what is written next starts at the left margin. */
  clear (): void {
    if (this.shown && this.width > 0) this.io.stderr.write(`\r${' '.repeat(this.width)}\r`)
    this.width = 0
  }
}
