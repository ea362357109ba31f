import type { AccountChange, PackageRef, ShellCommand } from '../../facts/shell-types.js'
import type { ParsedArgs } from './flags.js'

/** A simple command as the shell parser sees it, before tool semantics. */
export type RawCommand = Pick<ShellCommand, 'name' | 'program' | 'args' | 'env' | 'text' | 'line' | 'wrappers' | 'pipedTo' | 'writesTo'>

/** What a command means for the tools Plimsoll knows (package managers, account tools, downloads, file tools). */
export type CommandSemantics = Omit<ShellCommand, keyof RawCommand>

/** One family's reading of a command whose program it owns. */
export type Describer = (raw: RawCommand) => CommandSemantics

/**
 * The meaning of a command of no known tool (and of a known program used as something else, such as `python app.py`).
 * Shared by every such command, so frozen all the way down.
 */
export const NOTHING: CommandSemantics = Object.freeze({
  tool: '',
  subcommand: '',
  flags: Object.freeze([]),
  flagValues: Object.freeze({}),
  operands: Object.freeze([]),
  packages: Object.freeze([]),
  requirementFiles: Object.freeze([]),
  account: null,
  urls: Object.freeze([]),
})

/** What a family adds to the flags and operands it parsed; every field defaults to empty. */
export interface Extras {
  readonly subcommand?: string
  readonly operands?: readonly string[]
  readonly packages?: readonly PackageRef[]
  readonly requirementFiles?: readonly string[]
  readonly account?: AccountChange | null
  readonly urls?: readonly string[]
  readonly flagValues?: Readonly<Record<string, string>>
}

/** Assembles a command's meaning from its parsed arguments; `extras.operands` replaces the parsed operands when given. */
export function semantics (tool: string, parsed: ParsedArgs, extras: Extras = {}): CommandSemantics {
  return {
    tool,
    subcommand: extras.subcommand ?? '',
    flags: parsed.flags,
    flagValues: extras.flagValues ?? parsed.values,
    operands: extras.operands ?? parsed.operands,
    packages: extras.packages ?? [],
    requirementFiles: extras.requirementFiles ?? [],
    account: extras.account ?? null,
    urls: extras.urls ?? [],
  }
}
