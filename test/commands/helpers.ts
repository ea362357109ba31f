// Builds the simple commands the shell parser would hand to describeCommand, without going through a shell:
// each test states the words after unquoting, so a test fails only when the tool semantics are wrong.
import type { Test } from 'tap'
import { describeCommand, type CommandSemantics, type RawCommand } from '../../src/inputs/commands/index.js'

/** A command from a program path and its already-unquoted arguments. */
export function rawCommand (name: string, args: readonly string[] = []): RawCommand {
  return { name, program: name.slice(name.lastIndexOf('/') + 1), args, env: {}, text: [name, ...args].join(' '), line: 1, wrappers: [], pipedTo: '', writesTo: [] }
}

/** Describes a command written as whitespace-separated words (no quoting: use `describeArgs` for words with spaces). */
export function describe (text: string): CommandSemantics {
  const [name = '', ...args] = text.trim().split(/\s+/)
  return describeCommand(rawCommand(name, args))
}

/** Describes a command given as a program and argument list. */
export function describeArgs (name: string, args: readonly string[]): CommandSemantics {
  return describeCommand(rawCommand(name, args))
}

/** The packages of a command as [name, version, pinned] triples, the shape most tables compare. */
export function pins (semantics: CommandSemantics): Array<[string, string, boolean]> {
  return semantics.packages.map((p) => [p.name, p.version, p.pinned])
}


/**
 * Asserts that the fields named in `wanted` equal the command's, arrays and objects compared whole: t.match would
 * let `flags: ['-y']` pass for `['-y', '-q']`, which is exactly the kind of mistake these tables exist to catch.
 */
export function sameFields (t: Pick<Test, 'same'>, found: CommandSemantics, wanted: Partial<CommandSemantics>, message = Object.keys(wanted).join(', ')): void {
  const picked = Object.fromEntries(Object.keys(wanted).map((key) => [key, found[key as keyof CommandSemantics]]))
  t.same(picked, wanted, message)
}
