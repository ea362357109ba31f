// The requirement on a line, as pip's parse_req_from_line and parse_editable read it: a PEP 508 requirement, a
// URL or archive, a VCS link, a local path or an editable project.
import type { Requirement } from '../../facts/context-types.js'
import { markerError } from './markers.js'
import { parsePep508 } from './pep508.js'

/** A requirement's facts, less its line and text (parseRequirements adds those). */
export type Fields = Omit<Requirement, 'line' | 'text'>
export type LineResult = { ok: true, fields: Fields } | { ok: false, message: string }

const VCS_SCHEMES = new Set([
  'git', 'git+http', 'git+https', 'git+ssh', 'git+git', 'git+file',
  'hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http',
  'svn', 'svn+ssh', 'svn+http', 'svn+https', 'svn+svn', 'svn+file',
  'bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp', 'bzr+file',
])
const URL_SCHEMES = new Set(['http', 'https', 'file', 'ftp', ...VCS_SCHEMES])
const ARCHIVE = /\.(?:zip|whl|tar\.bz2|tbz|tar\.xz|txz|tlz|tar\.lz|tar\.lzma|tar\.gz|tgz|tar)$/i
// pip's wheel_file_re: name-version(-build)?-python-abi-platform.whl
const WHEEL = /^([^\s-]+?)-([^\s-]*?)(?:-\d[^-]*?)?-[^\s-]+?-[^\s-]+?-[^\s-]+?\.whl$/i
const EGG = /[#&]egg=([^&]*)/

const schemeOf = (text: string): string => text.includes(':') ? text.slice(0, text.indexOf(':')).toLowerCase() : ''
const isUrl = (text: string): boolean => URL_SCHEMES.has(schemeOf(text))
const looksLikePath = (text: string): boolean => text.includes('/') || text.startsWith('.')
const kindOfUrl = (url: string): 'url' | 'vcs' => VCS_SCHEMES.has(schemeOf(url)) ? 'vcs' : 'url'

// The last path segment of a URL or path, without query or fragment.
function fileNameOf (target: string): string {
  const path = target.replace(/[?#].*$/, '')
  return path.slice(path.lastIndexOf('/') + 1)
}

// `#egg=name` (an old spelling may carry `[extras]`, which is not part of the name).
function eggName (url: string): string {
  const egg = EGG.exec(url)?.[1] ?? ''
  return egg.replace(/\[.*$/, '')
}

// _strip_extras: a path may end in `[extras]`. Its regex `^(.+)(\[[^\]]+\])$` as a scan, since V8
// backtracks quadratically on a run of `[` (80,000 took 3.5 to 27 s): the last `[` that leaves a path before
// it and at least one character, none of them `]`, before the closing `]`.
function stripExtras (text: string): { path: string, extras: string[] } {
  const close = text.length - 1
  const open = text.lastIndexOf('[', close - 2)
  if (text[close] !== ']' || open < 1 || text.lastIndexOf(']', close - 1) > open) return { path: text, extras: [] }
  return { path: text.slice(0, open), extras: text.slice(open + 1, close).split(',').map((e) => e.trim()).filter((e) => e !== '') }
}

export function requirementFields (text: string, hashes: string[]): LineResult {
  const url = isUrl(text)
  // pip cuts the marker off first: at "; " after a URL (which may itself hold ";"), else at the first ";".
  const separator = url ? '; ' : ';'
  const cut = text.indexOf(separator)
  const head = (cut >= 0 ? text.slice(0, cut) : text).trim()
  const marker = cut >= 0 ? text.slice(cut + separator.length).trim() : ''
  if (marker !== '') {
    const error = markerError(marker)
    if (error !== undefined) return { ok: false, message: `invalid environment marker "${marker}": ${error}` }
  }
  const none = { name: '', extras: [] as string[], specifier: '', version: '', pinned: false, marker, hashes, target: '' }

  if (url) return archiveOrLink(head, kindOfUrl(head), none)

  const { path, extras } = stripExtras(head)
  const at = head.indexOf('@')
  const pep508First = at >= 0 && !looksLikePath(head.slice(0, at))
  if (ARCHIVE.test(path) && !pep508First) return archiveOrLink(path, 'url', { ...none, extras })

  const parsed = parsePep508(head)
  if (parsed.ok) {
    const { name, extras, url, clauses } = parsed
    if (url !== '') return { ok: true, fields: { ...none, kind: kindOfUrl(url), name, extras, target: url } }
    const specifier = clauses.join(',')
    const only = clauses.length === 1 ? clauses[0] as string : ''
    const exact = /^===?/.exec(only)
    const version = exact !== null ? only.slice(exact[0].length) : ''
    const pinned = version !== '' && !version.includes('*') && !version.includes('${')
    return { ok: true, fields: { ...none, kind: 'package', name, extras, specifier, version: pinned ? version : '', pinned } }
  }
  // A directory pip would install from. pip checks the disk; from here a single path-looking word passes
  // (`./pkg`, `../libs/core`), while `name @ url junk` stays the PEP 508 error pip reports for it.
  if (looksLikePath(head) && !pep508First && !/\s/.test(head)) return { ok: true, fields: { ...none, kind: 'url', extras, target: path } }
  return { ok: false, message: `invalid requirement "${head}": ${parsed.message}${operatorHint(head)}` }
}

// A URL or archive path. A wheel's file name carries the project name, and pip refuses one that does not.
function archiveOrLink (target: string, kind: 'url' | 'vcs', base: Omit<Fields, 'kind'>): LineResult {
  const file = fileNameOf(target)
  if (kind === 'url' && /\.whl$/i.test(file)) {
    const wheel = WHEEL.exec(file)
    if (wheel === null) return { ok: false, message: `${file} is not a valid wheel file name` }
    return { ok: true, fields: { ...base, kind, name: wheel[1] as string, target } }
  }
  return { ok: true, fields: { ...base, kind, name: eggName(target), target } }
}

// pip's hint for `flask=1.0`.
function operatorHint (text: string): string {
  if (!text.includes('=')) return ''
  if (['~=', '==', '!=', '<=', '>=', '<', '>'].some((op) => text.includes(op))) return ''
  return ' (= is not a valid operator; did you mean ==?)'
}

export function editableFields (editable: string, hashes: string[]): LineResult {
  const none = { name: '', extras: [] as string[], specifier: '', version: '', pinned: false, marker: '', hashes }
  const scheme = schemeOf(editable)
  if (isUrl(editable) && scheme !== 'file') {
    if (!VCS_SCHEMES.has(scheme)) {
      return { ok: false, message: `${editable} is not a valid editable requirement: it should be a path to a local project or a VCS URL (git+https://…)` }
    }
    return { ok: true, fields: { ...none, kind: 'editable', name: eggName(editable), target: editable } }
  }
  // A local project (pip checks that it is a directory) or a file: URL, either may end in [extras].
  const { path, extras } = stripExtras(editable)
  return { ok: true, fields: { ...none, kind: 'editable', name: eggName(path), extras, target: path } }
}
