// The report as one SARIF 2.1.0 log, for code scanning (GitHub, GitLab, IDE viewers): one run holding every
// judged file. A pure function of the report: the same report always renders the same text.
import { createHash } from 'node:crypto'
import type { Finding, Location } from '../../evaluation/engine.js'
import type { Suppression } from '../../policy/suppression-types.js'
import type { Severity } from '../../policy/types.js'
import { changes, fixOf } from '../fix-note.js'
import { describeSuppression } from '../text.js'
import { artifactPath, placeInImage } from './paths.js'
import type { JudgedFile, Report, RuleRun } from './report.js'

// The parts of the SARIF object model written here (a subset of the schema).
type Level = 'error' | 'warning' | 'note'
export interface SarifMessage { readonly text: string, readonly markdown?: string }
export interface SarifArtifactLocation { readonly uri: string, readonly uriBaseId: string }
export interface SarifLocation {
  readonly physicalLocation: {
    readonly artifactLocation: SarifArtifactLocation
    readonly region?: { readonly startLine: number, readonly endLine: number }
  }
  readonly logicalLocations?: ReadonlyArray<{ readonly name: string }>
}
export interface SarifRule {
  readonly id: string
  readonly name: string
  readonly shortDescription: SarifMessage
  readonly fullDescription?: SarifMessage
  readonly help: SarifMessage
  readonly helpUri?: string
  readonly defaultConfiguration: { readonly level: Level }
  readonly properties: { readonly policy: string, readonly aliases: readonly string[], readonly tags: readonly string[] }
}
export interface SarifSuppression { readonly kind: 'inSource' | 'external', readonly justification: string }
/** A text region with columns; an insertion point when it is empty (start == end). */
export interface SarifTextRegion { readonly startLine: number, readonly startColumn: number, readonly endLine: number, readonly endColumn: number }
export interface SarifReplacement { readonly deletedRegion: SarifTextRegion, readonly insertedContent?: { readonly text: string } }
export interface SarifFix {
  readonly description: SarifMessage
  readonly artifactChanges: ReadonlyArray<{ readonly artifactLocation: SarifArtifactLocation, readonly replacements: readonly SarifReplacement[] }>
}
export interface SarifResult {
  readonly ruleId: string
  readonly ruleIndex?: number
  readonly level: Level
  readonly message: SarifMessage
  readonly locations: readonly SarifLocation[]
  readonly partialFingerprints: Readonly<Record<string, string>>
  readonly suppressions?: readonly SarifSuppression[]
  readonly fixes?: readonly SarifFix[]
}
export interface SarifNotification {
  readonly level: Level
  readonly message: SarifMessage
  readonly locations: readonly SarifLocation[]
  readonly descriptor?: { readonly id: string }
  readonly associatedRule?: { readonly id: string, readonly index?: number }
}
export interface SarifLog {
  readonly $schema: string
  readonly version: '2.1.0'
  readonly runs: ReadonlyArray<{
    readonly tool: { readonly driver: { readonly name: string, readonly version: string, readonly semanticVersion: string, readonly rules: readonly SarifRule[] } }
    readonly invocations: ReadonlyArray<{
      readonly executionSuccessful: boolean
      readonly toolExecutionNotifications: readonly SarifNotification[]
      readonly toolConfigurationNotifications: readonly SarifNotification[]
    }>
    readonly artifacts: ReadonlyArray<{ readonly location: SarifArtifactLocation, readonly roles: readonly string[] }>
    readonly results: readonly SarifResult[]
    readonly columnKind: 'utf16CodeUnits'
  }>
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
/** Paths are relative to the checkout, which code scanning knows as %SRCROOT%. */
const SRCROOT = '%SRCROOT%'
export const FINGERPRINT_KEY = 'plimsollFindingHash/v1'

const LEVELS: Readonly<Record<Severity, Level>> = { error: 'error', warning: 'warning', info: 'note' }

// Pragmas live in the Dockerfile; a `.hadolint.yaml` or a waiver file is outside what was judged.
const SUPPRESSION_KINDS: Readonly<Record<Suppression['kind'], SarifSuppression['kind']>> = {
  inline: 'inSource',
  stage: 'inSource',
  global: 'inSource',
  'hadolint-inline': 'inSource',
  'hadolint-stage': 'inSource',
  'hadolint-global': 'inSource',
  'hadolint-config': 'external',
  waiver: 'external',
}

/** Renders the report as a SARIF log: pretty JSON, ending in a newline. */
export function renderSarif (report: Report): string {
  const rules = ruleTable(report.files)
  const results: SarifResult[] = []
  const ruleErrors: SarifNotification[] = []
  const notices: SarifNotification[] = []
  const seen = new Map<string, number>()
  for (const file of report.files) {
    const { verdict } = file
    for (const finding of verdict.findings) results.push(result(file, finding, rules.index, seen))
    for (const finding of verdict.suppressed) {
      const suppression = { kind: SUPPRESSION_KINDS[finding.suppression.kind], justification: describeSuppression(finding.suppression) }
      results.push({ ...result(file, finding, rules.index, seen), suppressions: [suppression] })
    }
    for (const error of verdict.ruleErrors) {
      const index = rules.index.get(ruleKey(error.policy, error.ruleId))
      ruleErrors.push({
        level: 'error',
        message: { text: error.message },
        locations: [sarifLocation(place(file, error.location))],
        descriptor: { id: error.ruleId },
        associatedRule: { id: error.ruleId, ...(index !== undefined && { index }) },
      })
    }
    // Problems in a `.hadolint.yaml` beside the Dockerfile: the user's configuration, not the run, went wrong.
    for (const notice of verdict.notices) {
      const at = place(file, { line: notice.line, endLine: notice.line, file: notice.file })
      notices.push({ level: 'warning', message: { text: notice.message }, locations: [sarifLocation(at)] })
    }
  }
  const uris = [...new Set(report.files.map((f) => uriOf(f.path)))]
  const log: SarifLog = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'plimsoll', version: report.version, semanticVersion: report.version, rules: rules.descriptors } },
      // A rule that could not be evaluated is reported, but the run itself still finished.
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: ruleErrors, toolConfigurationNotifications: notices }],
      artifacts: uris.map((uri) => ({ location: { uri, uriBaseId: SRCROOT }, roles: ['analysisTarget'] })),
      results,
      // Columns (in fixes) count UTF-16 code units, as JavaScript strings do; SARIF asks a run with results to say so.
      columnKind: 'utf16CodeUnits',
    }],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}

const ruleKey = (policy: string, id: string): string => `${policy}/${id}`

/** Every rule that ran on any file, once (the first file's wins), and where each sits in the list. */
function ruleTable (files: readonly JudgedFile[]): { descriptors: SarifRule[], index: Map<string, number> } {
  const descriptors: SarifRule[] = []
  const index = new Map<string, number>()
  for (const rule of files.flatMap((f) => f.rules)) {
    const key = ruleKey(rule.policy, rule.id)
    if (index.has(key)) continue
    index.set(key, descriptors.length)
    descriptors.push(descriptor(rule))
  }
  return { descriptors, index }
}

function descriptor (rule: RuleRun): SarifRule {
  const description = rule.description.trim()
  const markdown = [description, `**Fix:** ${rule.remediation}`, ...(rule.helpUri !== undefined ? [`[Reference](${rule.helpUri})`] : [])]
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    ...(description !== '' && { fullDescription: { text: description } }),
    help: { text: rule.remediation, markdown: markdown.filter((part) => part !== '').join('\n\n') },
    ...(rule.helpUri !== undefined && { helpUri: rule.helpUri }),
    defaultConfiguration: { level: LEVELS[rule.severity] },
    // Aliases as tags too, so a search for hadolint's DL3007 finds the rule.
    properties: { policy: rule.policy, aliases: [...rule.aliases], tags: [...new Set([rule.policy, ...rule.aliases])] },
  }
}

/** "base-image-not-latest" → "BaseImageNotLatest", SARIF's usual form of a rule's name. */
export function pascalCase (id: string): string {
  return id.split(/[^A-Za-z0-9]+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')
}

function result (file: JudgedFile, finding: Finding, index: ReadonlyMap<string, number>, seen: Map<string, number>): SarifResult {
  const at = place(file, finding.location)
  const ruleIndex = index.get(ruleKey(finding.policy, finding.ruleId))
  const fix = sarifFix(file, finding)
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex !== undefined && { ruleIndex }),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [sarifLocation(at)],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint([finding.policy, finding.ruleId, at.uri, at.logical ?? '', finding.message], seen) },
    ...(fix !== undefined && { fixes: [fix] }),
  }
}

/**
 * The finding's fix as SARIF replacements (§3.55-3.57): each edit's region in the file as judged, deleted, then its
 * text inserted; an insertion is an empty region. The edits are on the judged Dockerfile, so that is the artifact,
 * even for a finding that points into a context file. Suppressed findings keep theirs: the result is the same finding.
 */
function sarifFix (file: JudgedFile, finding: Finding): SarifFix | undefined {
  const fix = fixOf(finding)
  // An image has no text to edit.
  if (fix === undefined || finding.location.image !== undefined) return undefined
  const replacements = fix.edits.filter(changes).map((edit): SarifReplacement => ({
    deletedRegion: { startLine: edit.line, startColumn: edit.column, endLine: edit.endLine, endColumn: edit.endColumn },
    ...(edit.text !== '' && { insertedContent: { text: edit.text } }),
  }))
  return { description: { text: fix.description }, artifactChanges: [{ artifactLocation: { uri: uriOf(file.path), uriBaseId: SRCROOT }, replacements }] }
}

/**
 * A finding's identity without its line, so code scanning follows it when lines above it move. Findings alike
 * in everything (the same instruction text twice) are told apart by their order, as GitHub's own hashes are.
 */
function fingerprint (parts: readonly string[], seen: Map<string, number>): string {
  const hash = createHash('sha256').update(parts.join('\0')).digest('hex')
  const occurrence = (seen.get(hash) ?? 0) + 1
  seen.set(hash, occurrence)
  return `${hash}:${occurrence}`
}

/** Where a location points: a file (and its lines), or, on an image, which has no lines, a named place in it. */
interface Place { readonly uri: string, readonly lines?: { startLine: number, endLine: number }, readonly logical?: string }

function place (file: JudgedFile, location: Location): Place {
  const image = location.image
  if (image !== undefined) {
    return { uri: uriOf(file.path), logical: placeInImage(image) ?? 'image' }
  }
  return { uri: uriOf(artifactPath(file.path, location)), lines: { startLine: location.line, endLine: location.endLine } }
}

function sarifLocation (at: Place): SarifLocation {
  return {
    physicalLocation: { artifactLocation: { uri: at.uri, uriBaseId: SRCROOT }, ...(at.lines !== undefined && { region: at.lines }) },
    ...(at.logical !== undefined && { logicalLocations: [{ name: at.logical }] }),
  }
}

/** A path as a URI reference: posix separators, each segment percent-encoded so a space or '#' stays part of a name. */
const uriOf = (path: string): string => path.replaceAll('\\', '/').split('/').map(encodeURIComponent).join('/')
