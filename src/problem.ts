/** Something a user got wrong, with where. Used for bad input and for bad policies. */
export interface Problem {
  /** Stable, dotted code: "policy.schema", "input.empty-dockerfile". */
  readonly code: string
  readonly message: string
  readonly file?: string
  readonly line?: number
  readonly column?: number
  /** JSON Pointer into the document the problem is in. */
  readonly pointer?: string
}

/** A key as one JSON Pointer token (RFC 6901): `~` and `/` escaped. */
export const pointerToken = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1')

export type Result<T> = { readonly ok: true, readonly value: T } | { readonly ok: false, readonly problems: readonly Problem[] }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const failed = <T>(problems: readonly Problem[]): Result<T> => ({ ok: false, problems })
