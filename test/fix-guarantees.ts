// The guarantees fixes give (issue 13), checked on one Dockerfile: the fixed file parses with every instruction
// kept, the fixed findings are gone and nothing new is reported, fixing again changes nothing, and the stages are
// the same. Shared by test/fix-corpus.test.ts and scripts/fix-corpus.ts. Each check returns what broke, as short
// messages naming the rule and the lines of the diff around it; [] when the guarantee holds.
import { isDeepStrictEqual } from 'node:util'
import { evaluate, type EvaluateRequest } from '../src/evaluate.js'
import type { Finding } from '../src/evaluation/engine.js'
import type { DockerfileFacts, Instruction, Stage } from '../src/facts/types.js'
import { applyFixes } from '../src/fix/apply.js'
import type { Splice } from '../src/fix/document.js'
import { fixDockerfile, unifiedDiff, type Fixed } from '../src/fix/fixer.js'
import type { TextEdit } from '../src/fix/types.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { SourceText } from '../src/inputs/source-text.js'
import type { PolicySet } from '../src/policy/types.js'
import { ok, type Result } from '../src/problem.js'
import type { Verdict } from '../src/verdict/verdict.js'

/** One text the fixer produced (or the Dockerfile as sent) and its verdict under the same request. */
export interface Step {
  readonly text: string
  readonly verdict: Result<Verdict>
}

/** A Dockerfile fixed as the service fixes it: judged, fixed, each pass's text judged again with the same request. */
export interface FixRun {
  readonly name: string
  readonly request: EvaluateRequest
  /** The Dockerfile as sent, then the text after each pass: steps[p] is the text after pass p. */
  readonly steps: readonly Step[]
  readonly fixed: Fixed
  /** Judges a text with the same request (for fixing the fixed file again). */
  readonly judge: (text: string) => Result<Verdict>
}

export interface Failures {
  readonly parses: string[]
  readonly findings: string[]
  readonly idempotent: string[]
  readonly stages: string[]
}

const OPTIONS = { defaultFailOn: 'none' } as const

/**
 * Evaluates `dockerfile` and fixes it as evaluateAndFix (src/fix/evaluate-fix.ts) does, keeping every judged text
 * and its verdict: each pass's text is judged once and the checks reuse that verdict. Null when the Dockerfile as
 * sent is refused (an empty file).
 */
export function fixFile (set: PolicySet, request: EvaluateRequest & { readonly dockerfile: string }, name: string): FixRun | null {
  const judge = (text: string): Result<Verdict> => evaluate(set, { ...request, dockerfile: text }, OPTIONS)
  const first = judge(request.dockerfile)
  if (!first.ok) return null
  const steps: Step[] = [{ text: request.dockerfile, verdict: first }]
  const fixed = fixDockerfile(request.dockerfile, first.value.findings, (text) => {
    const verdict = judge(text)
    steps.push({ text, verdict })
    return verdict.ok ? ok(verdict.value.findings) : verdict
  }, name)
  return { name, request, steps, fixed, judge }
}

/** Every guarantee on one fixed Dockerfile. */
export function checkGuarantees (run: FixRun): Failures {
  const shape = checkShape(run)
  return { parses: shape.parses, findings: checkFindings(run), idempotent: checkIdempotent(run), stages: shape.stages }
}

// ---- The fixed file parses, with every instruction kept --------------------------------------------------------

/** An instruction of the Dockerfile as sent, followed pass by pass into the fixed file. */
interface Followed {
  /** Its index in the instructions of the text after the last pass followed. */
  index: number
  /** The rules whose edits touched it, in any pass. */
  readonly touchedBy: Set<string>
}

/**
 * Checks each pass on its own, with the edits it applied: every instruction before the pass is found again after
 * it, starting where its start moves to through the edits (so none is lost, merged or split off its start); one no
 * edit touched reads exactly as before; and every instruction after the pass that is not one of those starts inside
 * text a fix inserted, with a keyword Docker knows. So the fixed file has the instructions of the Dockerfile as sent
 * plus exactly those fixes insert. Then, over all passes: each RUN, CMD and ENTRYPOINT that ran shell commands still
 * does (its shell text still parses), or is now in exec form with the same words, or no longer has that keyword
 * because a fix replaced it. And the stages: same count, names, dependsOn, isFinal and `from.text` (only the tag may
 * change, and only on a FROM a fix edited); not compared when the instructions could not be followed.
 */
function checkShape (run: FixRun): { parses: string[], stages: string[] } {
  const parses: string[] = []
  if (run.fixed.dockerfile !== run.steps[run.steps.length - 1]?.text) parses.push('the fixed Dockerfile is not the last text the fixer judged')
  // No pass: the Dockerfile as sent, judged already, is the fixed one (half the corpus; its facts are not built again).
  if (run.steps.length === 1) return { parses, stages: [] }
  const files = run.request.files ?? {}
  const facts: DockerfileFacts[] = []
  for (const [pass, step] of run.steps.entries()) {
    try {
      facts.push(dockerfileFacts(step.text, files))
    } catch (error) {
      parses.push(`after pass ${pass}, dockerfileFacts throws: ${(error as Error).message}\n${excerpt(unifiedDiff(run.steps[0]?.text ?? '', step.text), [])}`)
      return { parses, stages: [] }
    }
  }
  const original = facts[0] as DockerfileFacts
  const followed: Followed[] = original.instructions.map((_, index) => ({ index, touchedBy: new Set() }))
  for (let pass = 1; pass < run.steps.length; pass++) {
    const problems = followPass(run, pass, facts[pass - 1] as DockerfileFacts, facts[pass] as DockerfileFacts, followed)
    parses.push(...problems)
    if (problems.length > 0) return { parses, stages: [] }
  }
  const fixed = facts[facts.length - 1] as DockerfileFacts
  const diff = run.fixed.diff
  for (const [index, before] of original.instructions.entries()) {
    const { index: at, touchedBy } = followed[index] as Followed
    const after = fixed.instructions[at] as Instruction
    if (!['RUN', 'CMD', 'ENTRYPOINT'].includes(before.keyword) || before.commands.length === 0 || after.keyword !== before.keyword) continue
    if (before.form === 'shell' && after.form === 'exec') {
      if (!sameWords(after.execArgs, before)) parses.push(`${rules(touchedBy)}: ${before.keyword} on line ${before.line} in exec form runs ${JSON.stringify(after.execArgs)}, not the words of \`${before.text}\`\n${excerpt(diff, [after.line])}`)
      continue
    }
    if (after.commands.length > 0) continue
    parses.push(`${rules(touchedBy)}: ${before.keyword} on line ${before.line} ran ${before.commands.length} shell command(s); on line ${after.line} of the fixed file it runs none (its shell text no longer parses)\n${excerpt(diff, [after.line])}`)
  }
  return { parses, stages: checkStages(original, fixed, followed, diff) }
}

// Exec form with the words of the shell form: as written, or those of its one command (wrappers such as `exec` peeled).
function sameWords (execArgs: readonly string[], shellForm: Instruction): boolean {
  const [only, ...more] = shellForm.commands
  return isDeepStrictEqual(execArgs, shellForm.args) || (only !== undefined && more.length === 0 && isDeepStrictEqual(execArgs, [only.name, ...only.args]))
}

const KEYWORDS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'])

/** Follows the instructions through pass `pass` (steps[pass - 1] → steps[pass]); what broke, else []. */
function followPass (run: FixRun, pass: number, before: DockerfileFacts, after: DockerfileFacts, followed: Followed[]): string[] {
  const from = run.steps[pass - 1] as Step
  const to = run.steps[pass] as Step
  const diff = unifiedDiff(from.text, to.text)
  const where = `pass ${pass}`
  if (!from.verdict.ok) return [`${where}: the text it fixed was not judged`]
  // The applied fixes' findings, matched in order among the findings of the text the pass fixed.
  const unused = from.verdict.value.findings.filter((finding) => finding.fix !== undefined)
  const fixes: Finding[] = []
  for (const applied of run.fixed.applied.filter((a) => a.pass === pass)) {
    const at = unused.findIndex((f) => f.ruleId === applied.ruleId && f.message === applied.message && f.location.line === applied.line)
    if (at === -1) return [`${applied.ruleId}: ${where} applied a fix for line ${applied.line} that no finding carries`]
    fixes.push(...unused.splice(at, 1))
  }
  // Those fixes, applied again, must give the pass's text: then their edits are exactly what changed.
  const source = new SourceText(from.text)
  const pending = fixes.map((finding) => ({ finding, splices: (finding.fix?.edits ?? []).map((edit) => toSplice(source, edit)) }))
  const again = applyFixes(from.text, pending)
  if (again.text !== to.text || again.applied.length !== fixes.length) {
    return [`${where}: its applied fixes (${fixes.map((f) => f.ruleId).join(', ')}) give another text than the fixer's\n${excerpt(unifiedDiff(to.text, again.text), [])}`]
  }
  const edits = editsOf(pending)
  // What broke an instruction no edit touched is one of the pass's fixes: they are named.
  const passRules = `${rules(new Set(edits.map((edit) => edit.ruleId)))} (edits elsewhere)`
  const starts = instructionStarts(from.text, before)
  const ends = instructionEnds(from.text, before)
  const afterStarts = instructionStarts(to.text, after)
  const byStart = new Map(afterStarts.map((start, index) => [start, index]))
  const problems: string[] = []
  const images = new Set<number>()
  const imageOf: number[] = []
  for (const [index, instruction] of before.instructions.entries()) {
    const touching = edits.filter((edit) => touches(edit, starts[index] as number, ends[index] as number))
    const touchedBy = touching.length > 0 ? rules(new Set(touching.map((edit) => edit.ruleId))) : passRules
    const image = byStart.get(moved(edits, starts[index] as number))
    if (image === undefined || images.has(image)) {
      problems.push(`${touchedBy}: ${where} lost the ${instruction.keyword} on line ${instruction.line} (no instruction starts where it went, or another is there)\n${excerpt(diff, [instruction.line], true)}`)
      continue
    }
    images.add(image)
    imageOf[index] = image
    const now = after.instructions[image] as Instruction
    if (touching.length === 0 && !sameInstruction(instruction, now)) {
      problems.push(`${passRules}: ${where} changed the ${instruction.keyword} on line ${instruction.line} that no fix edits: now \`${now.keyword} ${now.text}\` on line ${now.line}\n${excerpt(diff, [now.line])}`)
    }
  }
  const inserted = insertedRanges(edits)
  for (const [index, instruction] of after.instructions.entries()) {
    if (images.has(index)) continue
    const start = afterStarts[index] as number
    const by = inserted.find((range) => range.start <= start && start < range.end)
    if (by === undefined) problems.push(`${passRules}: ${where} made a new ${instruction.keyword} on line ${instruction.line} that no fix inserts\n${excerpt(diff, [instruction.line])}`)
    else if (!KEYWORDS.has(instruction.keyword)) problems.push(`${by.ruleId}: ${where} inserted \`${instruction.keyword}\` on line ${instruction.line}, not a Dockerfile instruction\n${excerpt(diff, [instruction.line])}`)
  }
  if (problems.length > 0) return problems
  for (const item of followed) {
    for (const edit of edits) if (touches(edit, starts[item.index] as number, ends[item.index] as number)) item.touchedBy.add(edit.ruleId)
    item.index = imageOf[item.index] as number
  }
  return []
}

/** An applied edit as offsets, with the rule whose fix it is. */
interface Edit extends Splice { readonly ruleId: string }

// As applyFixes takes them: an edit equal to one taken counts once; in text order, insertions at one point in the order taken.
function editsOf (pending: ReadonlyArray<{ finding: Finding, splices: readonly Splice[] }>): Edit[] {
  const edits: Edit[] = []
  for (const { finding, splices } of pending) {
    for (const splice of splices) if (!edits.some((e) => e.start === splice.start && e.end === splice.end && e.text === splice.text)) edits.push({ ...splice, ruleId: finding.ruleId })
  }
  return edits.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order).map(({ edit }) => edit)
}

/** Where an offset of the text before the edits is after them: past insertions made at it, at the start of a replacement holding it. */
function moved (edits: readonly Edit[], offset: number): number {
  let shift = 0
  for (const edit of edits) {
    if (edit.start > offset) break
    if (edit.start < edit.end && edit.end > offset) return edit.start + shift
    shift += edit.text.length - (edit.end - edit.start)
  }
  return offset + shift
}

/** The text each edit puts in, as offsets in the text after the edits. */
function insertedRanges (edits: readonly Edit[]): Array<{ start: number, end: number, ruleId: string }> {
  let shift = 0
  return edits.map((edit) => {
    const start = edit.start + shift
    shift += edit.text.length - (edit.end - edit.start)
    return { start, end: start + edit.text.length, ruleId: edit.ruleId }
  })
}

// An edit touches an instruction (from its keyword to its last line's end) when it replaces text in it, or inserts
// inside it; inserting whole lines at its start or end (text ending or starting with a line break) does not.
function touches (edit: Splice, start: number, end: number): boolean {
  if (edit.start < edit.end) return edit.start < end && edit.end > start
  if (edit.start === start) return !/\n$/.test(edit.text)
  if (edit.start === end) return !/^\r?\n/.test(edit.text)
  return start < edit.start && edit.start < end
}

/** Where each instruction's keyword starts, as an offset. */
function instructionStarts (text: string, facts: DockerfileFacts): number[] {
  const source = new SourceText(text)
  return facts.instructions.map((instruction) => {
    const line = source.offset({ line: instruction.line - 1, character: 0 })
    return line + (/^[\uFEFF \t]*/.exec(text.slice(line, source.lineEnd(instruction.line - 1)))?.[0].length ?? 0)
  })
}

function instructionEnds (text: string, facts: DockerfileFacts): number[] {
  const source = new SourceText(text)
  return facts.instructions.map((instruction) => source.lineEnd(instruction.endLine - 1))
}

function sameInstruction (a: Instruction, b: Instruction): boolean {
  return a.keyword === b.keyword && a.text === b.text && isDeepStrictEqual(a.heredocs.map((h) => h.body), b.heredocs.map((h) => h.body))
}

const toSplice = (source: SourceText, edit: TextEdit): Splice => ({
  start: source.offset({ line: edit.line - 1, character: edit.column - 1 }),
  end: source.offset({ line: edit.endLine - 1, character: edit.endColumn - 1 }),
  text: edit.text,
})

// ---- Same stages ---------------------------------------------------------------------------------------------------

/** What must not change of a stage. */
export function stageShape (stage: Stage): { name: string, from: string, dependsOn: readonly number[], isFinal: boolean } {
  return { name: stage.name, from: stage.from.text, dependsOn: stage.dependsOn, isFinal: stage.isFinal }
}

function checkStages (before: DockerfileFacts, after: DockerfileFacts, followed: readonly Followed[], diff: string): string[] {
  if (before.stages.length !== after.stages.length) return [`${before.stages.length} stages before, ${after.stages.length} after\n${excerpt(diff, [])}`]
  const problems: string[] = []
  for (const [index, stage] of before.stages.entries()) {
    const now = after.stages[index] as Stage
    const from = stage.instructions[0] as Instruction
    const touchedBy = (followed[from.index] as Followed).touchedBy
    const was = stageShape(stage)
    const is = stageShape(now)
    // A fix may change the tag of a FROM it edits (`:latest` → the latestTags param); nothing else of the image.
    const tagOnly = touchedBy.size > 0 && (['registry', 'repository', 'digest', 'stage', 'isScratch'] as const).every((part) => stage.from[part] === now.from[part])
    if (tagOnly) was.from = is.from
    for (const key of Object.keys(was) as Array<keyof typeof was>) {
      if (!isDeepStrictEqual(was[key], is[key])) problems.push(`${rules(touchedBy)}: stage ${index} (FROM on line ${from.line}): ${key} was ${JSON.stringify(was[key])}, is ${JSON.stringify(is[key])}\n${excerpt(diff, [now.line])}`)
    }
  }
  return problems
}

// ---- The fixed findings are gone and nothing new is reported --------------------------------------------------------

/**
 * Per rule: findings after ≤ findings before − fixes applied (each applied fix takes away at least its own finding,
 * and may take others), so a rule with no finding before has none after; rule errors per rule do not increase.
 */
function checkFindings (run: FixRun): string[] {
  const first = (run.steps[0] as Step).verdict
  const last = (run.steps[run.steps.length - 1] as Step).verdict
  if (!first.ok) return []
  if (!last.ok) return [`the fixed file is not judged: ${last.problems.map((p) => `${p.code} ${p.message}`).join('; ')}`]
  const before = countBy(first.value.findings)
  const after = countBy(last.value.findings)
  const applied = countBy(run.fixed.applied)
  const problems: string[] = []
  for (const [ruleId, count] of after) {
    const allowed = (before.get(ruleId) ?? 0) - (applied.get(ruleId) ?? 0)
    if (count <= allowed) continue
    const now = last.value.findings.filter((f) => f.ruleId === ruleId)
    const lines = now.map((f) => f.location.line)
    const what = before.has(ruleId) ? `${before.get(ruleId)} finding(s) before, ${applied.get(ruleId) ?? 0} fix(es) applied, ${count} after` : `new: ${count} finding(s) after, none before`
    problems.push(`${ruleId}: ${what}: ${now.slice(0, 3).map((f) => `line ${f.location.line}: ${f.message}`).join('; ')}\n${excerpt(run.fixed.diff, lines)}`)
  }
  const errorsBefore = countBy(first.value.ruleErrors)
  for (const [ruleId, count] of countBy(last.value.ruleErrors)) {
    if (count > (errorsBefore.get(ruleId) ?? 0)) problems.push(`${ruleId}: ${errorsBefore.get(ruleId) ?? 0} rule error(s) before, ${count} after: ${last.value.ruleErrors.find((e) => e.ruleId === ruleId)?.message ?? ''}`)
  }
  return problems
}

function countBy (items: ReadonlyArray<{ readonly ruleId: string }>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const { ruleId } of items) counts.set(ruleId, (counts.get(ruleId) ?? 0) + 1)
  return counts
}

// ---- Idempotent ----------------------------------------------------------------------------------------------------

/** Fixing the fixed file (with its verdict, judged once already) changes nothing and applies nothing. */
function checkIdempotent (run: FixRun): string[] {
  const last = (run.steps[run.steps.length - 1] as Step).verdict
  if (!last.ok) return []
  const again = fixDockerfile(run.fixed.dockerfile, last.value.findings, (text) => {
    const verdict = run.judge(text)
    return verdict.ok ? ok(verdict.value.findings) : verdict
  }, run.name)
  if (again.dockerfile === run.fixed.dockerfile && again.applied.length === 0) return []
  const where = again.applied.map((a) => `${a.ruleId} on line ${a.line}`).join(', ')
  return [`${rules(new Set(again.applied.map((a) => a.ruleId)))}: fixing the fixed file again applies ${again.applied.length} fix(es) (${where})\n${excerpt(again.diff, again.applied.map((a) => a.line))}`]
}

// ---- Reports -------------------------------------------------------------------------------------------------------

const rules = (ids: ReadonlySet<string>): string => ids.size === 0 ? '(no fix)' : [...ids].sort().join(', ')

const MAX_EXCERPT = 16

/**
 * The hunks of a unified diff around some lines (of the new text; of the old one with `old`), at most
 * MAX_EXCERPT lines; the first hunk when none holds them.
 */
export function excerpt (diff: string, lines: readonly number[], old = false): string {
  const hunks = diff.split(/\n(?=@@ )/).slice(1)
  const holding = hunks.filter((hunk) => {
    const head = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(hunk)
    if (head === null) return false
    const start = Number(old ? head[1] : head[3])
    const count = Number((old ? head[2] : head[4]) ?? 1)
    return lines.some((line) => start <= line && line < start + Math.max(count, 1))
  })
  const chosen = (holding.length > 0 ? holding : hunks.slice(0, 1)).join('\n').split('\n')
  const shown = chosen.slice(0, MAX_EXCERPT).join('\n').trimEnd()
  return chosen.length > MAX_EXCERPT ? `${shown}\n… (${chosen.length - MAX_EXCERPT} more diff lines)` : shown
}
