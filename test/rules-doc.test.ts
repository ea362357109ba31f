import { existsSync, readFileSync } from 'node:fs'
import t from 'tap'
import { loadPolicyDir } from '../src/policy/load.js'
import { CORPUS, RULES_DOC, corpusFindings, generateRulesDoc } from '../scripts/rules-doc.js'
import { POLICY_DIR } from './helpers.js'

// docs/rules.md is generated from the policies and the real-world corpus; it must not drift from either.
if (!existsSync(CORPUS)) {
  t.test('docs/rules.md matches the policies', { skip: `${CORPUS} is absent: the review counts need it` }, async () => {})
} else {
  t.test('docs/rules.md matches the policies and the corpus (npm run rules:doc)', async (t) => {
    const set = await loadPolicyDir(POLICY_DIR)
    if (!set.ok) throw new Error('shipped policies do not load')
    t.equal(readFileSync(RULES_DOC, 'utf8'), generateRulesDoc(set.value, corpusFindings(set.value)))
  })
}
