import { existsSync, readFileSync } from 'node:fs'
import t from 'tap'
import { loadPolicyDir } from '../src/policy/load.js'
import { CORPUS, RULES_DOC, corpusFindings, generateRulesDoc, readReviews, reviewProblems, reviewSample } from '../scripts/rules-doc.js'
import { POLICY_DIR } from './helpers.js'

// docs/rules.md is generated from the policies and the real-world corpus; it must not drift from either,
// and the review's verdicts (docs/review-notes.yaml) must be about lines the rules still report.
if (!existsSync(CORPUS)) {
  t.test('docs/rules.md matches the policies', { skip: `${CORPUS} is absent: the review counts need it` }, async () => {})
} else {
  const set = await loadPolicyDir(POLICY_DIR)
  if (!set.ok) throw new Error('shipped policies do not load')
  const findings = corpusFindings(set.value)

  t.test('docs/rules.md matches the policies and the corpus (npm run rules:doc)', async (t) => {
    t.equal(readFileSync(RULES_DOC, 'utf8'), generateRulesDoc(set.value, findings))
  })

  t.test('every verdict in docs/review-notes.yaml is on a line still reported, and every rule is read enough', async (t) => {
    t.same(reviewProblems(findings, readReviews()), [])
  })
}

t.test('review checks: stale verdicts, bad verdicts and rules read too little are problems', async (t) => {
  const finding = (ruleId: string, at: string) => ({ ruleId, at, severity: 'warning', message: '', reviewed: true })
  const findings = [finding('a', 'x:1'), finding('a', 'x:2'), finding('b', 'y:3')]
  const reviews = new Map([
    ['a', { note: '', reviewed: [{ at: 'x:1', verdict: 'right' as const }, { at: 'x:9', verdict: 'nope' as 'right' }] }],
  ])
  t.same(reviewProblems(findings, reviews), [
    'a: x:9: verdict must be right, wrong or debatable',
    'a: x:9 is no longer reported: review the rule again',
    'b: 0 of 1 lines read, fewer than 1',
  ])
  t.same(reviewSample(findings, 2), ['x:1', 'x:2'], 'distinct lines, all of them when they fit')
  t.same(reviewSample(Array.from({ length: 10 }, (_, i) => finding('a', `f:${i}`)), 3), ['f:0', 'f:3', 'f:6'], 'evenly spaced')
})
