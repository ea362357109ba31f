// A matcher for JavaScript regexes that cannot backtrack: the regex becomes a small program whose threads all
// advance together over the text (Thompson's construction, run as in Pike's VM), so a test costs at most
// text length × program size steps whatever the pattern. It answers only whether there is a match, the same
// answer V8 gives. Glob libraries compile patterns to regexes that V8 may take exponential time over (`**/`
// repeated, `*a*a*a…b`); their regexes run here instead.
//
// Lookaheads, which picomatch writes at every path segment, are programs of their own whose answer at each
// position is kept. A short one (no unbounded repetition) runs from the position asked, a few steps; one that
// may read to the end of the text (a negated extglob, `*!(*a)`) would make that quadratic, so its body is also
// compiled reversed instead, and one backward pass over the text answers it at every position at once.
import { parseRegex, Unsupported, WORD, type Assertion, type Node } from './regex-syntax.js'

export { Unsupported } from './regex-syntax.js'

const CHAR = 0
const SPLIT = 1
const JMP = 2
const ASSERT = 3
const LOOK = 4
const MATCH = 5
const ASSERTIONS: readonly Assertion[] = ['start', 'end', 'boundary', 'non-boundary']
// Past this many instructions (a count such as `a{100000}` written out) a regex is refused.
const MAX_PROGRAM = 100_000

// A character class; `ascii` answers for the first 128 code units without scanning the ranges.
interface CodeSet { readonly ranges: readonly number[], readonly negated: boolean, readonly ascii: Uint8Array }

interface Program {
  readonly op: Uint8Array
  /** CHAR: index into sets; SPLIT, JMP: target; ASSERT: index into ASSERTIONS; LOOK: index into looks. */
  readonly x: Int32Array
  /** SPLIT: second target; LOOK: 1 when negated. */
  readonly y: Int32Array
  readonly sets: readonly CodeSet[]
  readonly looks: readonly Look[]
  /** Starts with `^`: a match can only start at the beginning. */
  readonly anchored: boolean
  /** Anchored: the literal text every match starts with, checked before running ("" when none). */
  readonly prefix: string
}

/** A lookahead's body; `backward` when it may read to the end and is compiled reversed, to run backwards. */
interface Look { readonly program: Program, readonly backward: boolean }

/** A compiled regex: `test` as RegExp's; `prefixes` for matching many prefixes of one path at once. */
export interface LinearRegex {
  test (text: string): boolean
  /**
   * The lengths of the prefixes of `text` that end before a `/` or at its end and that the regex matches
   * whole. For regexes written `^…$` without lookaheads; `$` is read as "here the prefix ends".
   */
  prefixes (text: string): number[]
}

/** Compiles a regex source (valid for `new RegExp(source, flags)`); throws Unsupported for what it cannot run. */
export function compileLinear (source: string, flags = ''): LinearRegex {
  if (flags !== '') throw new Unsupported(`the flags "${flags}"`)
  const program = compile(parseRegex(source), { size: 0 })
  return {
    test: (text) => text.startsWith(program.prefix) && execute(program, { text, end: text.length, slashEnds: false }, 0, true, stop),
    prefixes: (text) => {
      if (program.looks.length > 0) throw new Unsupported('prefixes with a lookahead')
      const ends: number[] = []
      if (!text.startsWith(program.prefix)) return ends
      execute(program, { text, end: text.length, slashEnds: true }, 0, false, (at) => { ends.push(at); return false })
      return ends
    },
  }
}

const stop = (): boolean => true

function compile (root: Node, budget: { size: number }): Program {
  const op: number[] = []
  const x: number[] = []
  const y: number[] = []
  const sets: CodeSet[] = []
  const looks: Look[] = []
  const push = (code: number, a = 0, b = 0): number => {
    if (++budget.size > MAX_PROGRAM) throw new Unsupported('a regex too large to run')
    op.push(code)
    x.push(a)
    y.push(b)
    return op.length - 1
  }
  const emit = (node: Node): void => {
    switch (node.type) {
      case 'chars':
        push(CHAR, sets.push(codeSet(node.ranges, node.negated)) - 1)
        break
      case 'seq':
        node.items.forEach(emit)
        break
      case 'alt': {
        // split → first | split → second | … last; each alternative jumps to the end.
        const jumps: number[] = []
        node.items.forEach((item, i) => {
          const split = i < node.items.length - 1 ? push(SPLIT, op.length + 1) : -1
          emit(item)
          if (split >= 0) {
            jumps.push(push(JMP))
            y[split] = op.length
          }
        })
        for (const jump of jumps) x[jump] = op.length
        break
      }
      case 'repeat': {
        for (let i = 0; i < node.min; i++) emit(node.item)
        if (node.max === Infinity) {
          const loop = push(SPLIT, op.length + 1)
          emit(node.item)
          push(JMP, loop)
          y[loop] = op.length
        } else {
          const exits: number[] = []
          for (let i = node.min; i < node.max; i++) {
            exits.push(push(SPLIT, op.length + 1))
            emit(node.item)
          }
          for (const exit of exits) y[exit] = op.length
        }
        break
      }
      case 'assert':
        push(ASSERT, ASSERTIONS.indexOf(node.kind))
        break
      case 'look': {
        const backward = unbounded(node.item)
        const program = compile(backward ? reverse(node.item) : node.item, budget)
        push(LOOK, looks.push({ program, backward }) - 1, node.negated ? 1 : 0)
        break
      }
        break
    }
  }
  emit(root)
  push(MATCH)
  const anchored = op[0] === ASSERT && x[0] === 0
  // The characters right after `^` that nothing jumps into or around (loops jump back to a SPLIT).
  let prefix = ''
  for (let pc = 1; anchored && op[pc] === CHAR; pc++) {
    const set = sets[x[pc] as number] as CodeSet
    if (set.negated || set.ranges.length !== 2 || set.ranges[0] !== set.ranges[1]) break
    prefix += String.fromCharCode(set.ranges[0] as number)
  }
  return { op: Uint8Array.from(op), x: Int32Array.from(x), y: Int32Array.from(y), sets, looks, anchored, prefix }
}

const unbounded = (node: Node): boolean =>
  node.type === 'repeat' ? node.max === Infinity || unbounded(node.item)
    : node.type === 'seq' || node.type === 'alt' ? node.items.some(unbounded)
      : false // a nested lookahead is answered apart

// The same language read backwards: `^` and `$` trade places; a nested lookahead stays one, asked at the
// position it stands for in the text read forwards.
function reverse (node: Node): Node {
  switch (node.type) {
    case 'seq': return { type: 'seq', items: node.items.map(reverse).reverse() }
    case 'alt': return { type: 'alt', items: node.items.map(reverse) }
    case 'repeat': return { ...node, item: reverse(node.item) }
    case 'assert': return node.kind === 'start' || node.kind === 'end' ? { type: 'assert', kind: node.kind === 'start' ? 'end' : 'start' } : node
    default: return node
  }
}

interface Run {
  readonly text: string
  readonly end: number
  /** `$` also holds before a `/` (prefix matching). */
  readonly slashEnds: boolean
  /** Per lookahead program, its answer at each position: 0 not yet asked, 1 yes, 2 no. Made on first use. */
  memo?: Map<Program, Uint8Array>
  /** A backward pass: the run over the text read forwards, where lookaheads are asked. */
  readonly forward?: Run
  /** The text reversed, made for the first backward pass. */
  backward?: string
}

// The thread lists and marks of one program, kept between runs: a run of a short text would otherwise spend
// most of its time allocating them. A program never runs inside itself (a lookahead is a program of its own).
class Machine {
  readonly marks: Int32Array
  list: Int32Array
  next: Int32Array
  // Each instruction is expanded once per position and pushes at most two others.
  readonly stack: Int32Array
  count = 0
  generation = 0
  matched = false

  constructor (readonly program: Program) {
    const size = program.op.length
    this.marks = new Int32Array(size)
    this.list = new Int32Array(size)
    this.next = new Int32Array(size)
    this.stack = new Int32Array(2 * size + 1)
  }

  // Follows jumps, splits and assertions from `start` at `pos`; the CHAR instructions reached wait in `next`.
  add (start: number, pos: number, run: Run): void {
    const { op, x, y, looks } = this.program
    const { marks, stack, next, generation } = this
    let top = 0
    stack[top++] = start
    while (top > 0) {
      const pc = stack[--top] as number
      if (marks[pc] === generation) continue
      marks[pc] = generation
      switch (op[pc]) {
        case CHAR: next[this.count++] = pc; break
        case MATCH: this.matched = true; break
        case JMP: stack[top++] = x[pc] as number; break
        case SPLIT: stack[top++] = y[pc] as number; stack[top++] = x[pc] as number; break
        case ASSERT: if (holds(x[pc] as number, run, pos)) stack[top++] = pc + 1; break
        case LOOK: {
          const look = looks[x[pc] as number] as Look
          const answer = run.forward === undefined ? lookahead(look, run, pos) : lookahead(look, run.forward, run.end - pos)
          if (answer !== (y[pc] === 1)) stack[top++] = pc + 1
          break
        }
      }
    }
  }
}
const machines = new WeakMap<Program, Machine>()

/**
 * Runs `program` from `from`; `search` also starts a thread at every later position, as RegExp#test does.
 * `found(at)` is told each position where a thread matches and says whether to stop there.
 */
function execute (program: Program, run: Run, from: number, search: boolean, found: (at: number) => boolean): boolean {
  let m = machines.get(program)
  if (m === undefined || m.generation > 0x3fffffff) machines.set(program, m = new Machine(program))
  const { op, x, sets } = program
  const marks = m.marks
  const restart = search && !program.anchored
  m.count = 0
  m.matched = false
  m.generation++
  m.add(0, from, run)
  for (let pos = from; ; pos++) {
    const list = m.next
    m.next = m.list
    m.list = list
    const threads = m.count
    if (m.matched) {
      if (found(pos)) return true
      m.matched = false
    }
    if (pos >= run.end || (threads === 0 && !restart)) return false
    const c = run.text.charCodeAt(pos)
    const generation = ++m.generation
    const next = m.next
    m.count = 0
    for (let i = 0; i < threads; i++) {
      const pc = list[i] as number
      if (!contains(sets[x[pc] as number] as CodeSet, c)) continue
      // Most often the next instruction is a character too: queued without the general walk.
      const to = pc + 1
      if (op[to] !== CHAR) m.add(to, pos + 1, run)
      else if (marks[to] !== generation) {
        marks[to] = generation
        next[m.count++] = to
      }
    }
    if (restart) m.add(0, pos + 1, run)
  }
}

function codeSet (ranges: readonly number[], negated: boolean): CodeSet {
  const set = { ranges, negated, ascii: new Uint8Array(128) }
  for (let c = 0; c < 128; c++) set.ascii[c] = scan(set, c) ? 1 : 0
  return set
}

function contains (set: CodeSet, c: number): boolean {
  return c < 128 ? set.ascii[c] === 1 : scan(set, c)
}

function scan (set: Omit<CodeSet, 'ascii'>, c: number): boolean {
  const ranges = set.ranges
  for (let i = 0; i < ranges.length; i += 2) {
    if (c >= (ranges[i] as number) && c <= (ranges[i + 1] as number)) return !set.negated
  }
  return set.negated
}

function holds (assertion: number, run: Run, pos: number): boolean {
  switch (ASSERTIONS[assertion]) {
    case 'start': return pos === 0
    case 'end': return pos === run.end || (run.slashEnds && run.text[pos] === '/')
    case 'boundary': return isWord(run, pos - 1) !== isWord(run, pos)
    default: return isWord(run, pos - 1) === isWord(run, pos)
  }
}

function isWord (run: Run, pos: number): boolean {
  if (pos < 0 || pos >= run.end) return false
  const c = run.text.charCodeAt(pos)
  for (let i = 0; i < WORD.length; i += 2) if (c >= (WORD[i] as number) && c <= (WORD[i + 1] as number)) return true
  return false
}

// Whether the lookahead's body matches from `pos` (to anywhere), each position asked once.
function lookahead (look: Look, run: Run, pos: number): boolean {
  run.memo ??= new Map()
  let answers = run.memo.get(look.program)
  if (answers === undefined) {
    run.memo.set(look.program, answers = new Uint8Array(run.end + 1))
    if (look.backward) everyStart(look.program, run, answers)
  }
  if (answers[pos] === 0) answers[pos] = execute(look.program, run, pos, false, stop) ? 1 : 2
  return answers[pos] === 1
}

// The reversed body run backwards from every end of the text: where a thread matches, the body matches
// forwards from there.
function everyStart (reversed: Program, run: Run, answers: Uint8Array): void {
  answers.fill(2)
  run.backward ??= run.text.slice(0, run.end).split('').reverse().join('')
  const backward: Run = { text: run.backward, end: run.end, slashEnds: false, forward: run }
  execute(reversed, backward, 0, true, (at) => {
    answers[run.end - at] = 1
    return false
  })
}
