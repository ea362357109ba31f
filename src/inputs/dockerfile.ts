import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast'
import './ast-cache.js'
import type { DockerfileFacts, Flag, ImageRef, Instruction, Stage, UserFact } from '../facts/types.js'
import { expandVariables } from './expand.js'
import { parseImageRef } from './image-ref.js'
import { joinContinuations, parseShell } from './shell.js'

const FORM_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL'])
const COMMAND_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT'])
const ROOT_USER = /^(root|0)(:.*)?$/

interface AstFlag { getName(): string, getValue(): string | null, getOptions(): Array<{ getName(): string, getValue(): string | null }> }
interface AstProperty { getName(): string, getValue(): string | null }

/** Turns Dockerfile text and its context files into facts. Pure; never throws on any text. */
export function dockerfileFacts (text: string, files: Readonly<Record<string, string>> = {}): DockerfileFacts {
  const ast = DockerfileParser.parse(text)
  const escape = ast.getEscapeCharacter()
  const directives = Object.fromEntries(ast.getDirectives().map((d) => [d.getName().toLowerCase(), d.getValue() ?? '']))

  const globalArgs: Record<string, string> = {}
  const instructions: Instruction[] = []
  const stages: Stage[] = []
  const stageNames = new Set<string>()
  let building: StageBuilder | undefined

  const finish = (): void => {
    if (building !== undefined) stages.push(building.done())
  }

  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase()
    if (keyword === 'FROM') {
      finish()
      const index = stages.length
      const instruction = toInstruction(node, keyword, index, escape)
      const from = fromImage(node, globalArgs, stageNames)
      const name = (node as unknown as { getBuildStage(): string | null }).getBuildStage()?.toLowerCase() ?? ''
      const parent = from.stage === '' ? undefined : stages.find((s) => s.name === from.stage)
      const platform = instruction.flags.find((f) => f.name === 'platform')?.value ?? ''
      building = new StageBuilder(index, name, from, platform, instruction, parent)
      if (name !== '') stageNames.add(name)
      instructions.push(instruction)
      continue
    }
    const instruction = toInstruction(node, keyword, building?.index ?? -1, escape)
    instructions.push(instruction)
    if (building === undefined) {
      if (keyword === 'ARG') Object.assign(globalArgs, properties(node))
    } else {
      building.add(instruction, node)
    }
  }
  finish()
  const finalStage = stages.length - 1
  if (finalStage >= 0) stages[finalStage] = { ...stages[finalStage] as Stage, isFinal: true }

  const names = Object.keys(files).sort()
  return {
    directives,
    globalArgs,
    instructions,
    stages,
    finalStage,
    context: { provided: names.length > 0, names, files: { ...files } },
  }
}

function fromImage (node: AstInstruction, globalArgs: Record<string, string>, stageNames: ReadonlySet<string>): ImageRef {
  const raw = (node as unknown as { getImage(): string | null }).getImage() ?? ''
  const { value, unresolved } = expandVariables(raw, globalArgs)
  return parseImageRef(raw, value, stageNames, unresolved)
}

function properties (node: AstInstruction): Record<string, string> {
  const props = (node as unknown as { getProperties?(): AstProperty[] }).getProperties?.() ?? []
  return Object.fromEntries(props.map((p) => [p.getName(), p.getValue() ?? '']))
}

function toInstruction (node: AstInstruction, keyword: string, stage: number, escape: string): Instruction {
  const range = node.getRange()
  const text = node.getRawArgumentsContent() ?? ''
  const astFlags = (node as unknown as { getFlags?(): AstFlag[] }).getFlags?.() ?? []
  const flags: Flag[] = astFlags.map((f) => ({
    name: f.getName(),
    value: f.getValue() ?? '',
    options: Object.fromEntries(f.getOptions().map((o) => [o.getName(), o.getValue() ?? ''])),
  }))
  const execArgs = FORM_KEYWORDS.has(keyword) ? parseExecForm(text) : undefined
  const form = !FORM_KEYWORDS.has(keyword) ? 'none' : execArgs === undefined ? 'shell' : 'exec'
  const commands = COMMAND_KEYWORDS.has(keyword) && form === 'shell' ? parseShell(joinContinuations(text, escape)) : []
  const args = node.getArguments().map((a) => a.getValue())
  const paths = keyword === 'COPY' || keyword === 'ADD' ? parseExecForm(text) ?? args : []
  return {
    keyword,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    args,
    text,
    flags,
    form,
    execArgs: execArgs ?? [],
    commands,
    sources: paths.slice(0, -1),
    destination: paths.at(-1) ?? '',
    stage,
  }
}

// Docker's rule: exec form is a JSON array of strings; anything else (e.g. single quotes) is shell form.
function parseExecForm (text: string): string[] | undefined {
  const trimmed = text.trim()
  if (!trimmed.startsWith('[')) return undefined
  try {
    const parsed: unknown = JSON.parse(trimmed.replace(/\\\r?\n/g, ''))
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined
  } catch {
    return undefined
  }
}

/** Accumulates one stage's state as its instructions are read. */
class StageBuilder {
  private readonly instructions: Instruction[]
  private user: UserFact
  private workdir: string
  private readonly env: Record<string, string>
  private readonly args: Record<string, string> = {}
  private readonly keywords: Set<string>

  constructor (
    readonly index: number,
    private readonly name: string,
    private readonly from: ImageRef,
    private readonly platform: string,
    private readonly fromInstruction: Instruction,
    private readonly parent: Stage | undefined,
  ) {
    this.instructions = [fromInstruction]
    this.user = parent?.user ?? { name: '', isRoot: false, line: 0 }
    this.workdir = parent?.workdir ?? ''
    this.env = { ...parent?.env }
    this.keywords = new Set(parent?.keywords ?? [])
  }

  add (instruction: Instruction, node: AstInstruction): void {
    this.instructions.push(instruction)
    this.keywords.add(instruction.keyword)
    const vars = (): Record<string, string> => ({ ...this.args, ...this.env })
    switch (instruction.keyword) {
      case 'ARG':
        Object.assign(this.args, properties(node))
        break
      case 'ENV': {
        // As in Docker, values see the variables from before this instruction, not its own pairs.
        const before = vars()
        for (const [key, value] of Object.entries(properties(node))) this.env[key] = expandVariables(value, before).value
        break
      }
      case 'USER': {
        const name = expandVariables(instruction.args.join(' '), vars()).value
        this.user = { name, isRoot: ROOT_USER.test(name), line: instruction.line }
        break
      }
      case 'WORKDIR': {
        const dir = expandVariables(instruction.args.join(' '), vars()).value
        this.workdir = dir.startsWith('/') || this.workdir === '' ? dir : `${this.workdir.replace(/\/$/, '')}/${dir}`
        break
      }
    }
  }

  done (): Stage {
    const last = this.instructions.at(-1) as Instruction
    return {
      index: this.index,
      name: this.name,
      from: this.from,
      baseImage: this.parent?.baseImage ?? this.from,
      platform: this.platform,
      isFinal: false,
      line: this.fromInstruction.line,
      endLine: last.endLine,
      instructions: this.instructions,
      user: this.user,
      workdir: this.workdir,
      env: this.env,
      keywords: [...this.keywords].sort(),
    }
  }
}
