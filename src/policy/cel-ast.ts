// cel-js's syntax tree, as the policy compiler reads it: for rewriting, bounding and compiling expressions.

/** cel-js's syntax tree: `{ op, args, start, end }`; `rcall` is a method call `[name, receiver, args]`. */
export interface AstNode { op: string, args: unknown, start: number, end: number }

/** The macros that loop over a list or map. */
export const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter'])

export function walk (node: AstNode, visit: (node: AstNode) => void): void {
  visit(node)
  for (const child of children(node)) walk(child, visit)
}

export function children (node: AstNode): AstNode[] {
  const found: AstNode[] = []
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect)
    else if (value !== null && typeof value === 'object' && 'op' in value) found.push(value as AstNode)
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect)
  }
  collect(node.args)
  return found
}

