// The build history read back as one Dockerfile: `FROM scratch`, then one instruction per readable step,
// parsed once by dockerfileFacts so Dockerfile rules can run on an image; each step gets its instruction.
import type { ImageHistoryEntry } from '../../facts/image-types.js'
import type { DockerfileFacts } from '../../facts/types.js'
import { dockerfileFacts } from '../dockerfile.js'
import { stepText } from './created-by.js'

/** One history step as the document records it. */
export interface HistoryStep {
  readonly created: string
  readonly createdBy: string
  readonly comment: string
  readonly emptyLayer: boolean
}

const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c']
const WINDOWS_SHELL: readonly string[] = ['cmd', '/S', '/C']

/**
 * Reads the steps back into instructions. `shell` is the image's configured SHELL (a candidate for steps run
 * under it); `os` "windows" makes the Dockerfile use the backtick escape, as Windows paths hold backslashes.
 */
export function readHistory (steps: readonly HistoryStep[], shell: readonly string[], os: string): { history: ImageHistoryEntry[], dockerfile: DockerfileFacts } {
  const windows = os.toLowerCase() === 'windows'
  const escape = windows ? '`' : '\\'
  const lines = windows ? ['# escape=`', 'FROM scratch'] : ['FROM scratch']
  // The shell the builder ran steps under (SHELL steps change it), and the one the Dockerfile so far declares.
  let current = windows ? WINDOWS_SHELL : DEFAULT_SHELL
  let declared = DEFAULT_SHELL
  const placed: Array<{ line: number, keyword: string } | undefined> = steps.map((step) => {
    const shells = unique([current, shell, DEFAULT_SHELL, WINDOWS_SHELL])
    const read = stepText(step.createdBy, { shells, escape })
    if (read === undefined) return undefined
    if (read.keyword === 'SHELL') {
      current = read.shell as readonly string[]
      declared = current
    } else if (read.shell !== undefined && !same(read.shell, declared)) {
      // The step ran under a shell the Dockerfile has not declared (Windows' cmd, a SHELL the history lost).
      lines.push(`SHELL ${JSON.stringify(read.shell)}`)
      declared = read.shell
    }
    const line = lines.length + 1
    lines.push(...read.text.split('\n'))
    return { line, keyword: read.keyword }
  })
  const dockerfile = dockerfileFacts(lines.join('\n'), {})
  const byLine = new Map(dockerfile.instructions.map((instruction) => [instruction.line, instruction]))
  const ownFrom = baseEnd(steps, placed)
  const history = steps.map((step, index) => {
    const at = placed[index]
    const instruction = at === undefined ? undefined : byLine.get(at.line)
    const matches = instruction !== undefined && instruction.keyword === at?.keyword
    return { index, created: step.created, createdBy: step.createdBy, comment: step.comment, emptyLayer: step.emptyLayer, fromBase: index < ownFrom, instruction: matches ? instruction : null }
  })
  return { history, dockerfile }
}

// The history does not mark where the base image ends. A base ends with its CMD or ENTRYPOINT, and the image
// built on it adds layers after that (Trivy guesses the same way): the steps up to the last such start
// command with a layer after it are the base's; without one, every step counts as the image's own.
function baseEnd (steps: readonly HistoryStep[], placed: ReadonlyArray<{ keyword: string } | undefined>): number {
  let end = 0
  let start = -1
  steps.forEach((step, index) => {
    if (['CMD', 'ENTRYPOINT'].includes(placed[index]?.keyword ?? '')) start = index
    else if (!step.emptyLayer && start >= 0) end = start + 1
  })
  return end
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((word, i) => word === b[i])
const unique = (shells: ReadonlyArray<readonly string[]>): ReadonlyArray<readonly string[]> =>
  shells.filter((shell, i) => shell.length > 0 && shells.findIndex((other) => same(other, shell)) === i)
