// Suppression pragmas in Dockerfile comments: Plimsoll's own and hadolint's.
//
//   # plimsoll ignore=rule-id[,alias…] reason="why"      the next instruction (comment and blank lines may come between)
//   # plimsoll global ignore=rule-id[,…] reason="why"    every finding of those rules
//   # hadolint ignore=DL3008,DL3009 # why               the instruction on the very next line, as hadolint does
//   # hadolint global ignore=DL3008 # why
//
// A comment that does not parse is not a pragma, and is not an error either: the findings it meant to hide
// stay in the verdict, where someone will see them, which is the safe way for a typo to fail.
import type { DockerfileFacts } from '../facts/types.js'

/** The pragma kinds, with the names `Suppression.kind` uses. */
export type PragmaKind = 'inline' | 'stage' | 'global' | 'hadolint-inline' | 'hadolint-stage' | 'hadolint-global'

/** What one comment asks to suppress. */
export interface ParsedPragma {
  readonly kind: PragmaKind
  /** Rule ids or aliases (hadolint pragmas: hadolint codes), as written, in order. */
  readonly ids: readonly string[]
  /** `reason="…"`, else the text of a trailing `# …` comment; "" when neither is given. */
  readonly reason: string
}

/** A pragma with where it is and what it applies to. */
export interface Pragma extends ParsedPragma {
  /** Line of the comment. */
  readonly line: number
  /** Inline kinds: the line of the instruction it applies to, 0 when there is none; other kinds: 0. */
  readonly target: number
  /** Stage kinds: the label (name or index) of the stage it applies to, "" when none; other kinds: "". */
  readonly stage: string
}

// Rule ids are kebab-case; aliases look like DL3002, DS-0002, CKV_DOCKER_8, CIS-DI-0001 or a KICS UUID.
const ID = String.raw`[A-Za-z0-9_][A-Za-z0-9_.:-]*`
const SP = String.raw`[ \t]`
const PLIMSOLL = new RegExp(
  String.raw`^plimsoll${SP}+(?:(global|stage)${SP}+)?ignore${SP}*=${SP}*(${ID}(?:${SP}*,${SP}*${ID})*)` +
  String.raw`(?:${SP}+reason${SP}*=${SP}*"((?:[^"\\]|\\.)*)")?${SP}*(?:#${SP}*(.*))?$`,
)
// hadolint's own grammar (src/Hadolint/Pragma.hs): codes are made of the letters D, L, S, C and digits, so
// `ignore=crazy,DL3002` is no pragma at all (its PragmaSpec says so); a trailing `# …` comment is allowed.
// `stage ignore=…` (both grammars) applies to the stage whose FROM follows it, as in hadolint's PragmaSpec.
const CODE = '[DLSC0-9]+'
const HADOLINT = new RegExp(
  String.raw`^hadolint${SP}+(?:(global|stage)${SP}+)?ignore${SP}*=${SP}*(${CODE}(?:${SP}*,${SP}*${CODE})*)${SP}*(?:#${SP}*(.*))?$`,
)

/** Parses one comment's text (without its `#`); null when it is not a well-formed suppression pragma. */
export function parsePragma (text: string): ParsedPragma | null {
  const line = text.trim()
  const own = PLIMSOLL.exec(line)
  if (own !== null) {
    const quoted = own[3]
    return {
      kind: own[1] === undefined ? 'inline' : own[1] as 'global' | 'stage',
      ids: splitIds(own[2] as string),
      reason: quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (own[4] ?? '').trim(),
    }
  }
  const hadolint = HADOLINT.exec(line)
  if (hadolint !== null) {
    return {
      kind: hadolint[1] === undefined ? 'hadolint-inline' : `hadolint-${hadolint[1] as 'global' | 'stage'}`,
      ids: splitIds(hadolint[2] as string),
      reason: (hadolint[3] ?? '').trim(),
    }
  }
  return null
}

/** Every well-formed pragma among the Dockerfile's comments, in line order, each with the instruction it applies to. */
export function readPragmas (facts: Pick<DockerfileFacts, 'comments' | 'instructions' | 'stages'>): Pragma[] {
  const pragmas: Pragma[] = []
  for (const comment of [...facts.comments].sort((a, b) => a.line - b.line)) {
    const parsed = parsePragma(comment.text)
    if (parsed === null) continue
    const stage = parsed.kind.endsWith('stage') ? stageAfter(comment.line, facts) : ''
    pragmas.push({ ...parsed, line: comment.line, target: targetOf(parsed.kind, comment.line, facts.instructions), stage })
  }
  return pragmas
}

const splitIds = (list: string): string[] => list.split(',').map((id) => id.trim())

// The instruction an inline pragma on `line` applies to. A comment inside a continued instruction is
// part of that instruction, so it points at nothing. Plimsoll's pragma reaches the next instruction
// over comment and blank lines, so that several pragmas and their explanations can stack; hadolint's
// applies to the next line only (Pragma.hs keys it by `line + 1`), and is read the same way here so that
// a Dockerfile hadolint judges one way is not judged another way by the same pragma.
function targetOf (kind: PragmaKind, line: number, instructions: DockerfileFacts['instructions']): number {
  if (!kind.endsWith('inline')) return 0
  if (instructions.some((i) => i.line < line && line <= i.endLine)) return 0
  const next = instructions.find((i) => i.line > line)
  if (next === undefined) return 0
  if (kind === 'hadolint-inline' && next.line !== line + 1) return 0
  return next.line
}

// A stage pragma names the stage whose FROM comes next, by the label findings carry (its name, or its index).
function stageAfter (line: number, facts: Pick<DockerfileFacts, 'instructions' | 'stages'>): string {
  const from = facts.instructions.find((i) => i.line > line && i.keyword === 'FROM')
  const stage = from === undefined ? undefined : facts.stages[from.stage]
  if (stage === undefined) return ''
  return stage.name === '' ? String(stage.index) : stage.name
}
