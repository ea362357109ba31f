// One history step's `created_by` back into Dockerfile text. The builders write it in these forms:
//   classic builder, buildah, podman   /bin/sh -c #(nop)  ENV A=b     /bin/sh -c #(nop) ADD file:… in /
//                                      /bin/sh -c apt-get update     |2 A=b C=d /bin/sh -c make
//   BuildKit                           RUN /bin/sh -c make # buildkit   RUN |1 A=b /bin/sh -c make
//                                      ENV A=b   USER app   COPY . /app # buildkit   EXPOSE map[80/tcp:{}]
// CMD, ENTRYPOINT and HEALTHCHECK are printed with Go's %q (`CMD ["a" "b"]`, `HEALTHCHECK &{["CMD-SHELL" "…"]
// "30s" "3s" "0s" "0s" '\x03'}`), SHELL and VOLUME with %v (`SHELL [/bin/bash -c]`). Values are recorded
// after expansion and unquoted, so they are quoted again here to mean the same in a Dockerfile.
import { goPlainList, goQuotedList, readGoQuoted, readGoQuotedList } from './go-syntax.js'

/** A step as Dockerfile text. */
export interface StepText {
  readonly keyword: string
  /** One line, or for a multi-line RUN a heredoc. */
  readonly text: string
  /** RUN and shell-form CMD/ENTRYPOINT: the shell it names; SHELL: the new shell. */
  readonly shell?: readonly string[]
}

/** The shells a shell-form step may start with, most likely first; and the Dockerfile's escape character. */
export interface StepContext {
  readonly shells: ReadonlyArray<readonly string[]>
  readonly escape: string
}

const KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK', 'EXPOSE', 'ENV', 'ARG', 'LABEL', 'USER', 'WORKDIR',
  'STOPSIGNAL', 'VOLUME', 'COPY', 'ADD', 'ONBUILD', 'MAINTAINER'])
/** A POSIX shell and its flags up to `-c`, for scripts run under a shell no SHELL step recorded. */
const ANY_POSIX_SHELL = /^((?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh|mksh)(?: -o \w+| -[a-zA-Z]+)*? -c) /
const NOP = /^\S.*?(?:-c|\/C|-Command) +#\(nop\) *([\s\S]*)$/i
const ENV_KEY = '[A-Za-z_][A-Za-z0-9_]*'
const LABEL_KEY = '[^\\s="\']+'
const HEALTHCHECK_DURATIONS = ['interval', 'timeout', 'start-period', 'start-interval']
const BUILDKIT = '# buildkit'

/** The step as Dockerfile text; undefined when `created_by` is empty or not readable as an instruction. */
export function stepText (createdBy: string, ctx: StepContext): StepText | undefined {
  // `/\s*# buildkit$/` written out: as a regex it backtracks quadratically over a long run of blanks.
  const trimmed = createdBy.trim()
  const text = trimmed.endsWith(BUILDKIT) ? trimmed.slice(0, -BUILDKIT.length).trimEnd() : trimmed
  const nop = NOP.exec(text)
  if (nop !== null) return instruction(nop[1] as string, ctx)
  const keyword = /^([A-Z]+)(?:\s|$)/.exec(text)?.[1] ?? ''
  return KEYWORDS.has(keyword) ? instruction(text, ctx) : run(text, false, ctx)
}

function instruction (text: string, ctx: StepContext): StepText | undefined {
  const [, keyword = '', rest = ''] = /^([A-Za-z]+)\s*([\s\S]*)$/.exec(text) ?? []
  const upper = keyword.toUpperCase()
  if (upper === 'RUN') return run(rest, true, ctx)
  // Only a RUN can span lines (as a heredoc); anything else that would is not readable as one instruction.
  if (/[\r\n]/.test(rest) || !KEYWORDS.has(upper)) return undefined
  const line = (words: string, shell?: readonly string[]): StepText | undefined =>
    endsWithEscape(words, ctx.escape) ? undefined : { keyword: upper, text: `${upper} ${words}`.trimEnd(), shell }
  switch (upper) {
    case 'CMD':
    case 'ENTRYPOINT': {
      const args = goQuotedList(rest) ?? jsonList(rest)
      if (args === undefined) return line(rest)
      const shell = ctx.shells.find((s) => args.length === s.length + 1 && s.every((word, i) => args[i] === word))
      const script = args.at(-1) as string
      const shellForm = shell !== undefined && !/[\r\n]/.test(script) && !script.trimStart().startsWith('[') ? line(script, shell) : undefined
      return shellForm ?? line(JSON.stringify(args))
    }
    case 'SHELL': {
      const shell = jsonList(rest) ?? goPlainList(rest)
      return shell === undefined || shell.length === 0 ? undefined : line(JSON.stringify(shell), shell)
    }
    case 'VOLUME': {
      const volumes = jsonList(rest) ?? goPlainList(rest)
      return line(volumes === undefined ? rest : JSON.stringify(volumes))
    }
    case 'EXPOSE': {
      // `map[80/tcp:{} 443/tcp:{}]` (BuildKit before 0.13), `[80/tcp]` (later), `80/tcp 443` (classic).
      const map = /^map\[(.*)\]$/.exec(rest)?.[1]
      const ports = map?.split(' ').filter((entry) => entry.endsWith(':{}')).map((entry) => entry.slice(0, -3))
      return line((ports ?? goPlainList(rest) ?? [rest]).join(' '))
    }
    case 'HEALTHCHECK':
      return rest.startsWith('&{') ? healthcheck(rest, ctx) : line(rest)
    case 'ENV':
    case 'LABEL':
    case 'ARG':
      return line(assignments(upper, rest, ctx.escape))
    case 'USER':
    case 'WORKDIR':
    case 'STOPSIGNAL':
      return line(quote(rest, ctx.escape))
    case 'COPY':
    case 'ADD':
      return copy(upper, rest, ctx.escape)
    default: // ONBUILD, MAINTAINER: as written
      return line(rest)
  }
}

// A RUN: `[|N K=V…] <shell> <script>`; without a shell (BuildKit's exec form, `RUN ["a", "b"]`), the arguments.
function run (text: string, explicit: boolean, ctx: StepContext): StepText | undefined {
  const args = /^\|(\d+) /.exec(text)
  const body = args === null ? text : text.slice(args[0].length)
  // Build arguments come first as K=V words; a value may hold spaces, so the shell is looked for, not counted to.
  let found: { shell: readonly string[], script: string, at: number } | undefined
  // Padded, so that a shell with nothing after it (an empty script) is found too.
  const padded = `${body} `
  for (const shell of ctx.shells) {
    const prefix = `${shell.join(' ')} `
    const at = args === null ? (padded.startsWith(prefix) ? 0 : -1) : padded.indexOf(` ${prefix}`) + 1
    if (at >= 0 && (args === null || at > 0) && (found === undefined || at < found.at)) found = { shell, script: body.slice(at + prefix.length), at }
  }
  const posix = found === undefined && args === null ? ANY_POSIX_SHELL.exec(body) : null
  if (posix !== null) found = { shell: (posix[1] as string).split(' '), script: body.slice(posix[0].length), at: 0 }
  if (found === undefined && !explicit) return undefined
  // A continuation at the very end of a script continues onto nothing; in the Dockerfile it would swallow the next line.
  const script = trimEscapes(found?.script ?? body.split(' ').slice(Number(args?.[1] ?? 0)).join(' '), ctx.escape)
  if (script.trim() === '') return undefined
  if (!/[\r\n]/.test(script) && !script.includes('<<')) return { keyword: 'RUN', text: `RUN ${script}`, shell: found?.shell }
  // A script of several lines keeps its meaning as a heredoc, whose body the shell runs as it is.
  const lines = script.split(/\r\n|\r|\n/)
  const taken = new Set(lines.map((l) => l.trim()))
  let delimiter = 'EOF'
  for (let n = 1; taken.has(delimiter); n++) delimiter = `EOF_${n}`
  return { keyword: 'RUN', text: `RUN <<${delimiter}\n${lines.join('\n')}\n${delimiter}`, shell: found?.shell }
}

// `&{[test…] "interval" "timeout" "start-period" ["start-interval"] 'retries'}`: %q of Docker's HealthConfig.
function healthcheck (text: string, ctx: StepContext): StepText | undefined {
  const list = readGoQuotedList(text, 2)
  if (list === undefined) return undefined
  const [[test, ...args], end] = list
  const values: string[] = []
  for (let i = end; text[i] === ' ';) {
    const value = readGoQuoted(text, i + 1)
    if (value === undefined) return undefined
    values.push(value[0])
    i = value[1]
  }
  const retries = values.pop()?.codePointAt(0) ?? 0
  const flags = values.map((value, i) => value === '0s' || HEALTHCHECK_DURATIONS[i] === undefined ? '' : `--${HEALTHCHECK_DURATIONS[i]}=${value} `).join('')
  const options = `${flags}${retries > 0 ? `--retries=${retries} ` : ''}`
  if (test === 'NONE') return { keyword: 'HEALTHCHECK', text: 'HEALTHCHECK NONE' }
  const command = test === 'CMD' ? JSON.stringify(args) : test === 'CMD-SHELL' && args.length === 1 ? args[0] as string : undefined
  if (command === undefined || /[\r\n]/.test(command) || endsWithEscape(command, ctx.escape)) return undefined
  return { keyword: 'HEALTHCHECK', text: `HEALTHCHECK ${options}CMD ${command}` }
}

// ENV, LABEL and ARG record `K=V K2=V2` with values unquoted: split before each `K=`, quote each value.
function assignments (keyword: string, text: string, escape: string): string {
  const key = keyword === 'LABEL' ? LABEL_KEY : ENV_KEY
  const parts = splitBeforeKeys(text, new RegExp(`(?:${key})=`, 'y'))
  return parts.flatMap((part) => {
    const equals = part.indexOf('=')
    if (equals < 0) return keyword === 'ARG' ? part.split(/\s+/) : [part]
    return [`${quote(part.slice(0, equals), escape)}=${quote(part.slice(equals + 1), escape)}`]
  }).join(' ')
}

// text.split(/\s+(?=KEY=)/) without its quadratic backtracking over long blank runs: a key can start only
// where a run of blanks ends, so each run is tried once.
function splitBeforeKeys (text: string, keyAt: RegExp): string[] {
  const parts: string[] = []
  let start = 0
  for (const blanks of text.matchAll(/\s+/g)) {
    keyAt.lastIndex = blanks.index + blanks[0].length
    if (!keyAt.test(text)) continue
    parts.push(text.slice(start, blanks.index))
    start = blanks.index + blanks[0].length
  }
  parts.push(text.slice(start))
  return parts
}

// Classic: `ADD file:<hash> in /dest`, `COPY --chown=1:1 dir:<hash> in /app`; BuildKit: as in the Dockerfile,
// with `<<EOF` for a here-document whose body the history does not keep.
function copy (keyword: string, text: string, escape: string): StepText | undefined {
  const classic = /^((?:--\S+\s+)*)((?:file|dir|multi):\S+) in (.+)$/.exec(text)
  const words = classic === null ? text : `${classic[1]}${classic[2]} ${/\s/.test(classic[3] as string) ? JSON.stringify(classic[3]) : classic[3]}`
  if (endsWithEscape(words, escape)) return undefined
  const heredocs = [...words.matchAll(/<<-?(["']?)([A-Za-z0-9_.-]+)\1/g)].map((m) => `\n${m[2]}`)
  return { keyword, text: `${keyword} ${words}${heredocs.join('')}` }
}

// The items of a JSON array of strings, as a builder that prints JSON (not Go) writes them.
function jsonList (text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined
  } catch {
    return undefined
  }
}

/** A literal value as one Dockerfile word: quoted when it holds anything but plain characters. */
function quote (value: string, escape: string): string {
  if (/^[\w./:,+@%^~=-]+$/.test(value)) return value
  return `"${value.replace(new RegExp(`[${escape === '\\' ? '\\\\' : escape}"$]`, 'g'), (c) => `${escape}${c}`)}"`
}

// A line ending in the escape character would continue onto the next instruction.
const endsWithEscape = (text: string, escape: string): boolean => text.trimEnd().endsWith(escape)
function trimEscapes (text: string, escape: string): string {
  let trimmed = text
  while (endsWithEscape(trimmed, escape)) trimmed = trimmed.trimEnd().slice(0, -1).trimEnd()
  return trimmed
}
