import { failed, ok, type Problem, type Result } from '../problem.js'

/**
 * Turns repeated `--param name=value` into parameter values. A value is JSON when it parses as JSON
 * (`--param maxLayers=20`, `--param 'registries=["ghcr.io"]'`), else the string as written, so
 * `--param registry=ghcr.io` needs no quoting. A later value for the same name wins.
 */
export function parseParams (raw: readonly string[]): Result<Record<string, unknown>> {
  const params: Record<string, unknown> = {}
  const problems: Problem[] = []
  for (const item of raw) {
    const eq = item.indexOf('=')
    const name = eq < 0 ? '' : item.slice(0, eq).trim()
    if (name === '') {
      problems.push({ code: 'cli.param', message: `--param wants name=value, got "${item}"` })
      continue
    }
    // defineProperty keeps a parameter called `__proto__` a parameter, not a prototype change.
    Object.defineProperty(params, name, { value: parseValue(item.slice(eq + 1)), enumerable: true, writable: true, configurable: true })
  }
  return problems.length > 0 ? failed(problems) : ok(params)
}

function parseValue (text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** Commander collector for options given more than once: `--policy a --policy b`. No default, so help shows none. */
export const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value]
