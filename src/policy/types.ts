import type { Template } from './template.js'

export type Severity = 'error' | 'warning' | 'info'
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error']
export type Scope = 'dockerfile' | 'stage' | 'final-stage' | 'instruction'

/** A compiled CEL expression: takes the variables, returns a value or throws. */
export type Program = (variables: Record<string, unknown>) => unknown

/** A Dockerfile a rule must pass or fail on. */
export interface Example {
  readonly dockerfile: string
  readonly files: Readonly<Record<string, string>>
  /** For a fail example: the line the finding must carry. */
  readonly line?: number
}

/** A rule ready to run: its metadata, its compiled expressions and its examples. */
export interface Rule {
  readonly id: string
  readonly policy: string
  readonly title: string
  readonly description: string
  readonly severity: Severity
  readonly scope: Scope
  /** Instruction keywords the rule runs on (scope instruction); empty means all. */
  readonly keywords: readonly string[]
  readonly aliases: readonly string[]
  readonly tags: readonly string[]
  readonly references: readonly string[]
  readonly remediation: string
  readonly source: { readonly when?: string, readonly assert: string, readonly line?: string, readonly message: string }
  readonly when?: Program
  readonly assert: Program
  readonly line?: Program
  readonly message: Template
  readonly examples: { readonly fail: readonly Example[], readonly pass: readonly Example[] }
  /** Where the rule is written. */
  readonly file: string
  readonly fileLine: number
}

/** One policy file, loaded. */
export interface Policy {
  readonly name: string
  readonly title: string
  readonly version: string
  readonly description: string
  readonly file: string
  readonly rules: readonly Rule[]
}

/** Every policy loaded from a directory, with a digest of the files they came from. */
export interface PolicySet {
  readonly policies: readonly Policy[]
  /** "sha256:<hex>" over the file names and contents. */
  readonly digest: string
}
