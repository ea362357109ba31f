// `plimsoll compare`: variants (Dockerfiles, image documents, image archives) judged with the same rules and
// set side by side, as `POST /v1/compare` does.
import { basename, dirname, resolve } from 'node:path'
import { compare, subjectProblems, type CompareSubject } from '../compare.js'
import { renderCompareMarkdown } from '../verdict/compare-markdown.js'
import { renderCompareText } from '../verdict/compare-text.js'
import { wantsColor } from './color.js'
import { collectContextFiles } from './context-files.js'
import { readSubjectInput } from './image-input.js'
import { EXIT, type CliIo, type ExitCode } from './io.js'
import { parseParams } from './params.js'
import type { SelectionOptions } from './selection.js'
import { formatProblem, loadPoliciesOrReport, policyDirOf } from './policies.js'

/** The options of `plimsoll compare`, as commander parses them. */
export interface CompareOptions extends SelectionOptions {
  readonly format: 'text' | 'markdown' | 'json'
}

export const COMPARE_HELP = `
Each variant is label=path: a Dockerfile (its context files are read from its directory), an image
document (docker/podman/buildah inspect output, an image config, a manifest) or an image archive
(docker save, an OCI layout as tar, gzipped or not), told apart by their first bytes; - reads standard
input. Shell and package manager are "unknown" unless the variant is an archive (documents list no
files); a Dockerfile alone has no size, and its layers are those it adds to its base (RUN, COPY, ADD).

Exit codes: 0 compared (whatever the verdicts), 2 bad usage or input.

Examples:
  plimsoll compare alpine=alpine.tar distroless=distroless.tar
  docker save app | plimsoll compare image=- source=Dockerfile --format markdown
`

/** Reads every variant, compares them and prints the comparison; 0 unless the input is bad. */
export async function runCompare (specs: readonly string[], options: CompareOptions, io: CliIo): Promise<ExitCode> {
  const params = parseParams(options.param)
  if (!params.ok) return usage(io, params.problems.map((p) => p.message))
  const named = specs.map((spec) => ({ spec, eq: spec.indexOf('=') }))
  const unnamed = named.filter(({ eq }) => eq <= 0)
  if (unnamed.length > 0) return usage(io, unnamed.map(({ spec }) => `expected label=path, got "${spec}"`))
  const wanted = named.map(({ spec, eq }) => ({ label: spec.slice(0, eq), path: spec.slice(eq + 1) }))
  if (wanted.filter((w) => w.path === '-').length > 1) return usage(io, ['standard input (-) can be read only once'])
  // Labels are checked before anything is read, so a typo costs no archive read.
  const shapes = subjectProblems(wanted.map(({ label, path }) => ({ label, dockerfile: path })))
  if (shapes.length > 0) return usage(io, shapes.map((p) => p.message))
  const set = await loadPoliciesOrReport(policyDirOf(options.policies, io), io)
  if (set === undefined) return EXIT.usage

  const subjects: CompareSubject[] = []
  const problems: string[] = []
  for (const { label, path } of wanted) {
    const input = await readSubjectInput(path, io)
    if (!input.ok) {
      problems.push(...input.problems.map((p) => `${label}=${path}: ${formatProblem(p)}`))
      continue
    }
    if (input.value.kind === 'image') {
      subjects.push({ label, image: input.value.image })
      continue
    }
    // Standard input has no directory, so it gets no context files.
    const absolute = resolve(io.cwd, path)
    const context = path === '-' ? { files: {}, warnings: [] } : await collectContextFiles({ dir: dirname(absolute), dockerfile: { dir: dirname(absolute), name: basename(absolute) } })
    for (const warning of context.warnings) io.stderr.write(`plimsoll: warning: ${warning}\n`)
    subjects.push({ label, dockerfile: input.value.text, files: context.files })
  }
  if (problems.length > 0) return usage(io, problems)

  const result = compare(set, {
    subjects,
    ...(options.policy.length > 0 && { policies: options.policy }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(Object.keys(params.value).length > 0 && { params: params.value }),
    ...(options.include.length > 0 && { include: options.include }),
    ...(options.exclude.length > 0 && { exclude: options.exclude }),
  })
  if (!result.ok) return usage(io, result.problems.map((p) => formatProblem(p)))
  const comparison = result.value
  if (options.format === 'json') io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`)
  else if (options.format === 'markdown') io.stdout.write(renderCompareMarkdown(comparison))
  else io.stdout.write(renderCompareText(comparison, { color: wantsColor(io.env, io.stdout) }))
  return EXIT.ok
}

function usage (io: CliIo, messages: readonly string[]): ExitCode {
  for (const message of messages) io.stderr.write(`plimsoll: ${message}\n`)
  return EXIT.usage
}
