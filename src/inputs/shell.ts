// RUN scripts into simple commands: a real shell parse (mvdan-sh, bash dialect, which also reads POSIX sh), with
// wrappers peeled off, `sh -c` scripts parsed in turn, and each command's Dockerfile line.
//
// The parts live under shell/: source.ts (continuations and Dockerfile lines), wrappers.ts (peeling, `sh -c`),
// syntax.ts (reading mvdan-sh's tree), words.ts (rendering words) and go.ts (GopherJS values).
import { LRUCache } from 'lru-cache'
import type { ShellCommand } from '../facts/shell-types.js'
import { describeCommand, type RawCommand } from './commands/index.js'
import type { ShellSource } from './shell/source.js'
import { readScript, type Found } from './shell/syntax.js'
import { basename, unwrap } from './shell/wrappers.js'
import { countCommands } from './limits.js'

export { joinContinuations, scriptSource, type ShellSource } from './shell/source.js'

/**
 * Parses POSIX/bash shell into simple commands, in source order: across lists, pipelines, subshells, groups,
 * if/for/while/case, function bodies and command substitutions. Text that does not parse yields []; only nesting
 * past MAX_SHELL_DEPTH throws (LimitExceeded). Words are unquoted with expansions (`$HOME`, `${X:-y}`, `$(…)`) and globs kept as written, so
 * facts describe the Dockerfile rather than one build. Wrappers (`sudo`, `env`, `exec`, `nice`, `nohup`, `time`,
 * `command`) are peeled off into `wrappers`; `sh -c '…'` and the like are parsed in turn, their commands on the
 * line of the `sh`. Results are cached by script text (describeCommand's too, so it must not depend on `line`);
 * each call returns new command objects whose arrays and records are frozen and shared.
 */
export function parseShell (source: ShellSource): ShellCommand[] {
  let templates = cache.get(source.script)
  if (templates === undefined) {
    templates = Object.freeze((commandsOf(source.script, 0) ?? []).map((command) => template(command, source)))
    cache.set(source.script, templates)
  }
  countCommands(templates.length, "the Dockerfile's shell scripts")
  // Lines are mapped on every call: the same script can stand on different lines, or in other Dockerfiles.
  return templates.map(({ command, offset }) => ({ ...command, line: source.lineAt(offset) }))
}

// ---- Cache --------------------------------------------------------------------------------------------------------

/** A parsed command and where it starts in the script; frozen throughout, so callers share it. Its `line` is
 * the first caller's and is replaced on every call. */
interface Template {
  readonly offset: number
  readonly command: ShellCommand
}

// Bounded in entries and in script text held, so a few huge RUN lines cannot pin much memory.
const cache = new LRUCache<string, readonly Template[]>({
  max: 2000,
  maxSize: 8_000_000,
  sizeCalculation: (templates, script) => script.length + 256 * templates.length + 1,
})

function template (command: Command, source: ShellSource): Template {
  const raw: RawCommand = {
    name: command.name,
    program: command.program,
    args: Object.freeze(command.args),
    env: Object.freeze(command.env),
    text: command.text,
    line: source.lineAt(command.offset),
    wrappers: Object.freeze(command.wrappers),
    pipedTo: command.pipedTo,
    writesTo: Object.freeze(command.writesTo),
  }
  // Object.assign rather than `{ ...raw, ...semantics }`: V8 takes a slow path for two spreads (~8 µs a command).
  const described: ShellCommand = deepFreeze(Object.assign({}, raw, describeCommand(raw)))
  return Object.freeze({ offset: command.offset, command: described })
}

function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value)
    // Most values are strings: no call for them.
    for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner)
  }
  return value
}

// ---- From script to commands ---------------------------------------------------------------------------------------

/** A simple command after wrappers are peeled; `offset` is where it starts in the top-level script. */
interface Command {
  readonly name: string
  readonly program: string
  readonly args: string[]
  readonly env: Record<string, string>
  readonly text: string
  readonly wrappers: string[]
  readonly pipedTo: string
  readonly writesTo: readonly string[]
  readonly offset: number
}

// `sh -c "sh -c '…'"` is parsed level by level; past this depth the innermost shell stays a plain command.
const MAX_SHELL_DEPTH = 8

/** The commands of a script, or null when it does not parse. */
function commandsOf (script: string, depth: number): Command[] | null {
  const found = readScript(script)
  if (found === null) return null
  const out: Command[] = []
  for (const simple of found) peel(simple, depth, out)
  return out
}

function peel (found: Found, depth: number, out: Command[]): void {
  const env: Record<string, string> = {}
  for (const [name, value] of found.env) env[name] = value
  const wrappers = [...found.wrappers]
  let words = found.words
  for (let step = unwrap(words); step !== null; step = unwrap(words)) {
    if ('script' in step) {
      const inner = depth < MAX_SHELL_DEPTH ? commandsOf(step.script, depth + 1) : null
      // A script that does not parse leaves the shell command itself as the fact.
      if (inner === null) break
      for (const command of inner) {
        const merged = Object.assign({}, env, command.env) // the outer environment reaches the inner commands
        // An inner command's output goes where the script's does, unless the script sends it elsewhere.
        const pipedTo = command.pipedTo !== '' ? command.pipedTo : found.pipedTo
        const writesTo = command.writesTo.length > 0 || command.pipedTo !== '' ? command.writesTo : found.writesTo
        out.push({ ...command, env: merged, wrappers: [...wrappers, step.wrapper, ...command.wrappers], pipedTo, writesTo, offset: found.offset })
      }
      return
    }
    for (const [name, value] of step.assigns) env[name] = value
    wrappers.push(step.wrapper)
    words = step.rest
  }
  const [name = '', ...args] = words
  out.push({ name, program: basename(name), args, env, text: words.join(' '), wrappers, pipedTo: found.pipedTo, writesTo: found.writesTo, offset: found.offset })
}
