// What an operand looks like, before any tool reads it as a package: a variable, a URL, a local path, a file.
// Shared by the families so that `$PKGS`, `./dist/app.whl` and `https://…` are judged the same way everywhere.

const WHOLE_VARIABLE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\}|\(.*\))$/s
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//
const FETCHABLE = /^(?:https?|ftps?):\/\//i

/**
 * A word that is one unexpanded variable or command substitution (`$PKGS`, `${DEPS}`, `$(cat list)`): it may stand for
 * any number of packages, so no family names a package from it.
 */
export function isVariable (word: string): boolean {
  return WHOLE_VARIABLE.test(word)
}

/** Any `scheme://…` URL, VCS schemes (`git+https://`) included. */
export function isUrl (word: string): boolean {
  return URL_SCHEME.test(word)
}

/** A URL curl or wget would fetch: http, https, ftp or ftps. */
export function isFetchableUrl (word: string): boolean {
  return FETCHABLE.test(word)
}

/** A path on the build machine: `.`, `..`, or starting with `/`, `./`, `../`, `~/` or `file:`. */
export function isLocalPath (word: string): boolean {
  return word === '.' || word === '..' || word === '~' ||
    word.startsWith('/') || word.startsWith('./') || word.startsWith('../') || word.startsWith('~/') ||
    word.startsWith('file:')
}

/** The word ends with one of the suffixes (case-insensitive): package files such as `.deb`, `.whl`, `.tgz`. */
export function endsWithAny (word: string, suffixes: readonly string[]): boolean {
  const lower = word.toLowerCase()
  return suffixes.some((suffix) => lower.endsWith(suffix))
}
