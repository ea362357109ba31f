/** A line/character position as dockerfile-ast reports it (0-based, UTF-16 code units). */
export interface Position { readonly line: number, readonly character: number }

/** The Dockerfile's text, sliceable by dockerfile-ast positions. */
export class SourceText {
  private readonly lineStarts: number[] = [0]

  constructor (readonly text: string) {
    for (const match of text.matchAll(/\r\n|\r|\n/g)) this.lineStarts.push(match.index + match[0].length)
  }

  offset (position: Position): number {
    const start = this.lineStarts[position.line] ?? this.text.length
    return Math.min(start + position.character, this.text.length)
  }

  slice (start: Position, end: Position): string {
    return this.text.slice(this.offset(start), this.offset(end))
  }
}
