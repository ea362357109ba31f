// Tool semantics of shell commands: one module per tool family, a dispatcher, and a shared flag tokenizer.
export { describeCommand } from './dispatch.js'
export type { CommandSemantics, RawCommand } from './types.js'
