import t from 'tap'
import { PASSING_POLICIES, run } from './helpers.js'

t.test('explain DL3002: the rule behind the alias, with everything about it', async (t) => {
  const result = await run(['explain', 'DL3002'])
  t.equal(result.code, 0)
  t.equal(result.stderr, '')
  const text = result.stdout
  t.match(text, /^last-user-not-root {2}The final stage runs as root\n/)
  t.match(text, /^ {2}policy {4}docker-best-practices \d+\.\d+\.\d+ {2}\(docker-best-practices\.yaml:\d+\)$/m)
  t.match(text, /^ {2}severity {2}warning$/m)
  t.match(text, /^ {2}scope {5}final-stage$/m)
  t.match(text, /^ {2}aliases {3}DL3002, /m)
  t.match(text, /\n\nRemediation\n {2}Create a user/)
  t.match(text, /\n\nReferences\n {2}https:\/\/docs\.docker\.com\//)
  // Multi-line CEL keeps its lines, each continuation under the first.
  t.match(text, /\n\nCEL\n {2}when {6}stage\.user\.name != ""\n {2}assert {4}!stage\.user\.isRoot \|\| cel\.bind\(tools,\n {14}"/)
  t.match(text, /\n {2}line {6}stage\.user\.line\n {2}message {3}the final stage .* runs\n {12}as /)
  t.match(text, /\n\nFails \(reported on line 2\)\n {4}1 {2}FROM alpine:3\.20\n {4}2 {2}USER 0:0\n/)
  t.match(text, /\n\nPasses\n {4}1 {2}FROM /)
  t.ok(text.split('\n').every((line) => line.length <= 120), 'descriptions are wrapped')
})

t.test('a rule with a fix shows its first fix example', async (t) => {
  const text = (await run(['explain', 'DL3042'])).stdout
  t.match(text, /\n\nFix \(plimsoll check --fix\): Add `--no-cache-dir` to pip install \(`--no-cache` to uv\)\n {4}1 {2}FROM python:3\.12-slim\n {4}2 {2}RUN pip install flask==3\.0\.3\n {2}becomes\n {4}1 {2}FROM python:3\.12-slim\n {4}2 {2}RUN pip install --no-cache-dir flask==3\.0\.3\n/)
  t.notMatch((await run(['explain', 'DL3002'])).stdout, /\nFix /, 'a rule without one shows none')
})

t.test('by id, by alias in any case, and an alias shared by two rules', async (t) => {
  t.match((await run(['explain', 'last-user-not-root'])).stdout, /^last-user-not-root /)
  t.match((await run(['explain', 'dl3002'])).stdout, /^last-user-not-root /)
  const shared = await run(['explain', 'DS-0001'])
  t.equal(shared.stdout.match(/^\S+ {2}Base image/gm)?.length, 2, 'both rules that claim DS-0001')
})

t.test('a rule from another policy directory, with tags and keywords shown', async (t) => {
  const result = await run(['explain', '--policies', PASSING_POLICIES, 'final-user-not-root'])
  t.match(result.stdout, /^ {2}policy {4}users 1\.2\.0 /m)
  t.match(result.stdout, /^ {2}tags {6}security$/m)
  const instruction = await run(['explain', 'DL3020'])
  t.match(instruction.stdout, /^ {2}scope {5}instruction \(ADD\)$/m)
})

t.test('an unknown rule is a usage error, with near ids suggested', async (t) => {
  const near = await run(['explain', 'workdir'])
  t.equal(near.code, 2)
  t.match(near.stderr, /^plimsoll: no rule has the id or alias "workdir"; did you mean workdir-set, workdir-absolute, use-workdir-not-cd(, [a-z-]+)*\?\n$/)
  const none = await run(['explain', 'DL9999'])
  t.equal(none.stderr, 'plimsoll: no rule has the id or alias "DL9999"\n')
  t.equal((await run(['explain'])).code, 2, 'the rule is required')
})
