// useradd, groupadd (shadow-utils), adduser and addgroup (Debian's Perl scripts and BusyBox's applets, which
// spell the same things differently). Each command that creates an account gives an AccountChange.
//
// adduser and addgroup with two operands (`adduser app wheel`, BusyBox `addgroup app wheel`) add an existing
// user to an existing group: they create nothing, so `account` is null and the operands are [user, group].
// Debian's `adduser --group NAME` (without `--system`) creates a group; with `--system` it creates a system user
// and a group of the same name, given as the user's group.
import type { AccountChange } from '../../facts/shell-types.js'
import { defineFlags, parseArgs } from './flags.js'
import { semantics, type CommandSemantics, type RawCommand } from './types.js'

/** useradd's short spellings are canonical: `-u` for `--uid`, `-r` for `--system`, `-l` for `--no-log-init`. */
const USERADD_FLAGS = defineFlags({
  '-u=': ['--uid'],
  '-g=': ['--gid'],
  '-G=': ['--groups'],
  '-s=': ['--shell'],
  '-d=': ['--home-dir'],
  '-b=': ['--base-dir'],
  '-c=': ['--comment'],
  '-e=': ['--expiredate'],
  '-f=': ['--inactive'],
  '-k=': ['--skel'],
  '-K=': ['--key'],
  '-p=': ['--password'],
  '-R=': ['--root'],
  '-P=': ['--prefix'],
  '-Z=': ['--selinux-user'],
  '-r': ['--system'],
  '-l': ['--no-log-init'],
  '-m': ['--create-home'],
  '-M': ['--no-create-home'],
  '-N': ['--no-user-group'],
  '-U': ['--user-group'],
  '-o': ['--non-unique'],
  '-D': ['--defaults'],
  '-F': ['--add-subids-for-system'],
  '-h': ['--help'],
})

const GROUPADD_FLAGS = defineFlags({
  '-g=': ['--gid'],
  '-K=': ['--key'],
  '-p=': ['--password'],
  '-R=': ['--root'],
  '-P=': ['--prefix'],
  '-U=': ['--users'],
  '-r': ['--system'],
  '-f': ['--force'],
  '-o': ['--non-unique'],
  '-h': ['--help'],
})

/**
 * One table for Debian's and BusyBox's adduser: BusyBox's letters are canonical and Debian's long options map
 * onto them (`--system` is `-S`, `--ingroup` is `-G`, `--disabled-password` is `-D`, `--gecos` is BusyBox's `-g`).
 * Debian-only options keep their long spelling (`--gid`, `--group`, `--disabled-login`).
 */
const ADDUSER_FLAGS = defineFlags({
  '-u=': ['--uid'],
  '-G=': ['--ingroup'],
  '-h=': ['--home'],
  '-s=': ['--shell'],
  '-g=': ['--gecos', '--comment'],
  '-k=': [],
  '--gid=': [],
  '--firstuid=': [],
  '--lastuid=': [],
  '--firstgid=': [],
  '--lastgid=': [],
  '--conf=': ['-c'],
  '-S': ['--system'],
  '-D': ['--disabled-password'],
  '-H': ['--no-create-home'],
  '-q': ['--quiet'],
  '--group': [],
  '--disabled-login': [],
  '--force-badname': ['--allow-badname'],
  '--allow-all-names': [],
  '--add-extra-groups': [],
  '--debug': [],
})

/** Debian's and BusyBox's addgroup: `-S` for `--system`, `-g` for `--gid`. */
const ADDGROUP_FLAGS = defineFlags({
  '-g=': ['--gid'],
  '--conf=': ['-c'],
  '-S': ['--system'],
  '-q': ['--quiet'],
  '--force-badname': ['--allow-badname'],
  '--allow-all-names': [],
  '--debug': [],
})

/** Reads useradd: the user is the last operand; `-g` is the primary group. */
export function describeUseradd (raw: RawCommand): CommandSemantics {
  const parsed = parseArgs(raw.args, USERADD_FLAGS)
  const name = parsed.operands.at(-1)
  const account = name === undefined
    ? null
    : user(name, parsed.values['-u'], parsed.values['-g'], parsed.counts['-r'] !== undefined, parsed.counts['-l'] !== undefined)
  return semantics('useradd', parsed, { account })
}

/** Reads groupadd: the group is the last operand. */
export function describeGroupadd (raw: RawCommand): CommandSemantics {
  const parsed = parseArgs(raw.args, GROUPADD_FLAGS)
  const name = parsed.operands.at(-1)
  const account = name === undefined ? null : group(name, parsed.values['-g'], parsed.counts['-r'] !== undefined)
  return semantics('groupadd', parsed, { account })
}

/** Reads adduser (Debian or BusyBox); see the file comment for `--group` and for two operands. */
export function describeAdduser (raw: RawCommand): CommandSemantics {
  const parsed = parseArgs(raw.args, ADDUSER_FLAGS)
  const system = parsed.counts['-S'] !== undefined
  const withGroup = parsed.counts['--group'] !== undefined
  let account: AccountChange | null = null
  const [name] = parsed.operands
  if (name !== undefined && parsed.operands.length === 1) {
    if (withGroup && !system) account = group(name, parsed.values['--gid'], false)
    else account = user(name, parsed.values['-u'], parsed.values['-G'] ?? parsed.values['--gid'] ?? (withGroup ? name : ''), system, false)
  }
  return semantics('adduser', parsed, { account })
}

/** Reads addgroup (Debian or BusyBox); two operands add a user to a group and create nothing. */
export function describeAddgroup (raw: RawCommand): CommandSemantics {
  const parsed = parseArgs(raw.args, ADDGROUP_FLAGS)
  const [name] = parsed.operands
  const account = name !== undefined && parsed.operands.length === 1
    ? group(name, parsed.values['-g'], parsed.counts['-S'] !== undefined)
    : null
  return semantics('addgroup', parsed, { account })
}

function user (name: string, id: string | undefined, primary: string | undefined, system: boolean, noLogInit: boolean): AccountChange {
  return { kind: 'user', name, id: id ?? '', group: primary ?? '', system, noLogInit }
}

function group (name: string, id: string | undefined, system: boolean): AccountChange {
  return { kind: 'group', name, id: id ?? '', group: '', system, noLogInit: false }
}
