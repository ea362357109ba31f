import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('yum/dnf/microdnf install: packages and pins (DL3033, DL3041)', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>]> = [
    ['tomcat', [['tomcat', '', false]]],
    ['tomcat-9.2', [['tomcat', '9.2', true]]],
    ['tomcat-9.0.1', [['tomcat', '9.0.1', true]]],
    ['openssl-1:1.1.1k', [['openssl', '1:1.1.1k', true]]],
    ['rpm-sign-4.16.1.3', [['rpm-sign', '4.16.1.3', true]]],
    ['gcc-c++-1.1.1', [['gcc-c++', '1.1.1', true]]],
    ['python3-3.9.16-1.el9', [['python3', '3.9.16-1.el9', true]]],
    ['git-core-2.51.0-2.fc42', [['git-core', '2.51.0-2.fc42', true]]],
    ['java-1.8.0-openjdk-1.8.0.412.b08-2.el9', [['java-1.8.0-openjdk', '1.8.0.412.b08-2.el9', true]]],
    ['tomcat-9.*', [['tomcat', '9.*', true]]],
    ['git-core-${version}', [['git-core', '${version}', true]]],
    // Names with digits after a dash are names, not versions.
    ['rpm-sign', [['rpm-sign', '', false]]],
    ['java-11-openjdk', [['java-11-openjdk', '', false]]],
    ['java-1.8.0-openjdk-devel', [['java-1.8.0-openjdk-devel', '', false]]],
    ['gcc-toolset-12', [['gcc-toolset-12', '', false]]],
    ['python3.11-pip', [['python3.11-pip', '', false]]],
    // Capabilities with an operator.
    ['tomcat = 9.0', [['tomcat', '9.0', true]]],
    ['tomcat=9.0', [['tomcat', '9.0', true]]],
    ['tomcat >= 9', [['tomcat', '>=9', false]]],
    // Modules (dnf's @name:stream), groups and files.
    ['@nodejs:18', [['nodejs', '18', true]]],
    ['@Development Tools', []],
    ['/tmp/app-1.0-1.x86_64.rpm', []],
    ['app.rpm', []],
    ['https://example.com/epel-release-latest-9.noarch.rpm', []],
    ['$PKGS', []],
  ]
  for (const tool of ['yum', 'dnf', 'microdnf']) {
    for (const [arg, expected] of cases) t.same(pins(describeArgs(tool, ['install', '-y', arg])), expected, `${tool} ${arg}`)
  }
})

t.test('module and group installs', async (t) => {
  const cases: Array<[string, string, Array<[string, string, boolean]>]> = [
    ['dnf module install -y tomcat:9', 'module install', [['tomcat', '9', true]]],
    ['dnf module install -y tomcat', 'module install', [['tomcat', '', false]]],
    ['microdnf module install -y nodejs:18/minimal', 'module install', [['nodejs', '18', true]]],
    ['yum module install -y tomcat:9', 'module install', [['tomcat', '9', true]]],
    ['dnf -y module enable nodejs:18', 'module enable', []],
    ['dnf module', 'module', []],
    ['dnf module install -y $MODULES', 'module install', []],
    ['dnf group install -y Development', 'group install', []],
    ['dnf -y groupinstall Development', 'group install', []],
    ['dnf groups install -y Development', 'group install', []],
    ['yum groupinstall -y Development', 'group install', []],
  ]
  for (const [text, subcommand, expected] of cases) {
    const cmd = describe(text)
    t.equal(cmd.subcommand, subcommand, text)
    t.same(pins(cmd), expected, `${text}: packages`)
  }
  sameFields(t, describe('dnf module install -y tomcat:9'), { operands: ['tomcat:9'] })
  t.same(describe('dnf module install -y tomcat:9').packages.map((p) => p.spec), ['tomcat:9'])
})

t.test('flags, subcommands and tools', async (t) => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['yum install -y tomcat', { tool: 'yum', subcommand: 'install', flags: ['-y'] }],
    ['yum install --assumeyes tomcat', { tool: 'yum', flags: ['-y'] }],
    ['dnf install -y --setopt=tsflags=nodocs --nodocs tomcat', { flags: ['-y', '--setopt', '--nodocs'], flagValues: { '--setopt': 'tsflags=nodocs' } }],
    ['dnf -y --setopt=install_weak_deps=False install tomcat', { subcommand: 'install', flagValues: { '--setopt': 'install_weak_deps=False' } }],
    ['dnf install -y --enablerepo crb tomcat', { flagValues: { '--enablerepo': 'crb' }, operands: ['tomcat'] }],
    ['dnf install -y --nogpgcheck tomcat', { flags: ['-y', '--nogpgcheck'] }],
    ['yum clean all', { subcommand: 'clean', operands: ['all'] }],
    ['microdnf clean all', { tool: 'microdnf', subcommand: 'clean', operands: ['all'] }],
    ['dnf in -y tomcat', { subcommand: 'install' }],
    ['dnf rm -y tomcat', { subcommand: 'remove', packages: [] }],
    ['yum erase -y tomcat', { subcommand: 'remove' }],
    ['yum update -y', { subcommand: 'update' }],
    ['dnf upgrade -y tomcat', { subcommand: 'upgrade', packages: [] }],
    ['yum localinstall -y /tmp/app.rpm', { subcommand: 'localinstall', packages: [] }],
    ['dnf5 install -y tomcat', { tool: 'dnf' }],
    ['dnf-3 install -y tomcat', { tool: 'dnf' }],
  ]
  for (const [text, expected] of cases) sameFields(t, describe(text), expected, text)
})

t.test('tdnf (Photon, Azure Linux) reads as dnf, under its own name', async (t) => {
  sameFields(t, describe('tdnf install -y --nogpgcheck curl-8.8.0'), { tool: 'tdnf', subcommand: 'install', flags: ['-y', '--nogpgcheck'] })
  t.same(pins(describe('tdnf install -y curl-8.8.0 git')), [['curl', '8.8.0', true], ['git', '', false]])
  sameFields(t, describe('tdnf clean all'), { tool: 'tdnf', subcommand: 'clean', operands: ['all'] })
  sameFields(t, describe('tdnf --skipsignature --skipdigest in -y x'), { subcommand: 'install', flags: ['--skipsignature', '--skipdigest', '-y'] })
})

t.test('rpm: the mode is the subcommand; the checks an install skips are flags', async (t) => {
  const cases: Array<[string, string, string[], string[]]> = [
    ['rpm -ivh --nosignature /tmp/app.rpm', 'install', ['-i', '-v', '-h', '--nosignature'], ['/tmp/app.rpm']],
    ['rpm -Uvh --nodigest --nodeps a.rpm b.rpm', 'upgrade', ['-U', '-v', '-h', '--nodigest', '--nodeps'], ['a.rpm', 'b.rpm']],
    ['rpm --install --noverify a.rpm', 'install', ['-i', '--noverify'], ['a.rpm']],
    ['rpm -e --nodeps tzdata', 'erase', ['-e', '--nodeps'], ['tzdata']],
    ['rpm -qi bash', 'query', ['-q', '-i'], ['bash']],
    ['rpm --import https://example.com/key.asc', 'import', ['--import'], ['https://example.com/key.asc']],
    ['rpm --root /image -ivh --justdb x.rpm', 'install', ['-r', '-i', '-v', '-h', '--justdb'], ['x.rpm']],
    ['rpm -V --nofiledigest bash', 'verify', ['-V', '--nofiledigest'], ['bash']],
    ['rpm --qf %{VERSION} -q bash', 'query', ['--queryformat', '-q'], ['bash']],
  ]
  for (const [text, subcommand, flags, operands] of cases) sameFields(t, describe(text), { tool: 'rpm', subcommand, flags, operands, packages: [] }, text)
})
