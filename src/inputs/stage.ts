import type { Instruction as AstInstruction } from 'dockerfile-ast'
import type { Healthcheck, ImageRef, Instruction, Port, Stage, StartCommand, UserFact } from '../facts/types.js'
import { expandVariables, processWord, splitWords, type Variables } from './expand.js'
import { toInstruction } from './instruction.js'
import type { SourceText } from './source-text.js'

const ROOT_USER = /^(root|0)(:.*)?$/
const DEFAULT_SHELL = ['/bin/sh', '-c']
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp'])
/** Keywords whose value is their words joined. */
const WORD_KEYWORDS = new Set(['USER', 'WORKDIR', 'HEALTHCHECK', 'STOPSIGNAL'])

/** What a stage knows about the file around it. */
export interface StageContext {
  readonly source: SourceText
  readonly escape: string
  /** ARGs declared before the first FROM (undefined: declared without a default). */
  readonly globalArgs: Variables
  /** Stages before this one, to resolve `FROM <stage>`, `COPY --from` and `RUN --mount=from=`. */
  readonly earlier: readonly Stage[]
}

/** Accumulates one stage's state as its instructions are read, starting from its parent stage's. */
/** Counts instructions by keyword as they come. */
export class KeywordCount {
  private readonly counts = new Map<string, number>()
  constructor (seen: readonly string[] = []) { for (const keyword of seen) this.next(keyword) }
  /** The keyword's count, this one included. */
  next (keyword: string): number {
    const count = (this.counts.get(keyword) ?? 0) + 1
    this.counts.set(keyword, count)
    return count
  }
}

export class StageBuilder {
  private readonly instructions: Instruction[]
  private user: UserFact
  private workdir: string
  private readonly env: Record<string, string>
  private readonly args: Record<string, string | undefined> = {}
  private readonly labels: Record<string, string>
  private readonly exposedPorts: Port[]
  private readonly volumes: string[]
  private shell: readonly string[]
  private cmd: StartCommand | null
  private cmdInherited: boolean
  private entrypoint: StartCommand | null
  private healthcheck: Healthcheck | null
  private stopSignal: string
  private readonly onbuild: Instruction[] = []
  private readonly keywords: Set<string>
  private readonly dependsOn = new Set<number>()

  constructor (
    readonly index: number,
    private readonly name: string,
    private readonly from: ImageRef,
    private readonly platform: string,
    private readonly fromInstruction: Instruction,
    private readonly parent: Stage | undefined,
    private readonly ctx: StageContext,
  ) {
    this.instructions = [fromInstruction]
    this.user = parent?.user ?? { name: '', isRoot: false, line: 0 }
    this.workdir = parent?.workdir ?? ''
    this.env = { ...parent?.env }
    this.labels = { ...parent?.labels }
    this.exposedPorts = [...parent?.exposedPorts ?? []]
    this.volumes = [...parent?.volumes ?? []]
    this.shell = parent?.shell ?? DEFAULT_SHELL
    this.cmd = parent?.cmd ?? null
    this.cmdInherited = this.cmd !== null
    this.entrypoint = parent?.entrypoint ?? null
    this.healthcheck = parent?.healthcheck ?? null
    this.stopSignal = parent?.stopSignal ?? ''
    this.keywords = new Set(parent?.keywords ?? [])
    if (parent !== undefined) this.dependsOn.add(parent.index)
  }

  private scope: Variables | undefined

  /** Variables an instruction of this stage can expand: its ARGs, then its ENV (ENV wins, as in Docker). Rebuilt after ARG and ENV only. */
  private vars (): Variables {
    // Object.assign rather than two spreads, which V8 runs on a slow path; neither record has a `__proto__` key.
    this.scope ??= Object.assign({}, this.args, this.env)
    return this.scope
  }

  private readonly counts = new KeywordCount(['FROM'])

  /** Adds the next instruction of the stage; `index` is its position in the file. */
  add (node: AstInstruction, index: number, keyword = node.getKeyword().toUpperCase()): Instruction {
    const occurrence = this.counts.next(keyword)
    let instruction = toInstruction(node, { source: this.ctx.source, escape: this.ctx.escape, vars: this.vars(), shell: this.shell, stage: this.index, index, occurrence }, keyword)
    if (instruction.keyword === 'RUN') instruction = this.expandAccounts(instruction)
    this.instructions.push(instruction)
    this.keywords.add(instruction.keyword)
    const word = WORD_KEYWORDS.has(instruction.keyword) ? instruction.words.join(' ') : ''
    switch (instruction.keyword) {
      case 'ARG':
        this.scope = undefined
        for (const [key, value] of Object.entries(instruction.properties)) {
          const hasDefault = instruction.words.some((w) => w.startsWith(`${key}=`))
          this.args[key] = hasDefault ? value : this.ctx.globalArgs[key]
        }
        break
      case 'ENV':
        this.scope = undefined
        Object.assign(this.env, instruction.properties)
        break
      case 'LABEL':
        Object.assign(this.labels, instruction.properties)
        break
      case 'USER': {
        const name = this.keepOpen(instruction, word)
        this.user = { name, isRoot: ROOT_USER.test(name), line: instruction.line }
        break
      }
      case 'WORKDIR': {
        const path = this.keepOpen(instruction, word)
        this.workdir = isAbsolute(path) || this.workdir === '' ? path : `${this.workdir.replace(/[\\/]$/, '')}/${path}`
        break
      }
      case 'EXPOSE':
        this.exposedPorts.push(...instruction.words.map((text) => port(text, instruction.line)))
        break
      case 'VOLUME':
        this.volumes.push(...instruction.words)
        break
      case 'SHELL':
        if (instruction.form === 'exec') this.shell = instruction.execArgs
        break
      case 'CMD':
        this.cmd = startCommand(instruction)
        this.cmdInherited = false
        break
      case 'ENTRYPOINT':
        // Docker: setting ENTRYPOINT clears a CMD inherited from the base image.
        if (this.cmdInherited) this.cmd = null
        this.entrypoint = startCommand(instruction)
        break
      case 'HEALTHCHECK':
        this.healthcheck = {
          test: /^none$/i.test(word) ? 'none' : 'cmd',
          form: instruction.form,
          args: instruction.form === 'exec' ? instruction.execArgs : instruction.form === 'shell' ? [instruction.text.replace(/^\s*cmd\s+/i, '')] : [],
          options: Object.fromEntries(instruction.flags.map((f) => [f.name, f.value])),
          line: instruction.line,
        }
        break
      case 'STOPSIGNAL':
        this.stopSignal = word
        break
      case 'ONBUILD':
        if (instruction.trigger !== null) this.onbuild.push(instruction.trigger)
        break
      case 'COPY':
      case 'ADD':
        this.dependOn(instruction.flags.find((f) => f.name === 'from')?.value)
        break
      case 'RUN':
        for (const flag of instruction.flags) if (flag.name === 'mount') this.dependOn(flag.options.from)
        break
    }
    return instruction
  }

  // USER and WORKDIR set a value even when it comes from a variable the Dockerfile leaves open (a build
  // argument without default, or the base image's ENV such as $HOME): such variables stay written as
  // `${NAME}`, so `USER ${UID}` is a user that is not root, not a missing USER.
  private keepOpen (instruction: Instruction, expanded: string): string {
    if (instruction.unresolved.length === 0) return expanded
    const vars = { ...this.vars(), ...Object.fromEntries(instruction.unresolved.map((name) => [name, `\${${name}}`])) }
    const text = instruction.text.replace(new RegExp(`${escapeRegExp(this.ctx.escape)}\\r?\\n`, 'g'), '')
    return splitWords(text, this.ctx.escape).map((w) => processWord(w, vars, this.ctx.escape).value).join(' ')
  }

  // RUN sees ARG and ENV values as environment variables, so `useradd $APP_USER` creates the user they name.
  // A variable the Dockerfile leaves open (or a shell variable) stays as written.
  private expandAccounts (instruction: Instruction): Instruction {
    if (!instruction.commands.some((c) => c.account !== null && `${c.account.name}${c.account.id}${c.account.group}`.includes('$'))) return instruction
    const vars = this.vars()
    const value = (text: string): string => {
      const expansion = text.includes('$') ? expandVariables(text, vars) : undefined
      return expansion === undefined || expansion.unresolved.length > 0 ? text : expansion.value
    }
    const commands = instruction.commands.map((c) => c.account === null
      ? c
      : { ...c, account: { ...c.account, name: value(c.account.name), id: value(c.account.id), group: value(c.account.group) } })
    return { ...instruction, commands }
  }

  // `--from` names an earlier stage (case-insensitively) or its index; anything else is an image.
  private dependOn (reference: string | undefined): void {
    if (reference === undefined || reference === '') return
    const lower = reference.toLowerCase()
    const stage = /^\d+$/.test(lower) ? this.ctx.earlier[Number(lower)] : this.ctx.earlier.find((s) => s.name === lower)
    if (stage !== undefined) this.dependsOn.add(stage.index)
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
      reachesFinal: false,
      inFinalImage: false,
      dependsOn: [...this.dependsOn].sort((a, b) => a - b),
      line: this.fromInstruction.line,
      endLine: last.endLine,
      instructions: this.instructions,
      user: this.user,
      workdir: this.workdir,
      env: this.env,
      args: Object.fromEntries(Object.entries(this.args).map(([k, v]) => [k, v ?? ''])),
      labels: this.labels,
      exposedPorts: this.exposedPorts,
      volumes: this.volumes,
      shell: this.shell,
      cmd: this.cmd,
      entrypoint: this.entrypoint,
      healthcheck: this.healthcheck,
      stopSignal: this.stopSignal,
      onbuild: this.onbuild,
      keywords: [...this.keywords].sort(),
    }
  }
}

function startCommand (instruction: Instruction): StartCommand {
  return {
    form: instruction.form === 'exec' ? 'exec' : 'shell',
    args: instruction.form === 'exec' ? instruction.execArgs : [instruction.text],
    line: instruction.line,
  }
}

function port (text: string, line: number): Port {
  const [range = '', protocol = 'tcp'] = text.split('/')
  const [first = '', last = first] = range.split('-')
  const start = number(first)
  const end = number(last)
  const valid = start <= 65535 && end <= 65535 && start <= end && PROTOCOLS.has(protocol.toLowerCase())
  return { text, port: Number.isNaN(start) ? 0 : start, endPort: Number.isNaN(end) ? 0 : end, protocol: protocol.toLowerCase(), valid, line }
}

const number = (s: string): number => /^\d{1,5}$/.test(s) ? Number(s) : NaN

// A path that starts with a variable is taken as absolute: its value (`$HOME`, `${APP_DIR}`) is.
const isAbsolute = (path: string): boolean => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\') || path.startsWith('$')
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
