import { readFileSync } from 'node:fs'
import t from 'tap'
import { loadPolicyDir } from '../src/policy/load.js'
import { ALIASES_DOC, generateAliasesDoc, readPeerChecks, unknownAliases } from '../scripts/aliases-doc.js'
import { POLICY_DIR } from './helpers.js'

// docs/aliases.md is generated from docs/peer-checks.yaml and the policies; every alias needs its peer's title there.
const set = await loadPolicyDir(POLICY_DIR)
if (!set.ok) throw new Error(JSON.stringify(set.problems))
const peers = readPeerChecks()

t.test('every alias a rule carries has its peer check in docs/peer-checks.yaml', async (t) => {
  t.same(unknownAliases(set.value, peers), [], 'record the peer tool\'s own title for each new alias')
  t.same(Object.entries(peers.checks).filter(([, c]) => !(c.tool in peers.tools) || c.title === '').map(([id]) => id), [],
    'every check names a known tool and a title')
})

t.test('docs/aliases.md matches docs/peer-checks.yaml and the policies (npm run aliases:doc)', async (t) => {
  t.equal(readFileSync(ALIASES_DOC, 'utf8'), generateAliasesDoc(set.value, peers))
})
