import t from 'tap'
import { describe, describeArgs } from './helpers.js'

t.test('cd, chown, chmod and rm: flags split and canonical, operands kept', async (t) => {
  const cases: Array<[string, string, string[], Record<string, string>, string[]]> = [
    ['rm -rf /var/lib/apt/lists/*', 'rm', ['-r', '-f'], {}, ['/var/lib/apt/lists/*']],
    ['rm -Rf /tmp/a /tmp/b', 'rm', ['-r', '-f'], {}, ['/tmp/a', '/tmp/b']],
    ['rm -fr /tmp/a', 'rm', ['-f', '-r'], {}, ['/tmp/a']],
    ['rm --recursive --force /tmp/a', 'rm', ['-r', '-f'], {}, ['/tmp/a']],
    ['rm -- -weird-name', 'rm', [], {}, ['-weird-name']],
    ['rm /tmp/a', 'rm', [], {}, ['/tmp/a']],
    ['chown -R app:app /app', 'chown', ['-R'], {}, ['app:app', '/app']],
    ['chown --recursive 10001:0 /app', 'chown', ['-R'], {}, ['10001:0', '/app']],
    ['chown --from=root app /app', 'chown', ['--from'], { '--from': 'root' }, ['app', '/app']],
    ['chown -hR app /app', 'chown', ['-h', '-R'], {}, ['app', '/app']],
    ['chmod -R 755 /app', 'chmod', ['-R'], {}, ['755', '/app']],
    ['chmod +x /entrypoint.sh', 'chmod', [], {}, ['+x', '/entrypoint.sh']],
    ['chmod -x /app/script', 'chmod', [], {}, ['-x', '/app/script']],
    ['chmod -R -w /app', 'chmod', ['-R'], {}, ['-w', '/app']],
    ['chmod -rwx,g+r /app -v', 'chmod', ['-v'], {}, ['-rwx,g+r', '/app']],
    ['chmod -Rv g+w /app', 'chmod', ['-R', '-v'], {}, ['g+w', '/app']],
    ['chmod --reference=/a /b', 'chmod', ['--reference'], { '--reference': '/a' }, ['/b']],
    ['chmod -- -x /app', 'chmod', [], {}, ['-x', '/app']],
    ['cd /app', 'cd', [], {}, ['/app']],
    ['cd -P /app', 'cd', ['-P'], {}, ['/app']],
    ['cd -', 'cd', [], {}, ['-']],
    ['cd', 'cd', [], {}, []],
  ]
  for (const [text, tool, flags, values, operands] of cases) {
    t.same(describe(text), { tool, subcommand: '', flags, flagValues: values, operands, packages: [], requirementFiles: [], account: null, urls: [] }, text)
  }
  t.same(describeArgs('chmod', ['-x', '--', '-y']).operands, ['-x', '-y'])
})
