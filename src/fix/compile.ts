// A rule's `fix:` from its policy YAML: the JSON Schema of the block, and its compiled form.
import { compileExpression } from '../policy/cel.js'
import { compileTextTemplate } from '../policy/template.js'
import type { Scope } from '../policy/types.js'
import type { EditKind, EditSpec, FixExample, FixSpec } from './types.js'

const text = (description: string): object => ({ type: 'string', minLength: 1, description: `${description} {{ CEL }} placeholders are filled in.` })
const flag = (description: string): object => ({ const: true, description })

/** Each edit kind: its schema, and the scopes it can apply in. */
const EDITS: Readonly<Record<EditKind, { readonly schema: object, readonly scopes: readonly Scope[] }>> = {
  addFlag: {
    schema: {
      oneOf: [
        text('Command: inserted after the subcommand (`pip install`), or after the program when it has none.'),
        {
          type: 'object',
          additionalProperties: false,
          required: ['text', 'commands'],
          properties: {
            text: text('The flag.'),
            commands: { type: 'string', minLength: 1, description: 'CEL over `command` (and the rule\'s variables): the commands of the instruction that get the flag.' },
          },
        },
      ],
    },
    scopes: ['command', 'instruction'],
  },
  appendCommand: { schema: text('RUN: appended as `&& <command>` after its last shell command.'), scopes: ['command', 'instruction'] },
  removeCommand: { schema: flag('Command (on a RUN: its first command): when it is the first of its RUN, it and the `&&` after it are removed.'), scopes: ['command', 'instruction'] },
  replaceKeyword: { schema: text('Instruction (for a stage rule, its FROM): its new keyword.'), scopes: ['command', 'instruction', 'stage', 'final-stage'] },
  replaceArgument: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['index', 'text'],
      properties: { index: { type: 'integer', minimum: 0, description: 'Which argument after the flags, from 0.' }, text: text('Its new text.') },
    },
    scopes: ['command', 'instruction', 'stage', 'final-stage'],
  },
  replaceArguments: { schema: text('Instruction (for a stage rule, its FROM): everything after its keyword and flags.'), scopes: ['command', 'instruction', 'stage', 'final-stage'] },
  replaceInstruction: { schema: text('Instruction (for a stage rule, its FROM): its keyword and arguments.'), scopes: ['command', 'instruction', 'stage', 'final-stage'] },
  execForm: { schema: flag('CMD or ENTRYPOINT in shell form that is only plain words: written as a JSON array.'), scopes: ['instruction'] },
  insertBefore: { schema: text('Lines inserted before the instruction (for a stage rule, its FROM).'), scopes: ['command', 'instruction', 'stage', 'final-stage', 'dockerfile'] },
  insertAfter: { schema: text('Lines inserted after the instruction (for a stage rule, its FROM).'), scopes: ['command', 'instruction', 'stage', 'final-stage', 'dockerfile'] },
}

export const fixSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'edits'],
  description: 'A machine-applicable fix: edits the engine makes on the instruction or command the finding is on. Declare one only where the fix is certain; `when` narrows it.',
  properties: {
    description: { type: 'string', minLength: 1, description: 'What the fix does, in a few words: "Add `--no-cache-dir`".' },
    when: { type: 'string', minLength: 1, description: 'CEL over the rule\'s variables: the finding gets the fix only where this is true.' },
    edits: {
      type: 'array',
      minItems: 1,
      items: { oneOf: Object.entries(EDITS).map(([kind, { schema }]) => ({ type: 'object', additionalProperties: false, required: [kind], properties: { [kind]: schema } })) },
    },
  },
}

export const fixExampleSchema = {
  type: 'array',
  minItems: 1,
  description: 'For a rule with a fix: each `before` must become `after` when this rule\'s fixes are applied.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['before', 'after'],
    properties: {
      before: { type: 'string', minLength: 1 },
      after: { type: 'string', minLength: 1 },
      files: { type: 'object', additionalProperties: { type: 'string' } },
      params: { type: 'object', description: 'Param values over the policy\'s defaults, for a fix a param decides.' },
    },
  },
}

export interface FixSource {
  description: string
  when?: string
  edits: Array<Partial<Record<EditKind, unknown>>>
}

export interface FixExampleSource { before: string, after: string, files?: Record<string, string>, params?: Record<string, unknown> }

/** Compiles a rule's fix for its scope; problems go to `fail(field, message)`. */
export function compileFix (source: FixSource, scope: Scope, fail: (field: string, message: string) => void): FixSpec | undefined {
  let broken = false
  const when = source.when === undefined ? undefined : compileExpression(source.when, 'bool', 'native', scope)
  if (when !== undefined && !when.ok) {
    fail('fix/when', when.message)
    broken = true
  }
  const edits: EditSpec[] = []
  source.edits.forEach((edit, index) => {
    const kind = Object.keys(edit)[0] as EditKind
    const value = edit[kind]
    if (!EDITS[kind].scopes.includes(scope)) {
      fail(`fix/edits/${index}`, `${kind} does not apply to scope ${scope} (it takes ${EDITS[kind].scopes.join(', ')})`)
      broken = true
      return
    }
    if (value === true) {
      edits.push({ kind } as EditSpec)
      return
    }
    const written = typeof value === 'string' ? value : (value as { text: string }).text
    const template = compileTextTemplate(written, scope)
    if (!template.ok) {
      fail(`fix/edits/${index}`, template.message)
      broken = true
      return
    }
    const commands = typeof value === 'object' && value !== null && 'commands' in value ? compileExpression(String(value.commands), 'bool', 'native', 'command') : undefined
    if (commands !== undefined && !commands.ok) {
      fail(`fix/edits/${index}/addFlag/commands`, commands.message)
      broken = true
      return
    }
    if (kind === 'addFlag' && scope !== 'command' && commands === undefined) {
      fail(`fix/edits/${index}/addFlag`, 'on an instruction, addFlag names the commands it applies to: { text, commands }')
      broken = true
      return
    }
    if (kind === 'replaceArgument') edits.push({ kind, index: (value as { index: number }).index, text: template.template })
    else if (kind === 'addFlag') edits.push({ kind, text: template.template, ...(commands?.ok === true && { commands: commands.program }) })
    else edits.push({ kind, text: template.template } as EditSpec)
  })
  if (broken) return undefined
  return { description: source.description.trim(), ...(when?.ok === true && { when: when.program }), edits }
}

export const toFixExample = (source: FixExampleSource): FixExample => ({ before: source.before, after: source.after, files: source.files ?? {}, params: source.params ?? {} })
