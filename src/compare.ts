// Several subjects in, one comparison out: each judged by evaluate() with the same selection, then set side
// by side. Shared by `POST /v1/compare` and `plimsoll compare`, which read the images first.
import { bounded } from './evaluation/bounded.js'
import { evaluate, type EvaluateOptions } from './evaluate.js'
import { selectRules, type SelectionRequest } from './evaluation/select.js'
import type { ImageFacts } from './facts/image-types.js'
import { dockerfileFacts } from './inputs/dockerfile.js'
import { hadolintConfig } from './policy/hadolint-config.js'
import { checkFor } from './policy/subject.js'
import type { PolicySet, Subject } from './policy/types.js'
import { failed, ok, type Problem, type Result } from './problem.js'
import { compareVariants, type Comparison, type EvaluatedVariant, type SelectedRule } from './verdict/compare.js'

/** One variant to compare: a Dockerfile (with its context files), an image (already read), or both. */
export interface CompareSubject {
  readonly label: string
  readonly dockerfile?: string
  readonly files?: Readonly<Record<string, string>>
  readonly image?: ImageFacts
}

/** What to compare, and the one selection every subject is judged with. */
export interface CompareRequest extends SelectionRequest {
  readonly subjects: readonly CompareSubject[]
}

/** A subject as the request names it, before its image is read. */
export interface SubjectShape {
  readonly label: string
  readonly dockerfile?: unknown
  readonly image?: unknown
  readonly kind?: unknown
}

/** How problems name a subject: by position (from 0, as the pointer) and label. */
export const subjectName = (index: number, label: string): string => `subject ${index} ("${label}")`

/** A problem of one subject's part, moved under `/subjects/<index>` and named by the subject. */
export const subjectProblem = (index: number, label: string, problem: Problem): Problem =>
  ({ ...problem, message: `${subjectName(index, label)}: ${problem.message}`, pointer: `/subjects/${index}${problem.pointer ?? ''}` })

/** Two or more subjects, each with a label of its own and something to judge. Checked before any image is read. */
export function subjectProblems (subjects: readonly SubjectShape[]): Problem[] {
  if (subjects.length < 2) {
    return [{ code: 'input.compare-too-few', message: `compare two or more subjects; got ${subjects.length}`, pointer: '/subjects' }]
  }
  const problems: Problem[] = []
  const seen = new Map<string, number>()
  subjects.forEach((subject, index) => {
    const name = subjectName(index, subject.label)
    if (subject.label.trim() === '') problems.push({ code: 'input.compare-label', message: `subject ${index} has an empty label`, pointer: `/subjects/${index}/label` })
    const first = seen.get(subject.label)
    if (first !== undefined) problems.push({ code: 'input.compare-duplicate-label', message: `${name}: subject ${first} has the same label; labels must be unique`, pointer: `/subjects/${index}/label` })
    else seen.set(subject.label, index)
    if (subject.dockerfile === undefined && subject.image === undefined) problems.push({ code: 'input.no-subject', message: `${name}: send a dockerfile, an image, or both`, pointer: `/subjects/${index}` })
    else if (subject.kind !== undefined && subject.image === undefined) problems.push({ code: 'input.image-kind', message: `${name}: kind names the kind of an image document; send it with an image`, pointer: `/subjects/${index}/kind` })
  })
  return problems
}

/** Judges every subject with the request's selection and compares them; every subject's problems at once. */
export function compare (set: PolicySet, request: CompareRequest, options: EvaluateOptions = { defaultFailOn: 'none' }): Result<Comparison> {
  return bounded(options.limits, () => compareSubjects(set, request, options))
}

function compareSubjects (set: PolicySet, request: CompareRequest, options: EvaluateOptions): Result<Comparison> {
  const shapeProblems = subjectProblems(request.subjects)
  if (shapeProblems.length > 0) return failed(shapeProblems)
  const { subjects, ...selection } = request
  // An unknown policy, profile or param is the request's problem, not each subject's: said once.
  const checked = selectRules(set, selection, null)
  if (!checked.ok) return checked

  const problems: Problem[] = []
  const variants: EvaluatedVariant[] = []
  subjects.forEach(({ label, ...subject }, index) => {
    const result = evaluate(set, { ...selection, ...subject }, options)
    if (!result.ok) {
      problems.push(...result.problems.map((problem) => subjectProblem(index, label, problem)))
      return
    }
    const files = subject.files ?? {}
    variants.push({
      label,
      dockerfile: subject.dockerfile === undefined ? null : dockerfileFacts(subject.dockerfile, files),
      image: subject.image ?? null,
      verdict: result.value,
      rules: selectedRules(set, selection, files, subjectsOf(subject)),
    })
  })
  return problems.length > 0 ? failed(problems) : ok(compareVariants(variants))
}

const subjectsOf = (subject: Omit<CompareSubject, 'label'>): Subject[] => [
  ...(subject.dockerfile !== undefined ? ['dockerfile' as const] : []),
  ...(subject.image !== undefined ? ['image' as const] : []),
]

// The rules evaluate() selected for this subject (a `.hadolint.yaml` among its files may change them), with how
// many of the sent subjects each has a check for.
function selectedRules (set: PolicySet, selection: SelectionRequest, files: Readonly<Record<string, string>>, sent: readonly Subject[]): SelectedRule[] {
  const selected = selectRules(set, selection, hadolintConfig(files))
  if (!selected.ok) return []
  return selected.value.rules.map((rule) => ({
    id: rule.id,
    policy: rule.policy,
    title: rule.title,
    severity: rule.severity,
    checks: sent.filter((subject) => checkFor(rule, subject) !== undefined).length,
  }))
}
