// From a RUN instruction's text to the script the shell receives: continuation lines joined, and each offset
// in the script mapped back to its Dockerfile line.

/** A RUN script with a way back to Dockerfile lines. */
export interface ShellSource {
  /** The shell text, as the shell would receive it. */
  readonly script: string
  /** The Dockerfile line of the character at `offset` in `script`. */
  readonly lineAt: (offset: number) => number
  /**
   * Where `offset` in `script` stands in the Dockerfile: line, and column from 0. `end`: an offset that ends a
   * word maps to the end of its line rather than to the start of the next one.
   */
  readonly positionAt: (offset: number, end?: boolean) => { line: number, column: number }
}

/**
 * Joins Docker continuation lines (escape char + newline; comment lines and empty lines inside a continuation are
 * dropped, as Docker does) into one script, keeping a map from offsets in the script to Dockerfile lines.
 * `firstLine` is the Dockerfile line of the instruction's first argument, `firstColumn` its column from 0.
 */
export function joinContinuations (raw: string, escape: string, firstLine: number, firstColumn = 0): ShellSource {
  // Docker's own rule (buildkit's parser): the escape character then only spaces or tabs ends a continued line;
  // it and the newline are removed, nothing is put in their place.
  const continued = continuation(escape)
  const starts: number[] = []
  const lineNumbers: number[] = []
  let script = ''
  let continuing = false
  // Line by line, as raw.split('\n') would give them, without the array.
  for (let from = 0, index = 0; from <= raw.length; index++) {
    const newline = raw.indexOf('\n', from)
    const isLast = newline === -1
    const to = isLast ? raw.length : newline
    const line = to > from && raw.charCodeAt(to - 1) === 13 ? raw.slice(from, to - 1) : raw.slice(from, to) // \r
    from = to + 1
    if (continuing && (line.trim() === '' || line.trimStart().startsWith('#'))) continue
    starts.push(script.length)
    lineNumbers.push(firstLine + index)
    const match = continued.exec(line)
    continuing = match !== null
    script += match !== null ? line.slice(0, match.index) : line
    // A line that does not continue ends the instruction in a plain Dockerfile; text after it (heredoc bodies)
    // keeps its newlines so that it parses as shell and maps line by line.
    if (match === null && !isLast) script += '\n'
  }
  return new LineMap(script, starts, lineNumbers, firstLine, firstColumn)
}

// A class rather than a closure per script: instructions join continuations by the thousand (and under tsx every
// closure is also given a name).
class LineMap implements ShellSource {
  constructor (readonly script: string, private readonly starts: readonly number[], private readonly lines: readonly number[],
    private readonly firstLine: number, private readonly firstColumn = 0) {}

  lineAt (offset: number): number {
    return this.lines[lastAtOrBefore(this.starts, offset)] ?? this.firstLine
  }

  positionAt (offset: number, end = false): { line: number, column: number } {
    const index = lastAtOrBefore(this.starts, end && offset > 0 ? offset - 1 : offset)
    return { line: this.lines[index] ?? this.firstLine, column: offset - (this.starts[index] ?? 0) + (index === 0 ? this.firstColumn : 0) }
  }
}

const continuations = new Map<string, RegExp>()
function continuation (escape: string): RegExp {
  let pattern = continuations.get(escape)
  if (pattern === undefined) {
    pattern = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[ \\t]*$`)
    continuations.set(escape, pattern)
  }
  return pattern
}

/** A heredoc body or other multi-line script that is shell text already: lines map 1:1 from firstLine. */
export function scriptSource (script: string, firstLine: number): ShellSource {
  const starts = [0]
  const lines = [firstLine]
  for (let at = script.indexOf('\n'); at !== -1; at = script.indexOf('\n', at + 1)) {
    starts.push(at + 1)
    lines.push(firstLine + lines.length)
  }
  return new LineMap(script, starts, lines, firstLine)
}

/** The index of the last entry of ascending `starts` that is at or before `offset` (0 when none is). */
function lastAtOrBefore (starts: readonly number[], offset: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((starts[middle] as number) <= offset) low = middle
    else high = middle - 1
  }
  return low
}
