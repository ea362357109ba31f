// Docker's variable substitution: $VAR, ${VAR}, ${VAR:-word}, ${VAR:+word}.
// Unset variables become "" as in Docker; their names are reported so facts can say what stayed open.

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g

export interface Expansion {
  readonly value: string
  readonly unresolved: readonly string[]
}

export function expandVariables (text: string, vars: Readonly<Record<string, string>>): Expansion {
  const unresolved: string[] = []
  const value = text.replace(VARIABLE, (_match, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string
    const current = Object.hasOwn(vars, name) ? vars[name] : undefined
    if (op === '-') return current !== undefined && current !== '' ? current : expandVariables(word ?? '', vars).value
    if (op === '+') return current !== undefined && current !== '' ? expandVariables(word ?? '', vars).value : ''
    if (current === undefined) {
      unresolved.push(name)
      return ''
    }
    return current
  })
  return { value, unresolved }
}
