// Several variants of one image side by side: what each is (size, layers, user, shell…), how each fared,
// and, rule by rule, where they differ. Pure: verdicts and facts in, a comparison out.
import type { ImageDocumentKind, ImageFacts } from '../facts/image-types.js'
import type { DockerfileFacts } from '../facts/types.js'
import type { Severity } from '../policy/types.js'
import type { Verdict } from './verdict.js'

/** A rule selected for a variant, and on how many of its subjects (its Dockerfile, its image) it has a check. */
export interface SelectedRule {
  readonly id: string
  readonly policy: string
  readonly title: string
  readonly severity: Severity
  /** 1, or 2 for a Dockerfile rule with an image check when both a Dockerfile and an image were sent; 0: none of them. */
  readonly checks: number
}

/** One variant after evaluation: what was sent (as facts), the verdict, and the rules its selection held. */
export interface EvaluatedVariant {
  readonly label: string
  readonly dockerfile: DockerfileFacts | null
  readonly image: ImageFacts | null
  readonly verdict: Verdict
  readonly rules: readonly SelectedRule[]
}

/**
 * How a rule fared on a variant. `notEvaluated`: selected, but what was sent cannot judge it (no file listing,
 * a pack that does not apply); `notRun`: not selected, or it has no check for what was sent (an image rule on
 * a Dockerfile); `error`: its expression failed; `suppressed`: it failed, and a pragma or waiver hides that.
 */
export type RuleOutcome = 'pass' | 'fail' | 'suppressed' | 'error' | 'notEvaluated' | 'notRun'

/** What a variant is and how it fared. Image facts win over the Dockerfile's when both were sent: the image is what runs. */
export interface VariantSummary {
  readonly label: string
  /** "dockerfile", the image document's kind ("docker-inspect", "docker-archive"…), or "both". */
  readonly kind: 'dockerfile' | ImageDocumentKind | 'both'
  /** The image document's kind; null for a Dockerfile alone. */
  readonly imageKind: ImageDocumentKind | null
  /** Bytes of the layers as stored; null when unknown (always for a Dockerfile alone). */
  readonly size: number | null
  /**
   * The image's layers; for a Dockerfile alone, the layers it adds: its RUN, COPY and ADD instructions in
   * the stages that end up in the image (the final one and those it is built FROM), not its base image's.
   * Null when the document does not list layers (an index).
   */
  readonly layers: number | null
  /** The user it runs as: the image's configured user ("" = root), or the Dockerfile's final USER ("" = the base image's). */
  readonly user: string
  /** Whether that user is root; null for a Dockerfile without USER (the base image decides). */
  readonly root: boolean | null
  /** A shell is among the image's files; null when unknown (no file listing, or a Dockerfile alone). */
  readonly shell: boolean | null
  /** The shells found (/bin/sh, busybox…); null when unknown. */
  readonly shells: readonly string[] | null
  /** A package manager is among the image's files; null when unknown. */
  readonly packageManager: boolean | null
  /** The package managers found (apk, dpkg, pip…); null when unknown. */
  readonly packageManagers: readonly string[] | null
  /** Exposed ports as port/protocol ("8080/tcp", "8000-8010/udp"); as written when not valid. */
  readonly exposedPorts: readonly string[]
  readonly verdict: Verdict['verdict']
  readonly summary: Verdict['summary']
}

/** One rule that ran on at least one variant, and its outcome on each, in the order of the variants. */
export interface RuleComparison {
  readonly ruleId: string
  readonly policy: string
  readonly title: string
  readonly severity: Severity
  readonly outcomes: readonly RuleOutcome[]
}

/** A rule some variants pass and others fail. */
export interface RuleDifference {
  readonly ruleId: string
  readonly severity: Severity
  /** Labels of the variants that pass it. */
  readonly passes: readonly string[]
  /** Labels of the variants that fail it. */
  readonly fails: readonly string[]
}

/** The answer to a comparison: variants side by side, rule by rule, and where pass turns to fail. */
export interface Comparison {
  readonly variants: readonly VariantSummary[]
  /** Rules that ran (passed, failed, were suppressed or errored) on at least one variant, in policy order. */
  readonly rules: readonly RuleComparison[]
  readonly differences: readonly RuleDifference[]
  readonly policySet: Verdict['policySet']
}

/** Compares evaluated variants; `policySet` is the first verdict's (all share one evaluation's policy set). */
export function compareVariants (variants: readonly EvaluatedVariant[]): Comparison {
  const rules = ruleRows(variants)
  return {
    variants: variants.map(summarise),
    rules,
    differences: rules.flatMap((row) => {
      const passes = labelsWith(variants, row, 'pass')
      const fails = labelsWith(variants, row, 'fail')
      return passes.length > 0 && fails.length > 0 ? [{ ruleId: row.ruleId, severity: row.severity, passes, fails }] : []
    }),
    policySet: variants[0]?.verdict.policySet ?? { policies: [], digest: '' },
  }
}

const labelsWith = (variants: readonly EvaluatedVariant[], row: RuleComparison, outcome: RuleOutcome): string[] =>
  variants.flatMap((variant, index) => row.outcomes[index] === outcome ? [variant.label] : [])

function ruleRows (variants: readonly EvaluatedVariant[]): RuleComparison[] {
  const known = new Map<string, SelectedRule>()
  for (const variant of variants) for (const rule of variant.rules) if (!known.has(rule.id)) known.set(rule.id, rule)
  return [...known.values()]
    .map((rule) => ({ ruleId: rule.id, policy: rule.policy, title: rule.title, severity: rule.severity, outcomes: variants.map((variant) => outcomeOf(rule.id, variant)) }))
    .filter((row) => row.outcomes.some(ran))
}

const ran = (outcome: RuleOutcome): boolean => outcome !== 'notEvaluated' && outcome !== 'notRun'

/** A failure anywhere wins, then an error, then a hidden failure; a rule not evaluated on every subject it has a check for did run. */
export function outcomeOf (ruleId: string, variant: EvaluatedVariant): RuleOutcome {
  const rule = variant.rules.find((r) => r.id === ruleId)
  if (rule === undefined || rule.checks === 0) return 'notRun'
  const { verdict } = variant
  if (verdict.findings.some((f) => f.ruleId === ruleId)) return 'fail'
  if (verdict.ruleErrors.some((e) => e.ruleId === ruleId)) return 'error'
  if (verdict.suppressed.some((f) => f.ruleId === ruleId)) return 'suppressed'
  const skipped = verdict.notEvaluated.filter((n) => n.ruleId === ruleId).length
  return skipped >= rule.checks ? 'notEvaluated' : 'pass'
}

function summarise (variant: EvaluatedVariant): VariantSummary {
  const { image, dockerfile, verdict } = variant
  const facts = image !== null ? imageSummary(image) : dockerfile !== null ? dockerfileSummary(dockerfile) : UNKNOWN
  const kind = image === null ? 'dockerfile' : dockerfile === null ? image.kind : 'both'
  return { label: variant.label, kind, imageKind: image?.kind ?? null, ...facts, verdict: verdict.verdict, summary: verdict.summary }
}

type Facts = Omit<VariantSummary, 'label' | 'kind' | 'imageKind' | 'verdict' | 'summary'>

const UNKNOWN: Facts = { size: null, layers: null, user: '', root: null, shell: null, shells: null, packageManager: null, packageManagers: null, exposedPorts: [] }

const INDEX_KINDS: ReadonlySet<ImageDocumentKind> = new Set(['oci-index', 'docker-manifest-list'])

function imageSummary (image: ImageFacts): Facts {
  const files = image.has.files
  return {
    size: image.size < 0 ? null : image.size,
    // An index lists platforms, not layers; every other kind of document lists them.
    layers: INDEX_KINDS.has(image.kind) ? null : image.layers.length,
    user: image.user.name,
    root: image.user.isRoot,
    shell: files ? image.shells.length > 0 : null,
    shells: files ? image.shells : null,
    packageManager: files ? image.packageManagers.length > 0 : null,
    packageManagers: files ? image.packageManagers : null,
    exposedPorts: image.exposedPorts.map(portText),
  }
}

/** `8080/tcp`, `8000-8010/udp`: a Dockerfile's `EXPOSE 8080` and an image's `8080/tcp` read the same. */
function portText (port: { readonly text: string, readonly port: number, readonly endPort: number, readonly protocol: string, readonly valid: boolean }): string {
  if (!port.valid) return port.text
  return `${port.port}${port.endPort === port.port ? '' : `-${port.endPort}`}/${port.protocol}`
}

/** The keywords that add a layer to the image (the others change only its config). */
const LAYER_KEYWORDS = new Set(['RUN', 'COPY', 'ADD'])

function dockerfileSummary (dockerfile: DockerfileFacts): Facts {
  const final = dockerfile.stages[dockerfile.finalStage]
  if (final === undefined) return UNKNOWN
  const layers = dockerfile.stages
    .filter((stage) => stage.inFinalImage)
    .reduce((sum, stage) => sum + stage.instructions.filter((i) => LAYER_KEYWORDS.has(i.keyword)).length, 0)
  return {
    ...UNKNOWN,
    layers,
    user: final.user.name,
    root: final.user.name === '' ? null : final.user.isRoot,
    exposedPorts: final.exposedPorts.map(portText),
  }
}

/** The facts of the variants as rows of plain cells, for the text and markdown renderers. */
export function factRows (comparison: Comparison): Array<{ readonly name: string, readonly cells: readonly string[] }> {
  const row = (name: string, cell: (v: VariantSummary) => string) => ({ name, cells: comparison.variants.map(cell) })
  const known = <T>(value: T | null, show: (value: T) => string): string => value === null ? 'unknown' : show(value)
  const found = (present: boolean | null, names: readonly string[] | null): string =>
    present === null ? 'unknown' : present ? `yes (${(names ?? []).join(', ')})` : 'no'
  return [
    row('Kind', (v) => v.kind === 'both' ? `dockerfile + ${v.imageKind ?? ''}` : v.kind),
    row('Verdict', (v) => v.verdict),
    row('Findings (error / warning / info)', (v) => `${v.summary.error} / ${v.summary.warning} / ${v.summary.info}`),
    row('Rules evaluated', (v) => `${v.summary.rulesEvaluated}${v.summary.notEvaluated > 0 ? `, ${v.summary.notEvaluated} not evaluated` : ''}`),
    row('Size', (v) => known(v.size, formatBytes)),
    row('Layers', (v) => known(v.layers, (n) => v.kind === 'dockerfile' ? `base + ${n}` : String(n))),
    row('User', (v) => v.user !== '' ? v.user : v.kind === 'dockerfile' ? '(base image\'s)' : 'root (none set)'),
    row('Shell', (v) => found(v.shell, v.shells)),
    row('Package manager', (v) => found(v.packageManager, v.packageManagers)),
    row('Exposed ports', (v) => v.exposedPorts.length === 0 ? 'none' : v.exposedPorts.join(', ')),
  ]
}

/** Bytes as `docker images` shows them: decimal units, about three significant digits. */
export function formatBytes (bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2
  return `${Number(value.toFixed(digits))} ${units[unit] ?? ''}`
}
