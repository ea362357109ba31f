// Suppressions, applied once after evaluation (as hadolint's Process.run does): rules never see them, and
// nothing they hide disappears. A suppressed finding moves to `suppressed` with what hid it and why; an
// expired waiver hides nothing and is listed, so the verdict says what its lapse brought back.
import type { DockerfileFacts, ImageRef, Stage } from '../facts/types.js'
import { parseImageRef } from '../inputs/image-ref.js'
import type { Finding } from './engine.js'
import { readPragmas, type Pragma, type PragmaKind } from './pragmas.js'
import type { ExpiredWaiver, HadolintConfig, SuppressedFinding, Suppression, Waiver } from '../policy/suppression-types.js'
import type { Rule } from '../policy/types.js'

/** What suppression needs: the findings, the Dockerfile they are about, and every source of suppressions. */
export interface SuppressionInput {
  readonly findings: readonly Finding[]
  readonly facts: DockerfileFacts
  /** The rules that ran, for their aliases. */
  readonly rules: readonly Rule[]
  readonly hadolint: HadolintConfig | null
  readonly waivers: readonly Waiver[]
  /** Today, UTC, as YYYY-MM-DD: waivers whose `expires` is earlier have lapsed. */
  readonly today: string
}

/** Findings split into those still reported and those suppressed, plus the waivers that have lapsed. */
export interface SuppressionOutcome {
  readonly findings: Finding[]
  readonly suppressed: SuppressedFinding[]
  readonly expiredWaivers: ExpiredWaiver[]
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
// The order in which a finding's suppression is chosen when several apply: the narrowest, nearest one first.
const PRAGMA_ORDER: readonly PragmaKind[] = ['inline', 'hadolint-inline', 'stage', 'hadolint-stage', 'global', 'hadolint-global']

/**
 * Splits findings into reported and suppressed. A finding several things suppress gets the first of: inline,
 * hadolint-inline, stage, hadolint-stage, global, hadolint-global, hadolint-config, waiver. Pure: `today` is the only clock.
 */
export function applySuppressions (input: SuppressionInput): SuppressionOutcome {
  // A malformed date is the caller's bug, not the user's: string comparison would silently misjudge expiry.
  if (!DATE.test(input.today)) throw new TypeError(`today must be YYYY-MM-DD, got "${input.today}"`)
  const { facts, hadolint } = input
  const active = input.waivers.filter((w) => w.expires >= input.today)
  const expired = input.waivers.filter((w) => w.expires < input.today)
  // Nothing to suppress (a clean Dockerfile, the common case): no pragmas to read, and a lapsed waiver brought back nothing.
  if (input.findings.length === 0) return { findings: [], suppressed: [], expiredWaivers: expired.map((w) => ({ ...w, findings: 0 })) }
  const pragmas = readPragmas(facts).filter((p) => hadolint?.disableIgnorePragma !== true || !p.kind.startsWith('hadolint'))
  const names = namesOf(input.rules)

  const findings: Finding[] = []
  const suppressed: SuppressedFinding[] = []
  for (const finding of input.findings) {
    const ids = names(finding)
    const suppression = byPragma(pragmas, finding, ids) ?? byConfig(hadolint, ids) ?? byWaiver(active, finding, ids, facts)
    if (suppression === null) findings.push(finding)
    else suppressed.push({ ...finding, suppression })
  }
  // "Would have matched": every finding of its rule and scope, whatever else hides it today.
  const expiredWaivers = expired.map((w) => ({ ...w, findings: input.findings.filter((f) => waives(w, f, names(f), facts)).length }))
  return { findings, suppressed, expiredWaivers }
}

/** A finding's names: its rule id and aliases, and those of the rule it came from. */
interface Names { readonly id: string, readonly aliases: ReadonlySet<string> }

function namesOf (rules: readonly Rule[]): (finding: Finding) => Names {
  const byId = new Map(rules.map((rule) => [rule.id, rule.aliases]))
  return (finding) => ({ id: finding.ruleId, aliases: new Set([...finding.aliases, ...(byId.get(finding.ruleId) ?? [])]) })
}

// hadolint's names are its codes, so its pragmas match aliases only; Plimsoll's own match ids and aliases.
const named = (id: string, names: Names, aliasesOnly = false): boolean => (!aliasesOnly && id === names.id) || names.aliases.has(id)

function byPragma (pragmas: readonly Pragma[], finding: Finding, names: Names): Suppression | null {
  for (const kind of PRAGMA_ORDER) {
    const inline = kind.endsWith('inline')
    const stage = kind.endsWith('stage')
    const pragma = pragmas.find((p) => p.kind === kind &&
      // An inline pragma is about the Dockerfile line below it; findings in context files have lines of their own.
      (!inline || (p.target === finding.location.line && finding.location.file === undefined)) &&
      (!stage || (p.stage !== '' && p.stage === finding.location.stage && finding.location.file === undefined)) &&
      p.ids.some((id) => named(id, names, kind.startsWith('hadolint'))))
    if (pragma !== undefined) return { kind, reason: pragma.reason, line: pragma.line, owner: '', expires: '', file: '' }
  }
  return null
}

function byConfig (config: HadolintConfig | null, names: Names): Suppression | null {
  if (config === null || !config.ignored.some((id) => named(id, names))) return null
  return { kind: 'hadolint-config', reason: '', line: 0, owner: '', expires: '', file: config.file ?? '.hadolint.yaml' }
}

function byWaiver (waivers: readonly Waiver[], finding: Finding, names: Names, facts: DockerfileFacts): Suppression | null {
  const waiver = waivers.find((w) => waives(w, finding, names, facts))
  if (waiver === undefined) return null
  return { kind: 'waiver', reason: waiver.reason, line: 0, owner: waiver.owner, expires: waiver.expires, file: waiver.file }
}

function waives (waiver: Waiver, finding: Finding, names: Names, facts: DockerfileFacts): boolean {
  if (!named(waiver.rule, names)) return false
  const stage = stageOf(finding, facts)
  if (waiver.scope.stage !== undefined && !inStage(waiver.scope.stage, finding, stage)) return false
  if (waiver.scope.image !== undefined && !onImage(waiver.scope.image, finding, stage)) return false
  return true
}

const labelOf = (stage: Stage): string => stage.name === '' ? String(stage.index) : stage.name

function stageOf (finding: Finding, facts: DockerfileFacts): Stage | undefined {
  const label = finding.location.stage
  return label === undefined ? undefined : facts.stages.find((s) => labelOf(s) === label)
}

// A stage is named by its name (Docker compares them case-insensitively) or by its index, which names it
// even when it also has a name: stage names cannot be all digits.
function inStage (wanted: string, finding: Finding, stage: Stage | undefined): boolean {
  if (stage === undefined) return finding.location.stage === wanted
  return /^\d+$/.test(wanted) ? stage.index === Number(wanted) : stage.name === wanted.toLowerCase()
}

// An image is mentioned when the finding's stage is built on it (directly or through `FROM <stage>`), or
// when its message names it as a word of its own: `python` must not match `pythonista` or `python-slim`.
function onImage (wanted: string, finding: Finding, stage: Stage | undefined): boolean {
  const want = parseImageRef(wanted, wanted, new Set(), [])
  if (stage !== undefined && [stage.from, stage.baseImage].some((ref) => sameImage(want, ref))) return true
  return finding.message.split(/[\s`'"=,;()]+/).includes(wanted)
}

// Same registry and repository (docker.io's `library/` spelled or not); a wanted tag or digest must match,
// and an image written without them stands for all of its tags.
function sameImage (want: ImageRef, ref: ImageRef): boolean {
  if (ref.stage !== '' || ref.repository === '') return false
  const [a, b] = [normalise(want), normalise(ref)]
  return a.registry === b.registry && a.repository === b.repository &&
    (want.tag === '' || want.tag === ref.tag) && (want.digest === '' || want.digest === ref.digest)
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

function normalise (ref: ImageRef): { registry: string, repository: string } {
  const registry = ref.registry.toLowerCase()
  if (!DOCKER_HUB.has(registry)) return { registry, repository: ref.repository }
  return { registry: 'docker.io', repository: ref.repository.replace(/^library\//, '') }
}
