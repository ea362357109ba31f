import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'

// BuildKit's own parser test files come with `.result` files: BuildKit's parse of each Dockerfile, one
// `(keyword ["--flag" …] "arg" …)` per instruction. Plimsoll's facts must agree on the instructions,
// their order, their flags, exec-form arguments, COPY/ADD paths and the names ENV and LABEL set.
const DIR = fileURLToPath(new URL('../../shared/corpus/real/buildkit-parser', import.meta.url))

// Known differences, each with its reason. Everything else must agree.
const KNOWN: Record<string, string> = {
  'testfiles__trailing-backslash__Dockerfile.result':
    'dockerfile-ast reads an escaped escape character at the end of a line (`a\\\\`) as a line continuation; BuildKit does not, so ENV C and ENV D merge',
}
/** Keywords Docker accepts flags on; BuildKit's parser also reads flags on others (`CMD --doit`), which a build then refuses. */
const FLAGGED = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK'])

/** One line of a .result file. */
interface Expected { keyword: string, flags: string[], args: string[] }

function parseResult (line: string): Expected {
  const keyword = /^\((\w+)/.exec(line)?.[1] ?? ''
  const flagList = /^\(\w+ \[([^\]]*)\]/.exec(line)?.[1] ?? ''
  const rest = flagList === '' ? line.slice(keyword.length + 1) : line.slice(line.indexOf(']') + 1)
  const strings = (text: string): string[] => [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${(m[1] as string).replace(/\\x([0-9a-f]{2})/g, '\\u00$1')}"`) as string)
  return { keyword: keyword.toUpperCase(), flags: strings(flagList), args: strings(rest) }
}

if (!existsSync(DIR)) {
  t.test('BuildKit parser test files', { skip: `${DIR} is absent (it ships beside the repo in CI, not in a clone)` }, async () => {})
} else {
  const results = (await readdir(DIR)).filter((name) => name.endsWith('.result')).sort()

  t.test('the BuildKit test files are there', async (t) => { t.ok(results.length >= 30, `${results.length} .result files`) })

  for (const result of results) {
    const name = result.replace(/^moby__buildkit__frontend__dockerfile__parser__/, '')
    t.test(name, { skip: KNOWN[name] ?? false }, async (t) => {
      const expected = (await readFile(join(DIR, result), 'utf8')).split('\n').filter((l) => l.startsWith('(')).map(parseResult)
      const facts = dockerfileFacts(await readFile(join(DIR, result.replace(/\.result$/, '.Dockerfile')), 'utf8'))
      t.same(facts.instructions.map((i) => i.keyword), expected.map((e) => e.keyword), 'the same instructions in the same order')
      facts.instructions.forEach((instruction, index) => {
        const want = expected[index]
        if (want === undefined) return
        const where = `line ${instruction.line} ${instruction.keyword}`
        if (FLAGGED.has(instruction.keyword)) t.same(instruction.flags.map((f) => `--${f.name}${f.value === '' && !instruction.text.includes(`--${f.name}=`) ? '' : `=${f.value}`}`), want.flags, `${where}: flags`)
        const execArgs = instruction.keyword === 'HEALTHCHECK' ? ['CMD', ...instruction.execArgs] : instruction.execArgs
        if (instruction.form === 'exec') t.same(execArgs, want.args, `${where}: exec-form arguments`)
        if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && instruction.heredocs.length === 0 && !/[$"'\\]/.test(instruction.text)) {
          t.same([...instruction.sources, instruction.destination], want.args, `${where}: paths`)
        }
        if (instruction.keyword === 'ENV' || instruction.keyword === 'LABEL') {
          const names = want.args.filter((_arg, i) => i % 3 === 0)
          t.same(Object.keys(instruction.properties).sort(), [...new Set(names)].sort(), `${where}: names`)
        }
      })
    })
  }
}
