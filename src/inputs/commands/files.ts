// cd, chown, chmod and rm: the tool, its flags split and made canonical (`rm -rf` gives `-r`, `-f`), operands.
// chmod's symbolic modes may start with a dash (`chmod -x file`, `chmod -rwx dir`): a dash word made only of
// mode letters is an operand, not a cluster of flags.
import { defineFlags, parseArgs, type FlagSpec } from './flags.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

const CD_FLAGS = defineFlags({ '-L': [], '-P': [], '-e': [], '-@': [] })

const CHOWN_FLAGS = defineFlags({
  '-R': ['--recursive'],
  '-h': ['--no-dereference'],
  '-c': ['--changes'],
  '-f': ['--silent', '--quiet'],
  '-v': ['--verbose'],
  '-H': [],
  '-L': [],
  '-P': [],
  '--dereference': [],
  '--preserve-root': [],
  '--no-preserve-root': [],
  '--from=': [],
  '--reference=': [],
})

const CHMOD_FLAGS = defineFlags({
  '-R': ['--recursive'],
  '-c': ['--changes'],
  '-f': ['--silent', '--quiet'],
  '-v': ['--verbose'],
  '--preserve-root': [],
  '--no-preserve-root': [],
  '--reference=': [],
})

/** rm's `-r` stands for `-R` and `--recursive`, `-f` for `--force`. */
const RM_FLAGS = defineFlags({
  '-r': ['-R', '--recursive'],
  '-f': ['--force'],
  '-i': [],
  '-I': [],
  '-d': ['--dir'],
  '-v': ['--verbose'],
  '--one-file-system': [],
  '--preserve-root': [],
  '--no-preserve-root': [],
  '--interactive': [],
})

const TABLES: Readonly<Record<'cd' | 'chown' | 'chmod' | 'rm', FlagSpec>> = { cd: CD_FLAGS, chown: CHOWN_FLAGS, chmod: CHMOD_FLAGS, rm: RM_FLAGS }

// A symbolic mode with a leading dash: `-x`, `-rwx`, `-w,o+r`; chmod's own flags (R, c, f, v) are not mode letters.
const DASH_MODE = /^-[rwxXst]+(?:,[ugoa]*[-+=][rwxXstugo]*)*$/

/** Reads cd, chown, chmod or rm. */
export function describeFileTool (raw: RawCommand, tool: 'cd' | 'chown' | 'chmod' | 'rm'): CommandSemantics {
  if (tool !== 'chmod') return semantics(tool, parseArgs(raw.args, TABLES[tool]))
  // Set a dash mode aside so that the tokenizer does not split it into flags, then put it back in place.
  const end = raw.args.indexOf('--')
  const modeAt = raw.args.findIndex((arg, index) => (end < 0 || index < end) && DASH_MODE.test(arg))
  if (modeAt < 0) return semantics(tool, parseArgs(raw.args, CHMOD_FLAGS))
  const before = parseArgs(raw.args.slice(0, modeAt), CHMOD_FLAGS)
  const operands = [...before.operands, raw.args[modeAt] as string]
  const parsed = parseArgs(raw.args.slice(modeAt + 1), CHMOD_FLAGS, { ...before, operands, dashes: operands.length })
  return semantics(tool, parsed)
}
