// Contracts for suppressions: inline pragmas, hadolint pragmas and config, and waivers.
import type { Finding } from '../evaluation/engine.js'
import type { Severity } from './types.js'

/** How a finding came to be suppressed. */
export interface Suppression {
  /**
   * inline: `# plimsoll ignore=…` on the line before the instruction; stage: `# plimsoll stage ignore=…` before
   * a FROM, for that stage; global: `# plimsoll global ignore=…`;
   * hadolint-inline / hadolint-global: hadolint's pragmas, matched through aliases; hadolint-config: the
   * `ignored` list of a `.hadolint.yaml` context file; waiver: a `kind: Waivers` entry.
   */
  readonly kind: 'inline' | 'stage' | 'global' | 'hadolint-inline' | 'hadolint-stage' | 'hadolint-global' | 'hadolint-config' | 'waiver'
  /** Why, as written (`reason="…"`, the waiver's reason); "" when none was given. */
  readonly reason: string
  /** Line of the pragma in the Dockerfile; 0 for config files and waivers. */
  readonly line: number
  /** The waiver's owner; "" for other kinds. */
  readonly owner: string
  /** The waiver's expiry date (YYYY-MM-DD); "" for other kinds. */
  readonly expires: string
  /** The file the waiver or config came from; "" for pragmas. */
  readonly file: string
}

/** A finding that a suppression hid: still reported, under `suppressed`. */
export interface SuppressedFinding extends Finding {
  readonly suppression: Suppression
}

/** A waiver from a `kind: Waivers` policy file. */
export interface Waiver {
  /** Rule id or alias it waives. */
  readonly rule: string
  /** Where it applies; an empty scope applies to every finding of the rule. */
  readonly scope: {
    /** Only findings in this stage (name or index). */
    readonly stage?: string
    /** Only findings whose message or location mentions this image reference (e.g. a base image). */
    readonly image?: string
  }
  readonly reason: string
  readonly owner: string
  /** YYYY-MM-DD; the waiver stops suppressing after this day (UTC). */
  readonly expires: string
  readonly file: string
  readonly line: number
}

/** A waiver that has expired: it no longer suppresses, and the verdict says so. */
export interface ExpiredWaiver extends Waiver {
  readonly findings: number
}

/** What a `.hadolint.yaml` context file asks for, in Plimsoll's terms. */
export interface HadolintConfig {
  /** Rule ids or aliases (DL codes) to suppress (`ignored`). */
  readonly ignored: readonly string[]
  /** Severity overrides by rule id or alias (`override.error|warning|info|style`; style maps to info). */
  readonly severity: Readonly<Record<string, Severity>>
  /** Parameters for the shipped rules: trustedRegistries, labelSchema, strictLabels. */
  readonly params: Readonly<Record<string, unknown>>
  /**
   * `failure-threshold` mapped: error and warning as they are; info, style, ignore and none → info (hadolint
   * fails on any finding at its lowest thresholds); `no-fail: true` → none. Undefined when neither is set.
   */
  readonly failOn?: Severity | 'none'
  /** `disable-ignore-pragma: true`: `# hadolint ignore=…` pragmas are not honoured (Plimsoll's own still are). */
  readonly disableIgnorePragma?: boolean
  /** The context file it was read from: `.hadolint.yaml` or `.hadolint.yml`. */
  readonly file?: string
  /** Problems reading it, with lines; a bad config is reported, not fatal. */
  readonly problems: ReadonlyArray<{ readonly line: number, readonly message: string }>
}
