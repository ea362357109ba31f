import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { open, readdir, realpath } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { failed, ok, type Problem, type Result } from '../problem.js'
import { compilePolicyDocument } from './compile-policy.js'
import { compileProfile } from './profile.js'
import type { Waiver } from './suppression-types.js'
import type { Policy, PolicySet, PolicySource, Profile } from './types.js'
import { compileWaivers } from './waivers.js'
import { parseYaml } from './yaml-document.js'

export { compilePolicy } from './compile-policy.js'

/** Policy test files (`plimsoll test`) live beside the policies but are not policies. */
export const POLICY_TEST_NAME = /(?:_test|\.test)\.ya?ml$/

/**
 * Loads every `*.yaml`/`*.yml` file of a directory (not its subfolders); any problem in any file refuses the whole set.
 * Problems name files relative to `dir` (`.` for the directory itself), never by where `dir` is: the server shows them
 * to anyone who asks, and callers that want the full path join it themselves.
 */
export async function loadPolicyDir (dir: string): Promise<Result<PolicySet>> {
  let names: string[]
  let inside: string
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name) && !POLICY_TEST_NAME.test(name)).sort()
    inside = await realpath(dir)
  } catch (error) {
    return failed([{ code: 'policy.dir-unreadable', message: `cannot read policy directory: ${fsReason(error)}`, file: '.' }])
  }
  if (names.length === 0) return failed([{ code: 'policy.dir-empty', message: 'no *.yaml policy files', file: '.' }])
  const read = await Promise.all(names.map((name) => readPolicyFile(inside, name)))
  const unreadable = read.flatMap((file) => file.ok ? [] : file.problems)
  if (unreadable.length > 0) return failed(unreadable)
  return compilePolicySet(read.flatMap((file) => file.ok ? [file.value] : []))
}

/**
 * A policy file's text, if it is a regular file in the directory. A symbolic link may point within it (a
 * Kubernetes ConfigMap's files are links into its `..data` folder), never out of it (to /etc/shadow); and a FIFO
 * or device named *.yaml is refused, not read, since reading one could block reloads forever.
 */
async function readPolicyFile (dir: string, name: string): Promise<Result<PolicySource>> {
  try {
    return await readRegularFile(dir, name)
  } catch (error) {
    // A dangling link, or a file deleted since the listing (an editor's save, a ConfigMap swap).
    return failed([{ code: 'policy.unreadable', message: `cannot be read: ${fsReason(error)}`, file: name }])
  }
}

async function readRegularFile (dir: string, name: string): Promise<Result<PolicySource>> {
  const real = await realpath(join(dir, name))
  const within = relative(dir, real)
  // `..data/a.yaml` is inside (a ConfigMap's folder); only a first segment of exactly `..` leaves the directory.
  if (within.split(sep)[0] === '..' || isAbsolute(within)) {
    return failed([{ code: 'policy.outside-dir', message: 'is a symbolic link out of the policy directory; only files in it are read', file: name }])
  }
  // Opened without blocking, so a FIFO with no writer is seen for what it is instead of waited on.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    if (!(await handle.stat()).isFile()) return failed([{ code: 'policy.not-a-file', message: 'is not a regular file; only regular files are read', file: name }])
    return ok({ name, text: await handle.readFile('utf8') })
  } finally {
    await handle.close()
  }
}

/** An fs error's reason without the path Node appends to it (`ENOENT: no such file or directory, scandir '/srv/p'`). */
export function fsReason (error: unknown): string {
  const { message, syscall } = error as NodeJS.ErrnoException
  return syscall === undefined ? message : message.split(`, ${syscall} `)[0] as string
}

/**
 * Compiles policy, profile and waiver documents given as text (each file's `kind` says which); rule ids,
 * policy names and profile names must be unique, and profiles may only name loaded packs.
 */
export function compilePolicySet (files: readonly PolicySource[]): Result<PolicySet> {
  const problems: Problem[] = []
  const policies: Policy[] = []
  const profiles: Profile[] = []
  const waivers: Waiver[] = []
  for (const file of files) {
    const doc = parseYaml(file.name, file.text)
    if (!doc.ok) {
      problems.push(...doc.problems)
      continue
    }
    const kind = (doc.value.value as { kind?: unknown } | null)?.kind
    if (kind === 'Profile') {
      const profile = compileProfile(file.name, doc.value)
      if (profile.ok) profiles.push(profile.value)
      else problems.push(...profile.problems)
    } else if (kind === 'Waivers') {
      const compiled = compileWaivers(file.name, file.text)
      if (compiled.ok) waivers.push(...compiled.value)
      else problems.push(...compiled.problems)
    } else {
      const policy = compilePolicyDocument(file.name, doc.value)
      if (policy.ok) policies.push(policy.value)
      else problems.push(...policy.problems)
    }
  }
  problems.push(...duplicates(policies, profiles))
  if (problems.length > 0) return failed(problems)
  const hash = createHash('sha256')
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`${file.name}\0${file.text}\0`)
  return ok({ policies, profiles, waivers, digest: `sha256:${hash.digest('hex')}`, sources: files })
}

function duplicates (policies: readonly Policy[], profiles: readonly Profile[]): Problem[] {
  const problems: Problem[] = []
  const ruleFiles = new Map<string, string>()
  const names = new Set<string>()
  for (const policy of policies) {
    for (const rule of policy.rules) {
      const other = ruleFiles.get(rule.id)
      if (other !== undefined) problems.push({ code: 'policy.duplicate-rule', message: `rule id "${rule.id}" is also defined in ${other}`, file: policy.file, line: rule.fileLine })
      ruleFiles.set(rule.id, policy.file)
    }
    if (names.has(policy.name)) problems.push({ code: 'policy.duplicate-name', message: `policy name "${policy.name}" is used twice`, file: policy.file })
    names.add(policy.name)
  }
  const profileNames = new Set<string>()
  for (const profile of profiles) {
    if (profileNames.has(profile.name)) problems.push({ code: 'policy.duplicate-name', message: `profile name "${profile.name}" is used twice`, file: profile.file })
    profileNames.add(profile.name)
    for (const name of profile.policies.filter((p) => !names.has(p))) {
      problems.push({ code: 'policy.unknown-policy', message: `profile ${profile.name} names unknown policy "${name}"`, file: profile.file })
    }
  }
  return problems
}
