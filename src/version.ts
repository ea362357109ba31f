import { readFileSync } from 'node:fs'

// package.json sits one level up from both src/ and dist/.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }

/** Plimsoll's version, as package.json gives it: the CLI's --version and the reports that name their tool. */
export const VERSION = pkg.version ?? '0.0.0'
