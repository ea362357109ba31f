import t from 'tap'
import type { ShellCommand } from '../src/facts/shell-types.js'
import { describeCommand } from '../src/inputs/commands/index.js'
import { joinContinuations, parseShell, scriptSource } from '../src/inputs/shell.js'
import { LimitExceeded } from '../src/inputs/limits.js'

const parse = (script: string): ShellCommand[] => parseShell(scriptSource(script, 1))
const names = (script: string): string[] => parse(script).map((command) => command.name)

t.test('every simple command, in source order, whatever the construct', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['apt-get update && apt-get install -y curl', ['apt-get', 'apt-get']],
    ['a || b; c | d & e\nf', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['a |& b', ['a', 'b']],
    ['(a; b) && { c; }', ['a', 'b', 'c']],
    ['if a; then b; elif c; then d; else e; fi', ['a', 'b', 'c', 'd', 'e']],
    ['for i in 1 2; do a "$i"; done', ['a']],
    ['for ((i = 0; i < 3; i++)); do a; done', ['a']],
    ['while a; do b; done; until c; do d; done', ['a', 'b', 'c', 'd']],
    ['case "$x" in a) b ;; *) c ;; esac', ['b', 'c']],
    ['f() { a; }; function g { b; }; f', ['a', 'b', 'f']],
    ['echo $(a) `b`', ['echo', 'a', 'b']],
    ['echo "$(a "$(b)")"', ['echo', 'a', 'b']],
    ['X=$(a) && diff <(b) <(c)', ['a', 'diff', 'b', 'c']],
    ['time a | b', ['a', 'b']],
    ['! a && coproc b', ['a', 'b']],
    ['a &\nb', ['a', 'b']],
    ['export A=1 B && declare -x C && local d=1 && readonly E && let i=1+2', ['export', 'declare', 'local', 'readonly', 'let']],
    ['cat <<EOF\n$(date)\nEOF', ['cat', 'date']], // an unquoted heredoc's substitutions run
    // Near misses.
    ['echo cd /app', ['echo']],
    ['echo "a && b" \'c; d\' e\\;f', ['echo']],
    ['echo a # && b', ['echo']],
    ['# only a comment', []],
    ['', []],
    ['X=1', []],
    ['X=1 Y=$HOME', []],
    ['[[ -f x ]] && (( i++ ))', []],
    ['cat <<EOF\ncurl https://example.com\nrm -rf /\nEOF', ['cat']],
    ["cat <<'EOF'\n$(not run)\nEOF", ['cat']],
  ]
  for (const [script, expected] of cases) t.same(names(script), expected, JSON.stringify(script))
})

t.test('words: quotes removed, escapes resolved, expansions and globs as written', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['echo "double" \'single\' mixed"q"\'s\' ""', ['double', 'single', 'mixedqs', '']],
    ["echo $'tab\\there' $'it\\'s' $'\\x41\\101\\u00e9'", ['tab\there', "it's", 'AAé']],
    ['echo $HOME ${X:-y} "${A}/b" "$1" $@ ${#V}', ['$HOME', '${X:-y}', '${A}/b', '$1', '$@', '${#V}']],
    ['echo *.txt /var/lib/apt/lists/* ?(a|b) {a,b} ~/.cache', ['*.txt', '/var/lib/apt/lists/*', '?(a|b)', '{a,b}', '~/.cache']],
    ['echo a\\ b \\$HOME "\\$x" "a\\qb" \'c\\d\'', ['a b', '$HOME', '$x', 'a\\qb', 'c\\d']],
    ['echo $(date +%s) `id -u` $((1 + 2)) "$(cat f)"', ['$(date +%s)', '`id -u`', '$((1 + 2))', '$(cat f)']],
    ['echo héllo "wörld 😀" $\'\\U0001F600\'', ['héllo', 'wörld 😀', '😀']],
    ['echo "line\\\ncontinued"', ['linecontinued']],
    ["echo $'\\cA\\e' $'\\UFFFFFFFF'", ['\x01\x1b', '\\UFFFFFFFF']],
    ['export A+=1 B="x y" && declare -a list=(1 "2 3")', ['A+=1', 'B=x y']],
  ]
  for (const [script, args] of cases) t.same(parse(script)[0]?.args, args, script)
})

t.test('NAME=value before a program is its env; an assignment alone is no command', async (t) => {
  const cases: Array<[string, string, Record<string, string>, string[]]> = [
    ['DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata', 'apt-get', { DEBIAN_FRONTEND: 'noninteractive' }, ['install', '-y', 'tzdata']],
    ['A=1 B="two words" C= cmd', 'cmd', { A: '1', B: 'two words', C: '' }, []],
    ['PATH=$PATH:/opt/bin cmd', 'cmd', { PATH: '$PATH:/opt/bin' }, []],
    ['cmd A=1', 'cmd', {}, ['A=1']], // after the program it is an argument
  ]
  for (const [script, name, env, args] of cases) t.match(parse(script), [{ name, env, args }], script)
  for (const script of ['A=1', 'A=1 B=2; C=3']) t.same(parse(script), [], script)
})

t.test('redirections are not arguments', async (t) => {
  const cases: Array<[string, string, string[]]> = [
    ['curl -fsSL https://example.com 2>&1 > /dev/null', 'curl', ['-fsSL', 'https://example.com']],
    ['cmd <in >>log 2>/dev/null &>all 3>&1 >|f', 'cmd', []],
    ['tee /etc/app.conf <<EOF\nkey=value\nEOF', 'tee', ['/etc/app.conf']],
    ['tee /etc/app.conf <<-EOF\n\tkey=value\n\tEOF', 'tee', ['/etc/app.conf']],
    ['cat <<<"here string" > out', 'cat', []],
    ['> /tmp/x cmd arg', 'cmd', ['arg']],
  ]
  for (const [script, name, args] of cases) t.match(parse(script), [{ name, args }], script)
})

t.test('where output goes: the program a command is piped into, the files it is redirected to', async (t) => {
  const cases: Array<[string, Array<[string, string, string[]]>]> = [
    ['curl -fsSL https://example.com/a.tgz | tar -xz', [['curl', 'tar', []], ['tar', '', []]]],
    ['a | b |& c', [['a', 'b', []], ['b', 'c', []], ['c', '', []]]],
    ['echo x | sudo -E tee -a /etc/f > /dev/null', [['echo', 'tee', []], ['tee', '', ['/dev/null']]]],
    ['{ echo a; echo b; } | sort', [['echo', 'sort', []], ['echo', 'sort', []], ['sort', '', []]]],
    ['curl x | (cd /opt && tar -x)', [['curl', 'cd', []], ['cd', '', []], ['tar', '', []]]],
    ['a | while read l; do b; done', [['a', 'read', []], ['read', '', []], ['b', '', []]]],
    ['echo a > f; echo b >> g 2> err; echo c 1>|h &> i', [['echo', '', ['f']], ['echo', '', ['g']], ['echo', '', ['h', 'i']]]],
    ['echo a 2> err >&2; cmd 3> log', [['echo', '', []], ['cmd', '', []]]],
    ['{ echo "[x]"; echo gpgcheck=1; } > "/etc/yum.repos.d/$N.repo"', [['echo', '', ['/etc/yum.repos.d/$N.repo']], ['echo', '', ['/etc/yum.repos.d/$N.repo']]]],
    ['for f in a b; do echo "$f"; done >> list', [['echo', '', ['list']]]],
    ['{ echo a | tee t; } > f', [['echo', 'tee', []], ['tee', '', ['f']]]],
    ['X=$(a | b) && c > f', [['a', 'b', []], ['b', '', []], ['c', '', ['f']]]],
    ['echo $(cat y) > f', [['echo', '', ['f']], ['cat', '', []]]],
    ["sh -c 'echo deb x >> /etc/apt/sources.list' && bash -c 'a | b' | c", [['echo', '', ['/etc/apt/sources.list']], ['a', 'b', []], ['b', 'c', []], ['c', '', []]]],
    // Not pipes: case patterns, ||, a quoted or escaped bar.
    ['case "$a" in x|y) b ;; esac || c; echo "a|b" \\| d', [['b', '', []], ['c', '', []], ['echo', '', []]]],
  ]
  for (const [script, expected] of cases) {
    t.same(parse(script).map((c) => [c.name, c.pipedTo, c.writesTo]), expected, script)
  }
})

t.test('wrappers are peeled off, outermost first', async (t) => {
  const cases: Array<[string, Partial<ShellCommand>]> = [
    ['sudo apt-get install x', { name: 'apt-get', args: ['install', 'x'], wrappers: ['sudo'] }],
    ['sudo -u app -E pip install x', { name: 'pip', args: ['install', 'x'], wrappers: ['sudo'] }],
    ['sudo --user=app -H -- npm ci', { name: 'npm', args: ['ci'], wrappers: ['sudo'] }],
    ['sudo -iu app --group app whoami', { name: 'whoami', wrappers: ['sudo'] }],
    ['sudo DEBUG=1 make', { name: 'make', env: { DEBUG: '1' }, wrappers: ['sudo'] }],
    ['env -i -u HOME PATH=/bin A=1 printenv', { name: 'printenv', env: { PATH: '/bin', A: '1' }, wrappers: ['env'] }],
    ['env - A=1 cmd', { name: 'cmd', env: { A: '1' }, wrappers: ['env'] }],
    ['/usr/bin/env python3 -V', { name: 'python3', args: ['-V'], wrappers: ['env'] }],
    ['exec gunicorn app:app', { name: 'gunicorn', wrappers: ['exec'] }],
    ['exec -a worker cmd', { name: 'cmd', wrappers: ['exec'] }],
    ['nice -n 10 make -j4', { name: 'make', args: ['-j4'], wrappers: ['nice'] }],
    ['nice -10 make', { name: 'make', wrappers: ['nice'] }],
    ['nice --adjustment=5 make', { name: 'make', wrappers: ['nice'] }],
    ['nohup server --port 80 &', { name: 'server', args: ['--port', '80'], wrappers: ['nohup'] }],
    ['time make', { name: 'make', wrappers: ['time'] }],
    ['time -p make', { name: 'make', wrappers: ['time'] }],
    ['/usr/bin/time -v -o /tmp/t make', { name: 'make', wrappers: ['time'] }],
    ['command pip install x', { name: 'pip', wrappers: ['command'] }],
    ['command -p pip install x', { name: 'pip', wrappers: ['command'] }],
    ['sudo env A=1 nice -n 5 nohup cmd', { name: 'cmd', env: { A: '1' }, wrappers: ['sudo', 'env', 'nice', 'nohup'] }],
    ['A=1 sudo B=2 cmd', { name: 'cmd', env: { A: '1', B: '2' }, wrappers: ['sudo'] }],
    ['time sudo make', { name: 'make', wrappers: ['time', 'sudo'] }],
    // Near misses: a wrapper with nothing to run is the command; these are not wrappers.
    ['command -v curl', { name: 'command', args: ['-v', 'curl'], wrappers: [] }],
    ['command -V pip', { name: 'command', args: ['-V', 'pip'], wrappers: [] }],
    ['xargs rm -f', { name: 'xargs', args: ['rm', '-f'], wrappers: [] }],
    ['sudo -v', { name: 'sudo', args: ['-v'], wrappers: [] }],
    ['sudo', { name: 'sudo', args: [], wrappers: [] }],
    ['env', { name: 'env', args: [], wrappers: [] }],
    ['env A=1', { name: 'env', args: ['A=1'], env: {}, wrappers: [] }],
    ['exec 3>&1', { name: 'exec', args: [], wrappers: [] }],
    ['timeout 10 cmd', { name: 'timeout', args: ['10', 'cmd'], wrappers: [] }],
    ['sudoedit /etc/hosts', { name: 'sudoedit', wrappers: [] }],
  ]
  for (const [script, expected] of cases) t.match(parse(script), [expected], script)
  t.match(parse('find . -name "*.pyc" | xargs rm -f'), [{ name: 'find' }, { name: 'xargs', args: ['rm', '-f'] }])
})

t.test('sh -c scripts are parsed; their commands stand on the line of the sh', async (t) => {
  const cases: Array<[string, Array<Partial<ShellCommand>>]> = [
    ["sh -c 'apt-get update && apt-get install -y curl'", [
      { name: 'apt-get', args: ['update'], wrappers: ['sh -c'] },
      { name: 'apt-get', args: ['install', '-y', 'curl'], wrappers: ['sh -c'] },
    ]],
    ['bash -c "pip install \\"flask==3.0.3\\""', [{ name: 'pip', args: ['install', 'flask==3.0.3'], wrappers: ['bash -c'] }]],
    ["/bin/sh -c 'echo $HOME'", [{ name: 'echo', args: ['$HOME'], wrappers: ['sh -c'] }]],
    ["bash -ex -c 'a'", [{ name: 'a', wrappers: ['bash -c'] }]],
    ["sh -ec 'a'", [{ name: 'a', wrappers: ['sh -c'] }]],
    ["bash -o pipefail -c 'a | b'", [{ name: 'a', wrappers: ['bash -c'] }, { name: 'b', wrappers: ['bash -c'] }]],
    ["bash -euxo pipefail -c 'a'", [{ name: 'a', wrappers: ['bash -c'] }]],
    ["bash --login -c 'a'", [{ name: 'a', wrappers: ['bash -c'] }]],
    ["sh -c 'a \"$0\" \"$1\"' name arg", [{ name: 'a', args: ['$0', '$1'], wrappers: ['sh -c'] }]],
    ['dash -c a && zsh -c b', [{ name: 'a', wrappers: ['dash -c'] }, { name: 'b', wrappers: ['zsh -c'] }]],
    ["sudo -u app sh -c 'sudo b'", [{ name: 'b', wrappers: ['sudo', 'sh -c', 'sudo'] }]],
    ["A=1 sh -c 'B=2 a'", [{ name: 'a', env: { A: '1', B: '2' }, wrappers: ['sh -c'] }]],
    ['sh -c \'sh -c "a"\'', [{ name: 'a', wrappers: ['sh -c', 'sh -c'] }]],
    ["sh -c 'X=1'", []],
    // Near misses: no -c, or a script that does not parse, leaves the shell itself as the command.
    ['sh ./install.sh', [{ name: 'sh', args: ['./install.sh'], wrappers: [] }]],
    ['bash -x script.sh', [{ name: 'bash', args: ['-x', 'script.sh'], wrappers: [] }]],
    ['bash -s -- -c x', [{ name: 'bash', wrappers: [] }]],
    ["sh -c 'if then'", [{ name: 'sh', args: ['-c', 'if then'], wrappers: [] }]],
    ['sh -c', [{ name: 'sh', args: ['-c'], wrappers: [] }]],
    ["bash --rcfile /etc/rc -c 'a'", [{ name: 'a', wrappers: ['bash -c'] }]],
    ['shellcheck -c x', [{ name: 'shellcheck', wrappers: [] }]],
  ]
  for (const [script, expected] of cases) {
    const commands = parse(script)
    t.equal(commands.length, expected.length, `${script}: count`)
    t.match(commands, expected, script)
  }
  t.same(parse('declare -a list=(1 "2 3")')[0]?.args, ['-a', 'list=(1 "2 3")'], 'an array as written')

  // Ten shells deep: the first eight are parsed, the ninth stays a command.
  let nested = 'a'
  for (let level = 0; level < 10; level++) nested = `sh -c "${nested.replace(/[\\"$`]/g, '\\$&')}"`
  t.match(parse(nested), [{ name: 'sh', wrappers: Array(8).fill('sh -c') }])

  t.same(parseShell(scriptSource('a\nsh -c "b; c"\nd', 10)).map((command) => [command.name, command.line]),
    [['a', 10], ['b', 11], ['c', 11], ['d', 12]])
})

t.test('name as written, program as base name, text as words', async (t) => {
  const cases: Array<[string, string, string, string]> = [
    ['/opt/venv/bin/pip install flask', '/opt/venv/bin/pip', 'pip', '/opt/venv/bin/pip install flask'],
    ['pipx install black', 'pipx', 'pipx', 'pipx install black'],
    ['pip3.12 install x', 'pip3.12', 'pip3.12', 'pip3.12 install x'],
    ['./configure --prefix=/usr', './configure', 'configure', './configure --prefix=/usr'],
    ['python3 -m pip install "a b"', 'python3', 'python3', 'python3 -m pip install a b'],
    ['sudo -u app pip install x 2>&1', 'pip', 'pip', 'pip install x'],
    ['$PIP install x', '$PIP', '$PIP', '$PIP install x'],
  ]
  for (const [script, name, program, text] of cases) t.match(parse(script), [{ name, program, text }], script)
})

t.test('tool semantics are describeCommand of the raw command', async (t) => {
  for (const command of parse('pip install --no-cache-dir flask==3.0.3 && sudo apt-get install -y curl && echo done')) {
    const { name, program, args, env, text, line, wrappers, pipedTo, writesTo } = command
    t.same(command, { name, program, args, env, text, line, wrappers, pipedTo, writesTo, ...describeCommand({ name, program, args, env, text, line, wrappers, pipedTo, writesTo }) }, command.text)
  }
})

t.test('joinContinuations joins as Docker does and maps commands to Dockerfile lines', async (t) => {
  const dockerfile = [
    'FROM debian:12', // 1
    'RUN apt-get update \\', // 2
    '    # refresh the index first', // 3
    '', // 4
    '    && DEBIAN_FRONTEND=noninteractive apt-get install -y \\', // 5
    '       curl \\  ', // 6: spaces after the escape still continue
    "    && sh -c 'useradd app' \\", // 7
    '    && rm -rf /var/lib/apt/lists/*', // 8
  ].join('\n')
  const raw = dockerfile.slice(dockerfile.indexOf('RUN ') + 4)
  const source = joinContinuations(raw, '\\', 2)
  t.equal(source.script, "apt-get update     && DEBIAN_FRONTEND=noninteractive apt-get install -y        curl     && sh -c 'useradd app'     && rm -rf /var/lib/apt/lists/*")
  t.same(parseShell(source).map((command) => [command.name, command.line]), [['apt-get', 2], ['apt-get', 5], ['useradd', 7], ['rm', 8]])
  t.equal(source.lineAt(0), 2)
  t.equal(source.lineAt(source.script.length), 8)
  t.equal(source.lineAt(-1), 2)

  // The same script on other lines, from the cache: lines are mapped per call.
  t.same(parseShell(joinContinuations(raw, '\\', 20)).map((command) => command.line), [20, 23, 25, 26])

  t.equal(joinContinuations('a \\\r\n  && b', '\\', 1).script, 'a   && b', 'CRLF')
  t.equal(joinContinuations('a\\', '\\', 1).script, 'a', 'an escape at the very end')

  const backtick = joinContinuations('echo a `\n    # comment\n    && echo b `\n\n    && echo c', '`', 4)
  t.equal(backtick.script, 'echo a     && echo b     && echo c')
  t.same(parseShell(backtick).map((command) => command.line), [4, 6, 8])
  // With the backtick as escape a backslash is the shell's business: Docker keeps it and the newline.
  t.equal(joinContinuations('echo a \\\necho b', '`', 1).script, 'echo a \\\necho b')

  // Offsets are string offsets even when the text is not ASCII (the parser counts UTF-8 bytes).
  const unicode = joinContinuations('echo 😀 é \\\n  && echo ü\nnext', '\\', 1)
  t.same(parseShell(unicode).map((command) => [command.name, command.args, command.line]), [['echo', ['😀', 'é'], 1], ['echo', ['ü'], 2], ['next', [], 3]])
})

t.test('scriptSource maps heredoc lines 1:1', async (t) => {
  const source = scriptSource('set -e\napt-get update\n\n# comment\napt-get install -y \\\n  curl\n', 3)
  t.same(parseShell(source).map((command) => [command.name, command.line]), [['set', 3], ['apt-get', 4], ['apt-get', 7]])
  t.equal(source.lineAt(0), 3)
  t.equal(source.lineAt(1_000), 9)
})

t.test('text that does not parse yields no commands, without throwing', async (t) => {
  const cases = ['if then fi((', 'echo "unclosed', "echo 'unclosed", '$(', ')', 'a &&', '|| b', 'case x in', 'for', '{', 'done',
    'echo ${', 'a >', 'cat <<EOF', 'echo `x', 'f() {', '[[ x', 'echo $((1+', ';;']
  for (const script of cases) t.same(parse(script), [], JSON.stringify(script))
})

t.test('odd inputs never throw', async (t) => {
  // A fixed-seed generator: the same inputs on every run.
  let seed = 42
  const random = (below: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % below
  }
  const alphabet = ['a', 'b', ' ', ' ', '\n', '\\', '`', '"', "'", '$', '(', ')', '{', '}', '[', ']', '&', '|', ';', '<', '>', '#',
    '=', '-c', 'sh', 'sudo', 'env', '*', '?', '!', '~', '\t', 'é', '😀', '\ud800', '\0', 'EOF', '<<', '$(', '${', 'if', 'then', 'fi']
  const inputs = [
    '日本語 && 한국어 | עברית', 'échoé "😀😀" \'ü\'', 'e\u0301cho', '\ud800', '\udc00 x', 'a\ud800b && c', '\0', 'echo \0 x', '\x01\x02\x7f',
    'a\r\nb', '\ufeffecho bom', 'echo ' + 'a'.repeat(100_000), 'a && '.repeat(2_000) + 'b', '$('.repeat(2_000) + ')'.repeat(2_000),
    '{ '.repeat(1_000) + 'a' + '; }'.repeat(1_000), '('.repeat(1_000), 'sh -c "'.repeat(20) + 'a' + '"'.repeat(20),
    ...Array.from({ length: 300 }, () => Array.from({ length: 1 + random(60) }, () => alphabet[random(alphabet.length)]).join('')),
  ]
  const failures: string[] = []
  const deep = new Set<string>()
  for (const input of inputs) {
    for (const source of [scriptSource(input, 1), joinContinuations(input, '\\', 1), joinContinuations(input, '`', 1)]) {
      try {
        const commands = parseShell(source)
        if (!commands.every((command) => typeof command.name === 'string' && command.line >= 1)) failures.push(`bad result: ${JSON.stringify(input)}`)
      } catch (error) {
        // Nesting past MAX_SHELL_DEPTH is refused before the parser recurses into it.
        if (error instanceof LimitExceeded && error.limit === 'shellDepth') deep.add(input.slice(0, 10))
        else failures.push(`${JSON.stringify(input.slice(0, 80))}: ${String(error)}`)
      }
    }
  }
  t.same(failures, [])
  t.same([...deep], ['$($($($($(', '{ { { { { ', '(((((((((('], 'only the inputs nested 1,000 and 2,000 deep are refused, as too deep')

  const raw = Array.from({ length: 2_000 }, (_, index) => `echo ${index} && \\`).join('\n') + '\n    true'
  const commands = parseShell(joinContinuations(raw, '\\', 5))
  t.equal(commands.length, 2_001)
  t.same(commands.slice(-2).map((command) => [command.name, command.line]), [['echo', 2_004], ['true', 2_005]])
})

t.test('each call returns fresh commands over frozen shared parts', async (t) => {
  const script = 'sudo A=1 pip install flask && echo ok'
  const first = parse(script) as Array<ShellCommand & { line: number }>
  first.pop()
  first[0]!.line = 99
  const second = parse(script)
  t.equal(second.length, 2)
  t.equal(second[0]?.line, 1)
  t.not(second[0], first[0])
  t.ok(Object.isFrozen(second[0]?.args) && Object.isFrozen(second[0]?.env) && Object.isFrozen(second[0]?.wrappers))
  t.throws(() => (second[0]?.args as string[]).push('x'))
  t.same(parse(script)[0]?.args, ['install', 'flask'])
})
