import type { Argument, Instruction as AstInstruction } from 'dockerfile-ast'
import { BoundedCache } from '../bounded-cache.js'
import type { Flag, Heredoc, Instruction, ShellCommand } from '../facts/types.js'
import { processWord, splitWords, type Variables } from './expand.js'
import { joinContinuations, parseShell, scriptSource, type ShellSource } from './shell.js'
import type { SourceText } from './source-text.js'

/** Keywords whose arguments Docker expands and unquotes itself. */
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG'])
const FORM_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL'])
const PROPERTY_KEYWORDS = new Set(['ENV', 'ARG', 'LABEL'])
/** Shells whose scripts are POSIX-like enough to parse; others (cmd, powershell) get no commands. */
const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox'])

interface AstFlag { getName(): string, getValue(): string | null, getOptions(): Array<{ getName(): string, getValue(): string | null }> }
interface AstProperty { getName(): string, getValue(): string | null, getValueRange(): { start: Position, end: Position } | null }
interface AstHeredoc { getName(): string, getStartRange(): Range, getContentRange(): Range | null, getDelimiterRange(): Range | null }
interface Position { line: number, character: number }
interface Range { start: Position, end: Position }

/** What an instruction needs from its surroundings. */
export interface InstructionContext {
  readonly source: SourceText
  readonly escape: string
  /** Variables in scope for expansion. */
  readonly vars: Variables
  /** The stage's SHELL: decides whether shell-form text is parsed as POSIX shell. */
  readonly shell: readonly string[]
  readonly stage: number
  /** Position in the file's instructions. */
  readonly index: number
  /** How many instructions with its keyword its stage holds up to it, itself included. */
  readonly occurrence: number
  /** True while reading an ONBUILD's trigger. */
  readonly isTrigger?: boolean
}

/** Turns one dockerfile-ast instruction into facts. `keyword` is its upper-case keyword, when the caller has it. */
export function toInstruction (node: AstInstruction, ctx: InstructionContext, keyword = node.getKeyword().toUpperCase()): Instruction {
  const range = node.getRange()
  // dockerfile-ast rescans the instruction on each accessor call: its arguments are read once here, and the text
  // and lines that getRawArgumentsContent and getArgumentsRange would derive from them are taken from them.
  const astArgs = node.getArguments()
  const first = astArgs[0]?.getRange()
  const fullText = first === undefined ? '' : ctx.source.slice(first.start, astArgs[astArgs.length - 1]!.getRange().end)
  // Heredocs start at an argument `<<…` (dockerfile-ast finds none otherwise), and arguments hold only characters
  // of the text: an instruction without `<` skips the heredoc scan.
  const heredocs = fullText.includes('<') && astArgs.some(opensHeredoc) ? readHeredocs(node, ctx.source) : []
  // With heredocs, the instruction's own text ends where the first body begins.
  const headerEnd = heredocs.length > 0 ? heredocs[0]!.line - 1 : Infinity
  const args: string[] = []
  for (const arg of astArgs) if (arg.getRange().start.line + 1 <= headerEnd) args.push(arg.getValue())
  // Flags may sit on lines of their own: the text starts on its first argument's line.
  const textLine = (first?.start.line ?? range.start.line) + 1
  const text = heredocs.length > 0 ? fullText.split(/\r?\n/).slice(0, headerEnd - textLine + 1).join('\n') : fullText
  const astFlags = (node as unknown as { getFlags?(): AstFlag[] }).getFlags?.() ?? []
  // `--` ends the flags (dockerfile-ast reports it as a flag without a name).
  const flags: Flag[] = astFlags.filter((f) => f.getName() !== '').map((f) => ({
    name: f.getName(),
    value: f.getValue() ?? '',
    options: Object.fromEntries(f.getOptions().map((o) => [o.getName(), o.getValue() ?? ''])),
  }))

  const shellText = joinContinuations(text, ctx.escape, textLine)
  const joined = shellText.script
  const isHealthcheckCmd = keyword === 'HEALTHCHECK' && /^cmd\b/i.test(joined.trimStart())
  const commandText = isHealthcheckCmd ? joined.trimStart().slice(3) : joined
  const hasForm = FORM_KEYWORDS.has(keyword) || isHealthcheckCmd
  const execArgs = hasForm ? parseExecForm(commandText) : undefined
  const form = !hasForm ? 'none' : execArgs === undefined ? 'shell' : 'exec'

  let words: string[] = args
  const unresolved: string[] = []
  const sources: string[] = []
  let destination = ''
  const properties: Record<string, string> = {}
  if (EXPANDED.has(keyword)) {
    const json = keyword === 'COPY' || keyword === 'ADD' || keyword === 'VOLUME' ? parseExecForm(joined) : undefined
    const raw = json ?? splitWords(joined, ctx.escape)
    words = []
    for (const word of raw) {
      const expansion = json === undefined ? processWord(word, ctx.vars, ctx.escape) : processWord(JSON.stringify(word), ctx.vars, '\\')
      for (const name of expansion.unresolved) unresolved.push(name)
      words.push(expansion.value)
    }
    if (keyword === 'COPY' || keyword === 'ADD') {
      const paths = words.filter((w) => !w.startsWith('<<'))
      sources.push(...paths.slice(0, -1), ...heredocs.map((h) => `<<${h.name}`))
      destination = paths.at(-1) ?? ''
    }
  }
  if (PROPERTY_KEYWORDS.has(keyword)) {
    for (const property of (node as unknown as { getProperties(): AstProperty[] }).getProperties()) {
      const valueRange = property.getValueRange()
      const rawValue = valueRange === null ? undefined : ctx.source.slice(valueRange.start, valueRange.end)
      if (rawValue === undefined) {
        properties[property.getName()] = ''
        continue
      }
      // Continuations inside the value are removed (only a value that spans lines has one).
      const value = rawValue.includes('\n') ? rawValue.replace(continuationPattern(ctx.escape), '') : rawValue
      const expansion = processWord(value, ctx.vars, ctx.escape)
      if (keyword !== 'ARG') for (const name of expansion.unresolved) unresolved.push(name)
      properties[property.getName()] = expansion.value
    }
  }

  // The shell sees the same joined text unless heredoc bodies or HEALTHCHECK's CMD change it (see commandsOf).
  const shellSource = heredocs.length === 0 && !isHealthcheckCmd ? shellText : undefined
  const trigger = keyword === 'ONBUILD' ? (node as unknown as { getTriggerInstruction(): AstInstruction | null }).getTriggerInstruction() : null
  return {
    keyword,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    args,
    words,
    unresolved: unresolved.length === 0 ? [] : [...new Set(unresolved)],
    text,
    flags,
    form,
    execArgs: execArgs ?? [],
    commands: commandsOf(keyword, form, execArgs, heredocs.length > 0 ? fullText : text, heredocs, ctx, isHealthcheckCmd, textLine, shellSource),
    sources,
    destination,
    properties,
    heredocs,
    trigger: trigger === null ? null : toInstruction(trigger, { ...ctx, occurrence: 0, isTrigger: true }),
    stage: ctx.stage,
    index: ctx.index,
    occurrence: ctx.occurrence,
    isTrigger: ctx.isTrigger ?? false,
  }
}

const opensHeredoc = (arg: Argument): boolean => arg.getValue().startsWith('<<')

// Which shell commands an instruction runs: its shell form, `sh -c` in exec form, and for RUN the
// heredoc bodies that are scripts (`RUN <<EOF`, `RUN bash <<EOF`), not data (`RUN cat <<EOF > file`).
// With heredocs, `text` is the whole instruction, bodies included, which is valid shell as it stands.
function commandsOf (keyword: string, form: string, execArgs: string[] | undefined, text: string, heredocs: Heredoc[],
  ctx: InstructionContext, isHealthcheckCmd: boolean, line: number, joined: ShellSource | undefined): ShellCommand[] {
  if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT' && !isHealthcheckCmd) return []
  if (form === 'exec') return parseShell(scriptSource((execArgs ?? []).map(shellQuote).join(' '), line))
  if (!POSIX_SHELLS.has(basename(ctx.shell[0] ?? 'sh'))) return []
  const header = isHealthcheckCmd ? text.replace(/^\s*cmd\b/i, '   ') : text
  const commands = parseShell(joined ?? joinContinuations(header, ctx.escape, line))
  if (keyword !== 'RUN' || heredocs.length === 0) return commands
  const scriptRunner = commands.length === 0 || (commands.length === 1 && POSIX_SHELLS.has(commands[0]!.program) && commands[0]!.args.every((a) => a.startsWith('-')))
  if (!scriptRunner) return commands
  return [...commands, ...heredocs.flatMap((h) => parseShell(scriptSource(h.body, h.line)))]
}

function readHeredocs (node: AstInstruction, source: SourceText): Heredoc[] {
  const docs = (node as unknown as { getHeredocs?(): AstHeredoc[] }).getHeredocs?.() ?? []
  return docs.map((doc) => {
    const content = doc.getContentRange()
    const delimiter = doc.getDelimiterRange()
    const opener = source.slice(doc.getStartRange().start, doc.getStartRange().end)
    const end = delimiter?.start.line ?? content?.end.line ?? doc.getStartRange().end.line
    // Like BuildKit, the body keeps the newline that ends its last line.
    let body = content === null ? '' : source.slice(content.start, content.end) + '\n'
    if (opener.startsWith('<<-')) body = body.replace(/^\t+/gm, '')
    return {
      name: doc.getName(),
      body,
      line: (content?.start.line ?? end) + 1,
      endLine: end + 1,
      expands: !/^<<-?\s*["']/.test(opener),
    }
  })
}

/** Docker's rule: exec form is a JSON array of strings; anything else (single quotes, say) is shell form. */
export function parseExecForm (text: string): string[] | undefined {
  const trimmed = text.trim()
  if (!trimmed.startsWith('[')) return undefined
  try {
    const parsed: unknown = JSON.parse(trimmed)
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined
  } catch {
    return undefined
  }
}

const shellQuote = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`
const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1).replace(/\.exe$/i, '').toLowerCase()
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// The escape character and a newline: a continuation. Built once per escape character.
const continuations = new BoundedCache<RegExp>()
const continuationPattern = (escape: string): RegExp => continuations.get(escape, () => new RegExp(`${escapeRegExp(escape)}\\r?\\n`, 'g'))
