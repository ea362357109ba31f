import { DockerfileParser, type Dockerfile } from 'dockerfile-ast'
import './ast-cache.js'
import type { DockerfileFacts, Instruction, Stage } from '../facts/types.js'
import { contextFacts } from './context.js'
import { checkInstructions, checkLines } from './dockerfile-limits.js'
import { countingFor } from './limits.js'
import { processWord, type Variables } from './expand.js'
import { openVariable, parseImageRef } from './image-ref.js'
import { toInstruction } from './instruction.js'
import { SourceText } from './source-text.js'
import { KeywordCount, StageBuilder } from './stage.js'

const DIRECTIVE = /^#\s*[A-Za-z][A-Za-z0-9]*\s*=/
/** BuildKit's automatic platform arguments: FROM can use them without declaring them. */
const PLATFORM_ARGS = ['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']

/** Turns Dockerfile text and its context files into facts. Pure; throws only LimitExceeded, for text over a cap (limits.ts). */
export function dockerfileFacts (text: string, files: Readonly<Record<string, string>> = {}): DockerfileFacts {
  return countingFor(() => readDockerfile(text, files))
}

// The last text parsed and its tree: a fix works on the Dockerfile whose facts were just built, so it reads the
// same tree rather than parsing the text again.
let last: { readonly text: string, readonly ast: Dockerfile } | undefined

/** dockerfile-ast's tree of a Dockerfile; the last one is kept. */
export function parseDockerfile (text: string): Dockerfile {
  if (last?.text !== text) last = { text, ast: DockerfileParser.parse(text) }
  return last.ast
}

function readDockerfile (text: string, files: Readonly<Record<string, string>>): DockerfileFacts {
  checkLines(text)
  const ast = parseDockerfile(text)
  const source = new SourceText(text)
  checkInstructions(ast, (position) => source.offset(position))
  const escape = ast.getEscapeCharacter()
  // dockerfile-ast takes any leading `# a b=c` for a directive; Docker's grammar allows one word before `=`,
  // so the others (`# hadolint global ignore=DL3008`) are comments.
  const directives: Record<string, string> = {}
  const comments: Array<{ line: number, text: string }> = []
  let directivesEnded = false
  for (const directive of ast.getDirectives()) {
    const line = directive.getRange().start.line
    const raw = source.slice({ line, character: 0 }, { line: line + 1, character: 0 }).trim()
    // As in Docker, the first line that is not a directive ends them: what follows is a comment.
    directivesEnded ||= !DIRECTIVE.test(raw)
    if (directivesEnded) comments.push({ line: line + 1, text: raw.replace(/^#\s*/, '') })
    else directives[directive.getName().toLowerCase()] = directive.getValue() ?? ''
  }
  for (const comment of ast.getComments()) comments.push({ line: comment.getRange().start.line + 1, text: comment.getContent() })

  const globalArgs: Record<string, string | undefined> = {}
  // The same arguments for FROM, where those without a value stay open (see openVariable).
  const fromArgs: Record<string, string | undefined> = Object.fromEntries(PLATFORM_ARGS.map((name) => [name, undefined]))
  const instructions: Instruction[] = []
  const stages: Stage[] = []
  let building: StageBuilder | undefined
  // Instructions before the first FROM, by keyword: their `occurrence`.
  const early = new KeywordCount()

  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase()
    if (keyword !== 'FROM') {
      if (building !== undefined) {
        instructions.push(building.add(node, instructions.length, keyword))
        continue
      }
      // Before the first FROM only ARG is allowed; its defaults are what FROM lines can use.
      const instruction = toInstruction(node, { source, escape, vars: globalArgs, shell: ['/bin/sh', '-c'], stage: -1, index: instructions.length, occurrence: early.next(keyword) }, keyword)
      if (instruction.keyword === 'ARG') {
        for (const [key, value] of Object.entries(instruction.properties)) {
          globalArgs[key] = instruction.words.some((w) => w.startsWith(`${key}=`)) ? value : globalArgs[key]
        }
        for (const arg of instruction.args) {
          const [key = '', ...rest] = arg.split('=')
          fromArgs[key] = rest.length > 0 ? processWord(rest.join('='), fromArgs, escape, openVariable).value : fromArgs[key]
        }
      }
      instructions.push(instruction)
      continue
    }
    if (building !== undefined) stages.push(building.done())
    const index = stages.length
    const instruction = toInstruction(node, { source, escape, vars: globalArgs, shell: ['/bin/sh', '-c'], stage: index, index: instructions.length, occurrence: 1 }, keyword)
    const raw = (node as unknown as { getImage(): string | null }).getImage() ?? ''
    const stageNames = new Set(stages.map((s) => s.name).filter((name) => name !== ''))
    const from = imageRef(raw, fromArgs, escape, stageNames)
    const name = (node as unknown as { getBuildStage(): string | null }).getBuildStage()?.toLowerCase() ?? ''
    const parent = from.stage === '' ? undefined : stages.find((s) => s.name === from.stage)
    const platform = instruction.flags.find((f) => f.name === 'platform')?.value ?? ''
    building = new StageBuilder(index, name, from, platform, instruction, parent, { source, escape, globalArgs, earlier: [...stages] })
    instructions.push(instruction)
  }
  if (building !== undefined) stages.push(building.done())

  return {
    directives,
    escape,
    comments,
    globalArgs: Object.fromEntries(Object.entries(globalArgs).map(([k, v]) => [k, v ?? ''])),
    instructions,
    stages: markReachable(stages),
    finalStage: stages.length - 1,
    context: contextFacts(files),
  }
}

// Docker processes the reference as a word: quotes removed, escapes applied, global ARGs substituted.
function imageRef (raw: string, fromArgs: Variables, escape: string, stageNames: ReadonlySet<string>) {
  const { value, unresolved } = processWord(raw, fromArgs, escape, openVariable)
  return parseImageRef(raw, value, stageNames, unresolved)
}

// The final stage and everything it needs, transitively, end up in (or build) the image.
function markReachable (stages: Stage[]): Stage[] {
  const reached = new Set<number>()
  const visit = (index: number): void => {
    if (reached.has(index) || stages[index] === undefined) return
    reached.add(index)
    for (const dependency of stages[index].dependsOn) visit(dependency)
  }
  visit(stages.length - 1)
  // The final stage's FROM chain: its base stages' layers are in the image.
  const layered = new Set<number>()
  for (let index = stages.length - 1; index >= 0 && !layered.has(index);) {
    layered.add(index)
    const parent = stages[index]!.from.stage
    index = parent === '' ? -1 : stages.findIndex((s, i) => i < index && s.name === parent)
  }
  return stages.map((stage, index) => ({ ...stage, isFinal: index === stages.length - 1, reachesFinal: reached.has(index), inFinalImage: layered.has(index) }))
}
