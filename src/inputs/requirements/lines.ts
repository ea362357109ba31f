// pip's preprocess(): physical lines into logical lines (splitlines, join_lines, ignore_comments). Environment
// variables stay as written: they are the build's, not ours.

// str.splitlines() also breaks at \v, \f, \x1c–\x1e, \x85, U+2028 and U+2029, and pip numbers lines that way.
// eslint-disable-next-line no-control-regex -- these control characters are line breaks to Python
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/

/** pip's logical lines: continuations joined (numbered by their first line), comments and blank lines gone. */
export function logicalLines (text: string): Array<{ line: number, text: string }> {
  const physical = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(LINE_BREAK)
  const joined: Array<{ line: number, text: string }> = []
  let pending: string[] = []
  let first = 0
  physical.forEach((raw, index) => {
    const comment = startsWithComment(raw)
    if (!raw.endsWith('\\') || comment) {
      // A comment line ends a continuation; pip prefixes it with a space so the comment is still removed.
      const line = comment ? ' ' + raw : raw
      if (pending.length > 0) {
        joined.push({ line: first, text: pending.join('') + line })
        pending = []
      } else {
        joined.push({ line: index + 1, text: line })
      }
    } else {
      if (pending.length === 0) first = index + 1
      pending.push(stripBackslashes(raw))
    }
  })
  if (pending.length > 0) joined.push({ line: first, text: pending.join('') })
  // splitlines() yields no empty last line for a trailing newline; the blank-line filter below covers it.
  return joined
    .map(({ line, text }) => ({ line, text: removeComment(text).trim() }))
    .filter(({ text }) => text !== '')
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch)

// COMMENT_RE.match(line): `(^|\s+)#` anchored at the start, so `#…` or whitespace then `#`.
function startsWithComment (line: string): boolean {
  let i = 0
  while (isSpace(line[i])) i++
  return line[i] === '#'
}

// COMMENT_RE.sub('', line) with COMMENT_RE = `(^|\s+)#.*$`: from the first `#` that starts the line or
// follows whitespace (together with that whitespace) to the end. Written as a scan because the regex
// backtracks quadratically on long runs of blanks.
function removeComment (line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '#') continue
    if (i === 0) return ''
    if (!isSpace(line[i - 1])) continue
    let start = i - 1
    while (start > 0 && isSpace(line[start - 1])) start--
    return line.slice(0, start)
  }
  return line
}

// line.strip('\\'): every backslash at either end.
function stripBackslashes (line: string): string {
  let start = 0
  let end = line.length
  while (start < end && line[start] === '\\') start++
  while (end > start && line[end - 1] === '\\') end--
  return line.slice(start, end)
}
