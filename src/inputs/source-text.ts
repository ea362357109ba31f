/** A line/character position as dockerfile-ast reports it (0-based, UTF-16 code units). */
export interface Position { readonly line: number, readonly character: number }

/** The Dockerfile's text, sliceable by dockerfile-ast positions. */
export class SourceText {
  private readonly lineStarts: number[] = [0]

  constructor (readonly text: string) {
    // Lines end at \r\n, \r or \n, as for dockerfile-ast.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++
      if (c === 13 || c === 10) this.lineStarts.push(i + 1)
    }
  }

  offset (position: Position): number {
    const start = this.lineStarts[position.line] ?? this.text.length
    return Math.min(start + position.character, this.text.length)
  }

  /** The position of an offset: the inverse of `offset`. */
  position (offset: number): Position {
    let low = 0
    let high = this.lineStarts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((this.lineStarts[middle] as number) <= offset) low = middle
      else high = middle - 1
    }
    return { line: low, character: offset - (this.lineStarts[low] as number) }
  }

  /** Where line `line` (from 0) ends, before its line break. */
  lineEnd (line: number): number {
    const next = this.lineStarts[line + 1]
    if (next === undefined) return this.text.length
    return next - (this.text.charCodeAt(next - 2) === 13 && this.text.charCodeAt(next - 1) === 10 ? 2 : 1)
  }

  slice (start: Position, end: Position): string {
    return this.text.slice(this.offset(start), this.offset(end))
  }
}
