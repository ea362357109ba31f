// The command line: commander parses, each command lives in its own file and returns an exit code.
import { VERSION } from '../version.js'
import { Command, CommanderError, Option } from 'commander'
import { FORMATS, type Format } from '../verdict/formats/report.js'
import type { FailOn } from '../verdict/verdict.js'
import { DEFAULT_FAIL_ON, runCheck } from './check.js'
import { COMPARE_HELP, runCompare, type CompareOptions } from './compare.js'
import { runExplain } from './explain.js'
import { EXIT, type CliIo, type ExitCode } from './io.js'
import { runServe, type ServeOptions } from './serve.js'
import { runTest } from './test-command.js'
import { POLICIES_HELP, withSelectionDefaults, withSelectionOptions, type SelectionOptions } from './selection.js'
import { runValidate } from './validate.js'

// Options given never are absent: commander sets no default for repeatable ones, so help shows none.
interface RawCheckOptions extends Partial<SelectionOptions> {
  format: Format, failOn?: FailOn, context?: string, image?: string, fix?: boolean, dryRun?: boolean
}

const CHECK_HELP = `
Context files (.dockerignore, <Dockerfile>.dockerignore, .hadolint.yaml, requirements*.txt, package.json,
lock files, go.mod, ...) are read from --context, else from the Dockerfile's directory; each at most 1 MiB.

With --image, the image is judged (a JSON document: docker/podman/buildah inspect output, an image config,
a manifest or index; or an archive: docker save, an OCI layout as tar, gzipped or not; - reads standard
input), with the Dockerfile it was built from when one is given.

With --fix, the fixes rules declare are applied and each Dockerfile is rewritten (from standard input, the
fixed Dockerfile is printed and the report goes to standard error); "fixed N findings in <file>" goes to
standard error, then the report and the exit code are for what is left. With --fix --dry-run nothing is
written: the unified diff is printed (for git apply or patch -p1), and the exit code is 1 when a file would
change, 0 when none would.

Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 bad usage or input.
With several Dockerfiles, the worst.

Examples:
  plimsoll check
  plimsoll check --fail-on error --format json build/app.Dockerfile
  plimsoll check --format sarif Dockerfile services/*/Dockerfile > plimsoll.sarif
  plimsoll check --fix services/*/Dockerfile
  plimsoll check --fix --dry-run . > fixes.patch
  plimsoll check --exclude DL3008 --param 'trustedRegistries=["ghcr.io"]' -
  docker save app | plimsoll check --image -
  plimsoll check --image inspect.json Dockerfile
`

/**
 * Runs the CLI on `argv` (without node and the script) and resolves to the exit code. Everything it reads
 * or writes besides files goes through `io`, so tests run it in-process.
 */
export async function main (argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok
  const program = new Command('plimsoll')
    .description('Judge Dockerfiles against YAML policies written in CEL, without a server.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => { io.stdout.write(text) },
      writeErr: (text) => { io.stderr.write(text) },
    })
    .showHelpAfterError('(run with --help for usage)')

  withSelectionOptions(program.command('check')
    .description('judge Dockerfiles (default ./Dockerfile; - reads standard input), or an image with --image')
    .argument('[dockerfiles...]', 'Dockerfiles to judge'))
    .addOption(new Option('--format <format>', 'output format: text for people, json, or a CI report (sarif, junit, gitlab, checkstyle, github)').choices(FORMATS).default('text'))
    .addOption(new Option('--fail-on <severity>', `exit 1 when a finding is at or above this (default: the profile's, else .hadolint.yaml's failure-threshold, else ${DEFAULT_FAIL_ON})`).choices(['error', 'warning', 'info', 'none']))
    .option('--context <dir>', 'build context to read context files from (default: the Dockerfile\'s directory)')
    .option('--image <file>', 'judge an image: a JSON document or an archive; - reads standard input')
    .option('--fix', 'apply the fixes of the findings to the Dockerfiles, then report what is left')
    .option('--dry-run', 'with --fix: write nothing, print the diff; exit 1 when a file would change')
    .addHelpText('after', CHECK_HELP)
    .action(async (files: string[], options: RawCheckOptions) => {
      code = await runCheck(files, withSelectionDefaults(options), io)
    })

  withSelectionOptions(program.command('compare')
    .description('judge two or more variants with the same rules and show them side by side')
    .argument('<label=path...>', 'Dockerfiles, image documents or image archives, each with a label; - reads standard input'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .addHelpText('after', COMPARE_HELP)
    .action(async (subjects: string[], options: Partial<CompareOptions> & Pick<CompareOptions, 'format'>) => {
      code = await runCompare(subjects, withSelectionDefaults(options), io)
    })

  program.command('test')
    .description('run every rule\'s examples and the policy test files (*_test.yaml, *.test.yaml, also in tests/)')
    .argument('[dir]', 'policy directory (default: the policies shipped with plimsoll)')
    .addHelpText('after', '\nExit codes: 0 all passed, 1 a test failed, 2 the policies or tests do not load.\n')
    .action(async (dir: string | undefined) => { code = await runTest(dir, io) })

  program.command('validate')
    .description('compile policy files (default: the whole policy directory) and list every problem as file:line:column')
    .argument('[files...]', 'policy files or policy test files')
    .option('--policies <dir>', POLICIES_HELP)
    .addHelpText('after', '\nExit codes: 0 valid, 1 problems found, 2 a file or directory cannot be read.\n')
    .action(async (files: string[], options: { policies?: string }) => { code = await runValidate(files, options, io) })

  program.command('explain')
    .description('describe a rule, by id or alias (e.g. DL3002): its metadata, CEL and examples')
    .argument('<rule>', 'rule id or alias')
    .option('--policies <dir>', POLICIES_HELP)
    .action(async (rule: string, options: { policies?: string }) => { code = await runExplain(rule, options, io) })

  program.command('serve')
    .description('start the HTTP service, as npm start does')
    .option('--policies <dir>', `${POLICIES_HELP}; POLICY_DIR`)
    .option('--host <address>', 'address to listen on; HOST (default: 127.0.0.1)')
    .option('--port <port>', 'port to listen on; PORT (default: 8080)')
    .option('--log-level <level>', 'pino level or silent; LOG_LEVEL (default: info)')
    .action(async (options: ServeOptions) => { code = await runServe(options, io) })

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    // --help and --version end here too, with exit code 0; any other parse error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    throw error
  }
  return code
}

