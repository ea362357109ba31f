// `plimsoll check`: the HTTP API's evaluation, on Dockerfiles and context files read from disk.
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { evaluate, type EvaluateRequest } from '../evaluate.js'
import { renderReport } from '../verdict/formats/render.js'
import type { Format, JudgedFile } from '../verdict/formats/report.js'
import { judgedFile } from '../verdict/formats/rules-run.js'
import { renderText } from '../verdict/text.js'
import { VERSION } from '../version.js'
import type { FailOn } from '../verdict/verdict.js'
import { wantsColor } from './color.js'
import { failed, ok, type Problem, type Result } from '../problem.js'
import { collectContextFiles } from './context-files.js'
import { findDockerfiles } from './discover.js'
import { Progress } from './progress.js'
import { readImageInput } from './image-input.js'
import { EXIT, readText, worst, type CliIo, type ExitCode } from './io.js'
import { parseParams } from './params.js'
import type { SelectionOptions } from './selection.js'
import { formatProblem, loadPoliciesOrReport, policyDirOf } from './policies.js'
import { diffName, fixDockerfileFile, type FixOutcome } from './fix.js'
import type { PolicySet } from '../policy/types.js'

/** The options of `plimsoll check`, as commander parses them. */
export interface CheckOptions extends SelectionOptions {
  readonly format: Format
  /** Absent unless given, so that a profile's or `.hadolint.yaml`'s threshold can apply before the default. */
  readonly failOn?: FailOn
  /** Build context directory; each Dockerfile's own directory when absent. */
  readonly context?: string
  /** An image (document or archive; `-` for standard input) to judge, with the Dockerfile it was built from if one is given. */
  readonly image?: string
  /** Apply the findings' fixes: the file rewritten (standard input: the fixed text on stdout), then the report on what is left. */
  readonly fix?: boolean
  /** With fix: write nothing, print the unified diff; exit 1 when a file would change. */
  readonly dryRun?: boolean
}

/** What the CLI fails on when neither the flag, the profile nor `.hadolint.yaml` says: hadolint's default. */
export const DEFAULT_FAIL_ON: FailOn = 'warning'
/** How a Dockerfile read from standard input is named in output. */
export const STDIN_NAME = '<stdin>'

/** Judges each Dockerfile and prints the verdicts; returns the worst exit code. */
export async function runCheck (paths: readonly string[], options: CheckOptions, io: CliIo): Promise<ExitCode> {
  const params = parseParams(options.param)
  if (!params.ok) return usage(io, params.problems.map((p) => p.message))
  if ([...paths, options.image].filter((p) => p === '-').length > 1) return usage(io, ['standard input (-) can be read only once'])
  const expanded = await expandDirectories(paths.length === 0 && options.image === undefined ? ['Dockerfile'] : paths, io)
  if (!expanded.ok) return usage(io, expanded.problems.map((p) => p.message))
  const targets = expanded.value
  if (options.image !== undefined && targets.length > 1) return usage(io, ['--image takes one Dockerfile at most: the one the image was built from'])
  if (options.dryRun === true && options.fix !== true) return usage(io, ['--dry-run goes with --fix: it prints the diff --fix would make'])
  if (options.fix === true && targets.length === 0) return usage(io, ['--fix needs a Dockerfile: an image alone has no text to fix'])
  const context = options.context === undefined ? undefined : resolve(io.cwd, options.context)
  if (context !== undefined && !(await isDirectory(context))) return usage(io, [`--context ${options.context ?? ''}: not a directory`])
  const set = await loadPoliciesOrReport(policyDirOf(options.policies, io), io)
  if (set === undefined) return EXIT.usage

  const request: Omit<EvaluateRequest, 'dockerfile' | 'files'> = {
    ...(options.policy.length > 0 && { policies: options.policy }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(Object.keys(params.value).length > 0 && { params: params.value }),
    ...(options.include.length > 0 && { include: options.include }),
    ...(options.exclude.length > 0 && { exclude: options.exclude }),
    ...(options.failOn !== undefined && { failOn: options.failOn }),
  }
  const imageName = options.image === '-' ? STDIN_NAME : options.image
  const image = options.image === undefined ? undefined : await readImageInput(options.image, io)
  if (image !== undefined && !image.ok) return usage(io, image.problems.map((p) => `${imageName ?? ''}: ${formatProblem(p)}`))
  // The fixed text from standard input goes to stdout, so the report goes to stderr.
  const out = options.fix === true && options.dryRun !== true && targets.includes('-') ? io.stderr : io.stdout
  const color = wantsColor(io.env, out)
  const codes: ExitCode[] = []
  const reported: JudgedFile[] = []
  const progress = new Progress(io, targets.length)
  // An image without a Dockerfile is judged once, on its own.
  for (const path of targets.length > 0 ? targets : [undefined]) {
    const file = path === '-' ? STDIN_NAME : path ?? imageName ?? ''
    progress.show(file)
    const input = path === undefined ? IMAGE_ONLY : await readDockerfile(path, context, io)
    // The progress line shows while a file is read and judged, and goes before anything is written.
    if (!input.ok) {
      progress.clear()
      io.stderr.write(`plimsoll: ${file}: ${input.message}\n`)
      codes.push(EXIT.usage)
      continue
    }
    const subjects = { ...(path !== undefined && { dockerfile: input.text, files: input.files }), ...(image !== undefined && { image: image.value }) }
    // Fixing writes as it goes, so the progress line goes first.
    if (options.fix === true) progress.clear()
    const result = await judge(set, { ...request, ...subjects }, path, file, options, io)
    progress.clear()
    for (const warning of input.warnings) io.stderr.write(`plimsoll: warning: ${warning}\n`)
    if (!result.ok) {
      for (const problem of result.problems) io.stderr.write(`plimsoll: ${formatProblem({ ...problem, file: problem.file ?? file })}\n`)
      codes.push(EXIT.usage)
      continue
    }
    // A dry run printed its diff: nothing to report.
    if ('exit' in result.value) {
      codes.push(result.value.exit)
      continue
    }
    const { evaluated, verdict } = result.value
    codes.push(verdict.threshold.reached ? EXIT.findings : EXIT.ok)
    if (options.format === 'text') out.write(`${reported.length > 0 ? '\n' : ''}${renderText(verdict, { file, ...(imageName !== undefined && { image: imageName }), color })}`)
    reported.push(judgedFile(set, evaluated, file, verdict))
  }
  const [only] = reported
  if (options.format === 'json' && targets.length <= 1 && only !== undefined) {
    // One file: its verdict, led by the names it was judged under (an image alone has no file).
    const names = { ...(targets.length === 1 && { file: only.path }), ...(imageName !== undefined && { image: imageName }) }
    out.write(`${JSON.stringify({ ...names, ...only.verdict }, null, 2)}\n`)
  } else if (options.format !== 'text' && reported.length > 0) {
    // Several files, or a CI format: one report over every file, as the batch route writes it.
    out.write(renderReport(options.format, { files: reported, version: VERSION, batch: true }))
  }
  return worst(codes)
}

// Judged, or with --fix fixed and then judged: the request and verdict to report, or a dry run's exit code.
async function judge (set: PolicySet, evaluated: EvaluateRequest, path: string | undefined, file: string, options: CheckOptions, io: CliIo): Promise<Result<FixOutcome>> {
  const evaluateOptions = { defaultFailOn: DEFAULT_FAIL_ON }
  if (options.fix === true && path !== undefined) {
    const absolute = path === '-' ? undefined : resolve(io.cwd, path)
    // Standard input has no path: its diff names a plain Dockerfile.
    const target = { file, diffName: absolute === undefined ? 'Dockerfile' : diffName(absolute, io.cwd), ...(absolute !== undefined && { absolute }) }
    return fixDockerfileFile(set, evaluated, target, options.dryRun === true, evaluateOptions, io)
  }
  const result = evaluate(set, evaluated, evaluateOptions)
  return result.ok ? ok({ evaluated, verdict: result.value }) : result
}

// A directory stands for the Dockerfiles under it (see discover.ts), named by their path from the working directory.
async function expandDirectories (paths: readonly string[], io: CliIo): Promise<Result<string[]>> {
  const expanded: string[] = []
  const problems: Problem[] = []
  for (const path of paths) {
    if (path === '-' || !(await isDirectory(resolve(io.cwd, path)))) {
      expanded.push(path)
      continue
    }
    const found = await findDockerfiles(resolve(io.cwd, path))
    if (found.length === 0) problems.push({ code: 'input.no-dockerfile', message: `${path}: no Dockerfile under it (looked for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile)` })
    expanded.push(...found.map((name) => join(path, name)))
  }
  return problems.length > 0 ? failed(problems) : ok(expanded)
}

type Input =
  | { ok: true, text: string, files: Readonly<Record<string, string>>, warnings: readonly string[] }
  | { ok: false, message: string }

const IMAGE_ONLY: Input = { ok: true, text: '', files: {}, warnings: [] }

// Standard input has no directory, so it gets context files only from --context.
async function readDockerfile (path: string, context: string | undefined, io: CliIo): Promise<Input> {
  if (path === '-') {
    const text = await readText(io.stdin()) ?? ''
    if (context === undefined) return { ok: true, text, files: {}, warnings: [] }
    const collected = await collectContextFiles({ dir: context })
    return { ok: true, text, ...collected }
  }
  const absolute = resolve(io.cwd, path)
  let text: string
  try {
    text = await readFile(absolute, 'utf8')
  } catch (error) {
    return { ok: false, message: `cannot read: ${describeError(error)}` }
  }
  const collected = await collectContextFiles({ dir: context ?? dirname(absolute), dockerfile: { dir: dirname(absolute), name: basename(absolute) } })
  return { ok: true, text, ...collected }
}

async function isDirectory (path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

// ENOENT's message repeats the absolute path; the code and a plain reason read better next to the name.
function describeError (error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES') return 'permission denied'
  return (error as Error).message
}

function usage (io: CliIo, messages: readonly string[]): ExitCode {
  for (const message of messages) io.stderr.write(`plimsoll: ${message}\n`)
  return EXIT.usage
}
