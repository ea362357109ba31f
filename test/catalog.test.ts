import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// ../shared/PRACTICES.md is the specification: every practice that a Dockerfile, its .dockerignore or its
// requirements.txt can decide (Input starting DF, DI or RQ) has a rule, by its id or split by tool or part.
const CATALOG = fileURLToPath(new URL('../../shared/PRACTICES.md', import.meta.url))

/** Practices shipped as several rules under other names. */
const SPLIT: Record<string, string[]> = {
  'stage-names-valid': ['stage-names-unique', 'stage-names-not-reserved'],
  'single-cmd-entrypoint': ['single-cmd', 'single-entrypoint'],
  'distroless-runtime-constraints': ['distroless-no-run', 'distroless-exec-form', 'distroless-nonroot'],
  'label-schema': ['label-key-valid', 'label-required', 'label-not-superfluous', 'label-not-empty', 'label-url-valid'],
  'dockerfile-structure-valid': ['from-first', 'env-no-self-reference', 'onbuild-trigger-allowed'],
}
/** Practices not shipped as a rule, with why. */
const NOT_A_RULE: Record<string, string> = {
  'dockerfile-linted': 'a process, not a check: the `hadolint` profile is the hadolint-equivalent rule set it asks for',
}

if (!existsSync(CATALOG)) {
  t.test('the catalog has a rule per practice', { skip: `${CATALOG} is absent (it ships beside the repo in CI, not in a clone)` }, async () => {})
} else {
  const loaded = await loadPolicyDir(POLICY_DIR)
  if (!loaded.ok) throw new Error('shipped policies do not load')
  const ids = new Set(loaded.value.policies.flatMap((p) => p.rules.map((r) => r.id)))
  const rows = [...readFileSync(CATALOG, 'utf8').matchAll(/^\| (\d+) \| (?:★ )?([a-z0-9-]+) \| [^|]* \| ([^|]*) \|/gm)]
    .map((m) => ({ number: Number(m[1]), practice: m[2] as string, input: (m[3] as string).trim() }))

  t.test('the catalog is read', async (t) => { t.equal(rows.length, 87) })

  for (const row of rows.filter((r) => /^(DF|DI|RQ)\b/.test(r.input))) {
    const reason = NOT_A_RULE[row.practice]
    t.test(`#${row.number} ${row.practice}`, { skip: reason ?? false }, async (t) => {
      const wanted = SPLIT[row.practice]
      if (wanted !== undefined) t.same(wanted.filter((id) => !ids.has(id)), [], 'every part has a rule')
      else t.ok(ids.has(row.practice) || [...ids].some((id) => id.startsWith(`${row.practice}-`)), `a rule ${row.practice} (or ${row.practice}-<tool>)`)
    })
  }
}
