// What every report format is a function of: the judged files, each with its verdict and the rules that ran
// on it. A single evaluation is a batch of one, so each format handles many files the same way.
import type { Severity } from '../../policy/types.js'
import type { Verdict } from '../verdict.js'

/** A rule that ran, with the severity it ran at (a profile or `.hadolint.yaml` may have changed it). */
export interface RuleRun {
  readonly id: string
  readonly policy: string
  readonly title: string
  readonly description: string
  readonly severity: Severity
  readonly remediation: string
  readonly aliases: readonly string[]
  /** The rule's first reference, when it has one. */
  readonly helpUri?: string
}

/** One judged Dockerfile (or image). */
export interface JudgedFile {
  /** The path reports point at, as the caller named it ("Dockerfile" when not given). */
  readonly path: string
  readonly verdict: Verdict
  /** The rules that ran on it, in the order they ran; a rule listed under `verdict.notEvaluated` is not here. */
  readonly rules: readonly RuleRun[]
}

export interface Report {
  readonly files: readonly JudgedFile[]
  /** Plimsoll's version, for the formats that name their tool. */
  readonly version: string
  /** Answered as a batch (JSON `{ summary, results }`) even when it holds one file. */
  readonly batch?: boolean
}

export const FORMATS = ['json', 'sarif', 'junit', 'gitlab', 'checkstyle', 'github', 'text'] as const
export type Format = typeof FORMATS[number]
