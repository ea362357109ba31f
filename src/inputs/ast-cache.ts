import { Instruction } from 'dockerfile-ast'

// dockerfile-ast recomputes an instruction's arguments from the text on every accessor call
// (getArguments, getFlags, getImage, getProperties...), and that scan was about a third of the time
// spent building facts (CPU profile of `npm run bench`). A parsed document never changes, so the
// scan is kept per instruction. Callers may mutate what they get (ModifiableInstruction shifts
// flags off it), so each call gets a copy.
type Scan = () => unknown[]
const prototype = Instruction.prototype as unknown as { getRawArguments: Scan }
const scan = prototype.getRawArguments
const SCANNED = Symbol('plimsoll.rawArguments')

prototype.getRawArguments = function (this: { [SCANNED]?: unknown[] }): unknown[] {
  this[SCANNED] ??= scan.call(this)
  return this[SCANNED].slice()
}
