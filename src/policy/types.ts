import type { CommandGuard } from './cel.js'
import type { Waiver } from './suppression-types.js'
import type { Template } from './template.js'
import type { FixExample, FixSpec } from '../fix/types.js'

export type Severity = 'error' | 'warning' | 'info'
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error']
export const DOCKERFILE_SCOPES = ['dockerfile', 'stage', 'final-stage', 'instruction', 'command', 'context-file', 'requirement'] as const
export const IMAGE_SCOPES = ['image', 'image-layer', 'image-file', 'image-history', 'image-command'] as const
export type Scope = typeof DOCKERFILE_SCOPES[number] | typeof IMAGE_SCOPES[number]
export const SCOPES: readonly Scope[] = [...DOCKERFILE_SCOPES, ...IMAGE_SCOPES]
/** What a rule judges: a Dockerfile (with its context files) or an image's metadata. */
export type Subject = 'dockerfile' | 'image'
/** What an image rule needs to be judged: parts of the image (see ImageHas), or the Dockerfile it was built from. */
export type ImageNeed = 'config' | 'history' | 'layers' | 'files' | 'dockerfile'
export const IMAGE_NEEDS: readonly ImageNeed[] = ['config', 'history', 'layers', 'files', 'dockerfile']

/** A parameter a policy declares, with its type and default. */
export interface ParamSpec {
  readonly type: 'string' | 'number' | 'boolean' | 'list' | 'map'
  readonly default: unknown
  readonly description: string
}

/** A compiled CEL expression: takes the variables, returns a value or throws. */
export type Program = (variables: Record<string, unknown>) => unknown

/** A Dockerfile, or an image, a rule must pass or fail on. */
export interface Example {
  /** The Dockerfile; for an image example, the Dockerfile the image was built from ("" when none). */
  readonly dockerfile: string
  readonly files: Readonly<Record<string, string>>
  /** For a fail example: the line the finding must carry. */
  readonly line?: number
  /** For an image rule: the image document, and the file listing an archive would give. */
  readonly image?: ImageExample
}

/** An image in a rule's examples: any document `POST /v1/evaluate` takes, and optionally its files. */
export interface ImageExample {
  readonly document: unknown
  /** The document's kind when detection should not guess. */
  readonly kind?: string
  /** Files as an archive would list them, one per line: `/bin/sh -> busybox`, `/usr/bin/su 4755 0:0`, `/app/`. Absent: no listing. */
  readonly listing?: readonly string[]
}

/** A rule ready to run: its metadata, its compiled expressions and its examples. */
export interface Rule {
  readonly id: string
  readonly policy: string
  readonly title: string
  readonly description: string
  readonly severity: Severity
  readonly scope: Scope
  /** Follows from the scope. */
  readonly subject: Subject
  /** For image rules: what must have been sent to judge it; otherwise it is reported as not evaluated. */
  readonly needs: readonly ImageNeed[]
  /** For the history scopes: judge the base image's steps too, not only the image's own. */
  readonly includeBase: boolean
  /** For command scopes: the `when` holds only for commands with these tools or programs (read off it at load). */
  readonly commandGuard?: CommandGuard
  /** The same practice judged on an image, when the rule (a Dockerfile rule) has an `image:` check: same id, metadata and params. */
  readonly image?: Rule
  /** Instruction keywords the rule runs on (scope instruction); empty means all. */
  readonly keywords: readonly string[]
  readonly aliases: readonly string[]
  readonly tags: readonly string[]
  /** True for rules about context files: not evaluated when the request sent none. */
  readonly needsContext: boolean
  /** False for opt-in rules: they run only when a profile or request names them. */
  readonly enabled: boolean
  /** Parameter values the rule sees as `params` in CEL: its policy's defaults, then profile, config and request values. */
  readonly params: Readonly<Record<string, unknown>>
  readonly references: readonly string[]
  readonly remediation: string
  readonly source: { readonly when?: string, readonly assert: string, readonly line?: string, readonly message: string }
  readonly when?: Program
  readonly assert: Program
  readonly line?: Program
  readonly message: Template
  readonly examples: { readonly fail: readonly Example[], readonly pass: readonly Example[], readonly fix: readonly FixExample[] }
  /** The machine-applicable fix its findings carry, where it is certain (Dockerfile rules only). */
  readonly fix?: FixSpec
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
  /** What the pack mainly judges; each rule's scope decides what it runs on, and a Dockerfile rule may carry an image check. */
  readonly target: Subject
  /** Where the pack applies (CEL over `dockerfile`); undefined: everywhere. */
  readonly when?: Program
  /** The `when` as written; "" when none. */
  readonly whenSource: string
  readonly params: Readonly<Record<string, ParamSpec>>
  readonly file: string
  readonly rules: readonly Rule[]
}

/** A `kind: Profile`: a named selection of packs and rules with overrides. */
export interface Profile {
  readonly name: string
  readonly title: string
  readonly description: string
  /** Packs to use; all loaded packs when empty. */
  readonly policies: readonly string[]
  /** When not empty, exactly the rules matching these ids, aliases or tags (globs allowed), opt-in rules included. */
  readonly rules: readonly string[]
  /** Rules added to the selection (names opt-in rules). */
  readonly include: readonly string[]
  /** Rules removed from the selection. */
  readonly exclude: readonly string[]
  /** Severity overrides by rule id, alias or tag. */
  readonly severity: Readonly<Record<string, Severity>>
  readonly params: Readonly<Record<string, unknown>>
  readonly failOn?: Severity | 'none'
  readonly file: string
}

/** Every policy loaded from a directory, with a digest of the files they came from. */
export interface PolicySet {
  readonly policies: readonly Policy[]
  readonly profiles: readonly Profile[]
  readonly waivers: readonly Waiver[]
  /** "sha256:<hex>" over the file names and contents. */
  readonly digest: string
  /** The files it was compiled from: worker threads compile the same revision from them. */
  readonly sources: readonly PolicySource[]
}

/** A policy, profile or waiver file as text. */
export interface PolicySource { readonly name: string, readonly text: string }
