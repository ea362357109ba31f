import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// ../shared/PRACTICES.md is the specification: every practice that a Dockerfile, its .dockerignore or its
// requirements.txt can decide (Input starting DF, DI or RQ) has a rule, by its id or split by tool or part;
// and every practice it says an image's config or files can decide (Input naming IC or IF) is judged on
// images: its rule (or one of its parts) has an image check, or is an image rule.
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

/**
 * Practices whose Input names IC or IF that no rule judges on images, with why. An entry must stay true: once a
 * rule judges the practice on images, the test asks for the entry to go.
 */
const NOT_ON_IMAGES: Record<string, string> = {
  'no-empty-passwords': 'needs the content of /etc/shadow; an image archive\'s file listing gives paths, modes and owners, not contents',
  'unique-uid-gid': 'needs the content of /etc/passwd and /etc/group; an image archive\'s file listing gives paths, modes and owners, not contents',
  'no-fixable-critical-high-cves': 'needs a vulnerability database to match the installed packages against, and the packages themselves (an SBOM), which no image document carries',
  'no-high-profile-cves': 'needs a curated CVE list and CISA KEV to match the installed packages against, and the packages themselves (an SBOM)',
  'license-compliance': 'needs the installed packages with their licences (an SBOM); a file listing has paths, not package metadata',
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

  // A rule judges images when it is an image rule (an image scope) or a Dockerfile rule with an `image:` check.
  const onImages = new Set(loaded.value.policies.flatMap((p) => p.rules.filter((r) => r.subject === 'image' || r.image !== undefined).map((r) => r.id)))
  for (const row of rows.filter((r) => /\b(IC|IF)\b/.test(r.input))) {
    t.test(`#${row.number} ${row.practice} on images (${row.input})`, async (t) => {
      const parts = SPLIT[row.practice] ?? [...ids].filter((id) => id === row.practice || id.startsWith(`${row.practice}-`))
      const judged = parts.filter((id) => onImages.has(id))
      const reason = NOT_ON_IMAGES[row.practice]
      if (reason !== undefined) t.same(judged, [], `not judged on images: ${reason} (drop the NOT_ON_IMAGES entry once a rule is)`)
      else if (parts.length === 0) t.fail(`no rule ${row.practice} (or ${row.practice}-<tool>) judges images: write one, or list it in NOT_ON_IMAGES with why`)
      else t.ok(judged.length > 0, `a rule of ${parts.join(', ')} judges images (an image scope, or an image: check), or NOT_ON_IMAGES says why not`)
    })
  }

  t.test('NOT_ON_IMAGES names catalog rows that take image input', async (t) => {
    const imageRows = new Set(rows.filter((r) => /\b(IC|IF)\b/.test(r.input)).map((r) => r.practice))
    t.same(Object.keys(NOT_ON_IMAGES).filter((practice) => !imageRows.has(practice)), [])
  })
}
