// The run configuration of an image (the `config` of an image config, `Config` of inspect output) as facts:
// user, environment, ports, labels, healthcheck, entrypoint and command, working directory, volumes.
import type { ImageFacts, ImageHealthcheck, ImagePort, ImageStartCommand, ImageUser } from '../../facts/image-types.js'
import { field, type At, type FieldReader } from './json.js'
import { goDuration } from './go-syntax.js'

/** The run configuration's facts. */
export type RunConfig = Pick<ImageFacts, 'user' | 'env' | 'exposedPorts' | 'labels' | 'healthcheck' | 'entrypoint' | 'cmd' | 'workdir' | 'volumes' | 'stopSignal' | 'shell'>

const ROOT_USER = /^(root|0)?(:.*)?$/
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp'])
const DEFAULT_SHELL = ['/bin/sh', '-c']
const WINDOWS_SHELL = ['cmd', '/S', '/C']
/** Healthcheck durations by option name, as the config names them. */
const DURATIONS: ReadonlyArray<[string, string]> = [['interval', 'Interval'], ['timeout', 'Timeout'], ['start-period', 'StartPeriod'], ['start-interval', 'StartInterval']]

/** Reads a run configuration; `at` may be absent (an image with no config runs as root with nothing set). */
export function readRunConfig (reader: FieldReader, at: At, os: string): RunConfig {
  reader.object(at)
  const shell = reader.strings(field(at, 'Shell'))
  const start = (name: string): ImageStartCommand | null => startCommand(reader.strings(field(at, name)), shell, os)
  return {
    user: imageUser(reader.string(field(at, 'User'))),
    env: environment(reader.strings(field(at, 'Env'))),
    exposedPorts: reader.keys(field(at, 'ExposedPorts')).map(imagePort),
    labels: reader.stringMap(field(at, 'Labels')),
    healthcheck: healthcheck(reader, field(at, 'Healthcheck')),
    entrypoint: start('Entrypoint'),
    cmd: start('Cmd'),
    workdir: reader.string(field(at, 'WorkingDir')),
    volumes: reader.keys(field(at, 'Volumes')),
    stopSignal: reader.string(field(at, 'StopSignal')),
    shell,
  }
}

/** The user as configured: "" (none set), root, 0, root:<group> and 0:<gid> are root. */
export function imageUser (name: string): ImageUser {
  return { name, isRoot: ROOT_USER.test(name), isNumeric: /^\d+(:|$)/.test(name) }
}

/** `KEY=VALUE` entries as a map; a later entry wins, and an entry without `=` sets the name to "". */
export function environment (entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(new Map(entries.map((entry) => {
    const equals = entry.indexOf('=')
    return equals < 0 ? [entry, ''] : [entry.slice(0, equals), entry.slice(equals + 1)]
  })))
}

/** An exposed port key: "8080/tcp", "53/udp", "8000-8010/tcp"; tcp when no protocol is written. */
export function imagePort (text: string): ImagePort {
  const [range = '', protocol = 'tcp', ...rest] = text.split('/')
  const [first = '', last = first, ...more] = range.split('-')
  const number = (s: string): number => /^\d{1,5}$/.test(s) ? Number(s) : NaN
  const start = number(first)
  const end = number(last)
  const valid = start <= 65535 && end <= 65535 && start <= end && PROTOCOLS.has(protocol.toLowerCase()) && rest.length === 0 && more.length === 0
  return { text, port: Number.isNaN(start) ? 0 : start, endPort: Number.isNaN(end) ? 0 : end, protocol: protocol.toLowerCase(), valid }
}

/**
 * ENTRYPOINT or CMD from its arguments. Docker stores shell form as the shell and the script (`/bin/sh -c
 * <script>`, or the image's SHELL, or `cmd /S /C` on Windows), so those arguments read back as shell form.
 */
export function startCommand (args: readonly string[], shell: readonly string[], os: string): ImageStartCommand | null {
  if (args.length === 0) return null
  const windows = os.toLowerCase() === 'windows'
  const shells = [shell, windows ? WINDOWS_SHELL : DEFAULT_SHELL].filter((s) => s.length > 0)
  const same = (a: string, b: string): boolean => windows ? a.toLowerCase().replace(/\.exe$/, '') === b.toLowerCase().replace(/\.exe$/, '') : a === b
  const isShellForm = shells.some((s) => args.length === s.length + 1 && s.every((word, i) => same(args[i] as string, word)))
  return { form: isShellForm ? 'shell' : 'exec', args, script: isShellForm ? args.at(-1) as string : '' }
}

/** The Healthcheck of a config: Test ["NONE"], ["CMD", …] or ["CMD-SHELL", "…"]; durations in nanoseconds. */
export function healthcheck (reader: FieldReader, at: At): ImageHealthcheck | null {
  reader.object(at)
  const [test, ...args] = reader.strings(field(at, 'Test'))
  // No Test means "inherit": for the final image, none is set.
  if (test === undefined) return null
  if (test === 'NONE') return { test: 'none', form: 'none', args: [], options: {} }
  if (test !== 'CMD' && test !== 'CMD-SHELL') {
    reader.refuse(field(at, 'Test'), `a healthcheck test starts with NONE, CMD or CMD-SHELL, found "${test}"`)
    return null
  }
  const options: Record<string, string> = {}
  // 0 means the default: like a Dockerfile without the flag.
  for (const [option, name] of DURATIONS) {
    const nanoseconds = reader.number(field(at, name)) ?? 0
    if (nanoseconds !== 0) options[option] = goDuration(nanoseconds)
  }
  const retries = reader.number(field(at, 'Retries')) ?? 0
  if (retries !== 0) options.retries = String(retries)
  return { test: 'cmd', form: test === 'CMD' ? 'exec' : 'shell', args, options }
}
