// Facts about the build-context files sent beside the Dockerfile.

/** One line of a requirements file, as pip reads it. */
export interface Requirement {
  /** Line in the file where the requirement starts (1-based). */
  readonly line: number
  /** The requirement as written, continuations joined and the comment removed. */
  readonly text: string
  /**
   * package: `name[extras] specifier ; marker`; include: `-r file`; constraint: `-c file`;
   * url: a direct URL or path to an archive or wheel; vcs: `git+https://…`; editable: `-e …`;
   * option: any other pip option line (`--index-url`, `--no-binary`…).
   */
  readonly kind: 'package' | 'include' | 'constraint' | 'url' | 'vcs' | 'editable' | 'option'
  /** Package name as written ("" when the line names none). */
  readonly name: string
  /** Extras: `requests[socks]` gives ["socks"]. */
  readonly extras: readonly string[]
  /** Version specifier, whitespace and parentheses dropped: "==3.0.3", ">=1,<2", "~=2.1"; "" when none. */
  readonly specifier: string
  /** The exact version when pinned with `==` or `===` (no wildcard); "" otherwise. */
  readonly version: string
  /** True when `version` is set: the line installs exactly one version. */
  readonly pinned: boolean
  /** Environment marker after `;`, such as `python_version < "3.11"`; "" when none. */
  readonly marker: string
  /** `--hash` values on the line, as written after `=`: "sha256:…". */
  readonly hashes: readonly string[]
  /** The file (include, constraint), URL (url, vcs, editable) or option text the line points at; "" for packages. */
  readonly target: string
}

/** A requirements or constraints file from the context, parsed. */
export interface RequirementsFile {
  /** Its name in the context: "requirements.txt", "requirements/prod.txt". */
  readonly name: string
  /** Its lines that are requirements, includes or options, in file order. */
  readonly requirements: readonly Requirement[]
  /** Files it includes with `-r`/`-c` that were not sent in the context. */
  readonly missingIncludes: readonly string[]
  /** Lines pip would refuse (they are not in `requirements`) and includes that lead back to this file. */
  readonly problems: ReadonlyArray<{ readonly line: number, readonly message: string }>
}

/** The `.dockerignore` that applies. */
export interface DockerignoreFacts {
  /** True when the context holds `.dockerignore` or a `<Dockerfile>.dockerignore`. */
  readonly present: boolean
  /** Which file applies: a `<name>.dockerignore` wins over `.dockerignore`, as in BuildKit; "" when none. */
  readonly file: string
  /** Its patterns, comments and blank lines removed, trimmed, in order (`!` exceptions kept); otherwise as written. */
  readonly patterns: readonly string[]
}

/** What was sent beside the Dockerfile. */
export interface ContextFacts {
  /** True when the request carried at least one context file. */
  readonly provided: boolean
  /** File names sent, sorted. */
  readonly names: readonly string[]
  /** File contents by name. */
  readonly files: Readonly<Record<string, string>>
  /** The `.dockerignore` that applies, if any. */
  readonly dockerignore: DockerignoreFacts
  /**
   * Requirements files, parsed, sorted by name: context files named `*requirements*.txt` or
   * `*constraints*.txt` (any case), `.txt` files in a `*requirements*` folder, and what they include.
   */
  readonly requirements: readonly RequirementsFile[]
  /** Dependency manifests present: package.json, pyproject.toml, Pipfile, setup.py, go.mod, Gemfile, requirements files. */
  readonly manifests: readonly string[]
  /** Lock files present: package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, poetry.lock, uv.lock, Pipfile.lock, go.sum, Gemfile.lock. */
  readonly lockfiles: readonly string[]
}
