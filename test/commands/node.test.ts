import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('npm install: packages and pins (DL3016, stricter on tags and ranges)', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>]> = [
    ['express', [['express', '', false]]],
    ['express@4.19.2', [['express', '4.19.2', true]]],
    ['express@v4.19.2', [['express', 'v4.19.2', true]]],
    ['express@4.19.2-rc.1', [['express', '4.19.2-rc.1', true]]],
    ['express@$EXPRESS_VERSION', [['express', '$EXPRESS_VERSION', true]]],
    ['@myorg/privatepackage', [['@myorg/privatepackage', '', false]]],
    ['@scope/pkg@1.2.3', [['@scope/pkg', '1.2.3', true]]],
    ['@myorg/privatepackage@>=0.1.0', [['@myorg/privatepackage', '>=0.1.0', false]]],
    ['@myorg/privatepackage@>=0.1.0 <0.2.0', [['@myorg/privatepackage', '>=0.1.0 <0.2.0', false]]],
    ['express@latest', [['express', 'latest', false]]],
    ['express@^4.19.2', [['express', '^4.19.2', false]]],
    ['express@4', [['express', '4', false]]],
    ['express@4.x', [['express', '4.x', false]]],
    ['react17@npm:react@17.0.2', [['react17', 'npm:react@17.0.2', true]]],
    ['react17@npm:react@17', [['react17', 'npm:react@17', false]]],
    // Git sources are packages, pinned by a ref.
    ['git+ssh://git@github.com:npm/npm.git#v1.0.27', [['npm', 'v1.0.27', true]]],
    ['git+https://isaacs@github.com/npm/npm.git#v1.0.27', [['npm', 'v1.0.27', true]]],
    ['git://github.com/npm/npm.git#v1.0.27', [['npm', 'v1.0.27', true]]],
    ['git+http://isaacs@github.com/npm/npm#semver:5.0.0', [['npm', 'semver:5.0.0', true]]],
    ['git+http://isaacs@github.com/npm/npm#semver:^5.0', [['npm', 'semver:^5.0', false]]],
    ['git+ssh://git@github.com:npm/npm.git', [['npm', '', false]]],
    ['git://github.com/npm/npm.git', [['npm', '', false]]],
    ['github:npm/cli#v10.2.0', [['cli', 'v10.2.0', true]]],
    ['npm/cli', [['cli', '', false]]],
    // Tarballs, folders and plain URLs name no package.
    ['package-v1.2.3.tar', []],
    ['package-v1.2.3.tar.gz', []],
    ['package-v1.2.3.tgz', []],
    ['/folder', []],
    ['./folder', []],
    ['../folder', []],
    ['~/folder', []],
    ['file:../lib', []],
    ['https://registry.example.com/pkg/-/pkg-1.0.0.tgz', []],
    ['https://example.com/pkg', []],
    ['$PACKAGES', []],
  ]
  for (const [arg, expected] of cases) t.same(pins(describeArgs('npm', ['install', arg])), expected, arg)
})

t.test('npm: subcommand spellings, flags and flag values', async (t) => {
  const cases: Array<[string, Record<string, unknown>, Array<[string, string, boolean]>]> = [
    ['npm install', { subcommand: 'install', operands: [] }, []],
    ['npm install --progress=false', { flags: ['--progress'], flagValues: { '--progress': 'false' } }, []],
    ['npm i express@4.1.1', { subcommand: 'install' }, [['express', '4.1.1', true]]],
    ['npm add express', { subcommand: 'install' }, [['express', '', false]]],
    ['npm isntall express', { subcommand: 'install' }, [['express', '', false]]],
    ['npm ci', { subcommand: 'ci' }, []],
    ['npm clean-install --omit=dev', { subcommand: 'ci', flagValues: { '--omit': 'dev' } }, []],
    ['npm uninstall express', { subcommand: 'uninstall' }, []],
    ['npm install -g express@4.1.1', { flags: ['-g'] }, [['express', '4.1.1', true]]],
    ['npm install --global express', { flags: ['-g'] }, [['express', '', false]]],
    ['npm install --save-dev --save-exact typescript@5.4.5', { flags: ['-D', '-E'] }, [['typescript', '5.4.5', true]]],
    ['npm install --loglevel verbose sax@0.1.1', { flagValues: { '--loglevel': 'verbose' } }, [['sax', '0.1.1', true]]],
    ['npm install --registry https://example.com express', { flagValues: { '--registry': 'https://example.com' } }, [['express', '', false]]],
    ['npm install --registry=https://example.com express', { flagValues: { '--registry': 'https://example.com' } }, [['express', '', false]]],
    ['npm install --strict-ssl false express', { flags: ['--strict-ssl'], flagValues: { '--strict-ssl': 'false' } }, [['express', '', false]]],
    ['npm install --prefix /app express@1.0.0', { flagValues: { '-C': '/app' } }, [['express', '1.0.0', true]]],
    ['npm install express sax@0.1.1', {}, [['express', '', false], ['sax', '0.1.1', true]]],
    // `install` is not the subcommand here: no packages.
    ['npm run --crazy install', { subcommand: 'run', operands: ['install'] }, []],
    ['npm cache clean --force', { subcommand: 'cache', operands: ['clean'], flags: ['-f'] }, []],
  ]
  for (const [text, expected, packages] of cases) {
    const cmd = describe(text)
    sameFields(t, cmd, { tool: 'npm', ...expected }, text)
    t.same(pins(cmd), packages, `${text}: packages`)
  }
})

t.test('yarn and pnpm', async (t) => {
  const cases: Array<[string, Record<string, unknown>, Array<[string, string, boolean]>]> = [
    ['yarn', { tool: 'yarn', subcommand: 'install' }, []],
    ['yarn --frozen-lockfile', { tool: 'yarn', subcommand: 'install', flags: ['--frozen-lockfile'] }, []],
    ['yarn install --production --frozen-lockfile', { subcommand: 'install', flags: ['--production', '--frozen-lockfile'] }, []],
    ['yarn install --production=true', { flagValues: { '--production': 'true' } }, []],
    ['yarn install --network-timeout 100000', { flagValues: { '--network-timeout': '100000' } }, []],
    ['yarn add express@4.19.2', { subcommand: 'add' }, [['express', '4.19.2', true]]],
    ['yarn add --dev typescript', { subcommand: 'add', flags: ['-D'] }, [['typescript', '', false]]],
    ['yarn add -E @types/node@20.11.5', { flags: ['-E'] }, [['@types/node', '20.11.5', true]]],
    ['yarn global add typescript@5.4.5', { subcommand: 'global add', operands: ['typescript@5.4.5'] }, [['typescript', '5.4.5', true]]],
    ['yarn global add nodemon', { subcommand: 'global add' }, [['nodemon', '', false]]],
    ['yarn global', { subcommand: 'global' }, []],
    ['yarn cache clean', { subcommand: 'cache', operands: ['clean'] }, []],
    ['yarn build', { subcommand: 'build' }, []],
    ['pnpm install --frozen-lockfile', { tool: 'pnpm', subcommand: 'install', flags: ['--frozen-lockfile'] }, []],
    ['pnpm i --prod', { subcommand: 'install', flags: ['-P'] }, []],
    ['pnpm add -D typescript@5.4.5', { subcommand: 'add', flags: ['-D'] }, [['typescript', '5.4.5', true]]],
    ['pnpm add --global pnpm', { flags: ['-g'] }, [['pnpm', '', false]]],
    ['pnpm --filter api add express@4.19.2', { flagValues: { '-F': 'api' } }, [['express', '4.19.2', true]]],
    ['pnpm add express@latest', {}, [['express', 'latest', false]]],
  ]
  for (const [text, expected, packages] of cases) {
    const cmd = describe(text)
    sameFields(t, cmd, expected, text)
    t.same(pins(cmd), packages, `${text}: packages`)
  }
  sameFields(t, describe('npx create-react-app x'), { tool: '' }, 'npx is not npm')
})
