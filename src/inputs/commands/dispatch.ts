// Which family reads a command, by its program's base name. Registration is explicit: a program that is not
// listed here (pipx, pipenv, npx, aptitude, dpkg…) is of no known tool, whatever it resembles.
import { describeAddgroup, describeAdduser, describeGroupadd, describeUseradd } from './accounts.js'
import { describeApk } from './apk.js'
import { describeApt } from './apt.js'
import { describeCurl, describeWget } from './download.js'
import { describeFileTool } from './files.js'
import { describeGem } from './gem.js'
import { describeGo } from './go.js'
import { describeNode } from './node.js'
import { describePip, describePythonModule } from './pip.js'
import { describeRpm, describeRpmTool } from './rpm.js'
import { NOTHING, type CommandSemantics, type Describer, type RawCommand } from './types.js'
import { describeUv } from './uv.js'
import { describeZypper } from './zypper.js'

const BY_PROGRAM: ReadonlyMap<string, Describer> = new Map<string, Describer>([
  ['addgroup', describeAddgroup],
  ['adduser', describeAdduser],
  ['apk', describeApk],
  ['apt', (raw) => describeApt(raw, 'apt')],
  ['apt-get', (raw) => describeApt(raw, 'apt-get')],
  ['cd', (raw) => describeFileTool(raw, 'cd')],
  ['chmod', (raw) => describeFileTool(raw, 'chmod')],
  ['chown', (raw) => describeFileTool(raw, 'chown')],
  ['curl', describeCurl],
  // dnf5 and dnf-3 are dnf under their versioned names (Fedora 41 made dnf a link to dnf5).
  ['dnf', (raw) => describeRpm(raw, 'dnf')],
  ['dnf-3', (raw) => describeRpm(raw, 'dnf')],
  ['dnf5', (raw) => describeRpm(raw, 'dnf')],
  ['gem', describeGem],
  ['go', describeGo],
  ['groupadd', describeGroupadd],
  ['microdnf', (raw) => describeRpm(raw, 'microdnf')],
  ['npm', (raw) => describeNode(raw, 'npm')],
  ['pnpm', (raw) => describeNode(raw, 'pnpm')],
  ['rm', (raw) => describeFileTool(raw, 'rm')],
  ['rpm', describeRpmTool],
  ['tdnf', (raw) => describeRpm(raw, 'tdnf')],
  ['useradd', describeUseradd],
  ['uv', describeUv],
  ['uvx', describeUv],
  ['wget', describeWget],
  ['yarn', (raw) => describeNode(raw, 'yarn')],
  ['yum', (raw) => describeRpm(raw, 'yum')],
  ['zypper', describeZypper],
])

// pip, pip3, pip3.12, pip-3.12 (Fedora); python, python3, python3.12 (only with `-m pip`).
const PIP = /^pip(?:-?\d+(?:\.\d+)*)?$/
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/

/** What a simple command means for the tools Plimsoll knows; a command of no known tool has tool "". */
export function describeCommand (raw: RawCommand): CommandSemantics {
  const describe = BY_PROGRAM.get(raw.program)
  if (describe !== undefined) return describe(raw)
  if (PIP.test(raw.program)) return describePip(raw)
  if (PYTHON.test(raw.program)) return describePythonModule(raw)
  return NOTHING
}
