// tap's ts-node transpiles the sources with swc (see tsconfig.json: each test file starts sooner than with
// TypeScript's own transpiler), but its swc settings drop import attributes, and Node needs `with { type: 'json' }`.
const swc = require('@swc/core')

module.exports = {
  ...swc,
  transformSync: (code, options) => swc.transformSync(code, {
    ...options,
    jsc: { ...options.jsc, experimental: { ...options.jsc?.experimental, keepImportAttributes: true } },
  }),
}
