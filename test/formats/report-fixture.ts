// Reports built from real evaluations, for the format tests: a bad Dockerfile (findings on known lines, one
// suppressed by a pragma, one in requirements.txt) in a subfolder, and a good one at the root.
import { evaluate, type EvaluateRequest } from '../../src/evaluate.js'
import { loadPolicyDir } from '../../src/policy/load.js'
import type { PolicySet } from '../../src/policy/types.js'
import type { JudgedFile, Report } from '../../src/verdict/formats/report.js'
import { rulesRun } from '../../src/verdict/formats/rules-run.js'
import { POLICY_DIR } from '../helpers.js'

export const BAD_PATH = 'services/api/Dockerfile'
export const BAD: EvaluateRequest = {
  dockerfile: [
    'FROM python:latest',
    '# plimsoll ignore=copy-only-needed-files reason="the whole folder is the app"',
    'ADD . /app',
    'WORKDIR app',
    'RUN pip install -r requirements.txt',
    'CMD python app.py',
    '',
  ].join('\n'),
  files: { 'requirements.txt': 'flask\n', '.dockerignore': '.git\n' },
  failOn: 'error',
}

export const GOOD_PATH = 'Dockerfile'
export const GOOD: EvaluateRequest = {
  dockerfile: [
    `FROM python:3.12-slim@sha256:${'a'.repeat(64)}`,
    'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
    'WORKDIR /app',
    'COPY requirements.txt .',
    'RUN pip install --no-cache-dir -r requirements.txt',
    'COPY app.py .',
    'USER 10001',
    'EXPOSE 8000',
    'HEALTHCHECK CMD ["python", "-c", "print(1)"]',
    'CMD ["python", "app.py"]',
    '',
  ].join('\n'),
  files: { 'requirements.txt': 'flask==3.0.3\n', '.dockerignore': '.git\n' },
}

let loaded: PolicySet | undefined

export async function policySet (): Promise<PolicySet> {
  if (loaded !== undefined) return loaded
  const set = await loadPolicyDir(POLICY_DIR)
  if (!set.ok) throw new Error('the shipped policies do not load')
  loaded = set.value
  return loaded
}

export async function judge (path: string, request: EvaluateRequest): Promise<JudgedFile> {
  const set = await policySet()
  const verdict = evaluate(set, request, { defaultFailOn: 'none', today: '2026-01-01' })
  if (!verdict.ok) throw new Error(`evaluation failed: ${verdict.problems[0]?.message ?? ''}`)
  return { path, verdict: verdict.value, rules: rulesRun(set, request, verdict.value) }
}

/** The bad file and the good one, as a batch would report them. */
export async function sampleReport (): Promise<Report> {
  return { files: [await judge(BAD_PATH, BAD), await judge(GOOD_PATH, GOOD)], version: '0.1.0' }
}
