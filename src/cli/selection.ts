// The rule selection `check` and `compare` share: which packs, profile and rules, and param values.
import type { Command } from 'commander'
import { collect } from './params.js'

/** The selection options, as commander parses them (repeatable ones defaulted to []). */
export interface SelectionOptions {
  /** Policy directory; the shipped policies when absent. */
  readonly policies?: string
  /** Policy packs to apply (`--policy`, repeatable); all when empty. */
  readonly policy: readonly string[]
  readonly profile?: string
  readonly include: readonly string[]
  readonly exclude: readonly string[]
  /** Raw `name=value` strings from `--param`. */
  readonly param: readonly string[]
}

export const POLICIES_HELP = 'policy directory (default: the policies shipped with plimsoll)'

/** Adds the selection options to a command. */
export function withSelectionOptions (command: Command): Command {
  return command
    .option('--policies <dir>', POLICIES_HELP)
    .option('--policy <name>', 'apply only this policy pack (repeatable)', collect)
    .option('--profile <name>', 'apply a profile from the policy directory')
    .option('--include <rule>', 'also run this rule id, alias or tag; globs allowed (repeatable)', collect)
    .option('--exclude <rule>', 'do not run this rule id, alias or tag; globs allowed (repeatable)', collect)
    .option('--param <name=value>', 'set a parameter; the value is JSON when it parses, else a string (repeatable)', collect)
}

/** Commander leaves a repeatable option never given undefined, so help shows no default: [] here. */
export function withSelectionDefaults<T extends Partial<SelectionOptions>> (options: T): T & SelectionOptions {
  const { policy = [], include = [], exclude = [], param = [] } = options
  return { ...options, policy, include, exclude, param }
}
