// Facts about the shell commands inside RUN (and shell-form CMD, ENTRYPOINT, HEALTHCHECK, heredocs).

/** A package named on an install line, with its version pin. */
export interface PackageRef {
  /** Package name as the manager knows it: "flask", "python3", "@types/node", "golang.org/x/tools/cmd/goimports". */
  readonly name: string
  /** The version or version pattern written with it: "3.0.3", "1.2.*", "~1.2"; "" when none. */
  readonly version: string
  /** The argument as written: "flask==3.0.3", "curl=7.88.1-10+deb12u5", "express@4.19.2". */
  readonly spec: string
  /**
   * True when the version is fixed in this manager's syntax: pip `==` (no `*`) or `===`; apt `=`; apk `=`, `~`,
   * `=~`; yum/dnf/zypper `-version` or `=`; npm/yarn/pnpm an exact version (not a tag or range) after `@`; gem
   * `:ver` or `-v ver`; go a full version or commit after `@` (not `@latest`). Ranges are never pins.
   */
  readonly pinned: boolean
}

/** A user or group that useradd, adduser, groupadd or addgroup creates. */
export interface AccountChange {
  /** What is created. */
  readonly kind: 'user' | 'group'
  /** The user's or group's name. In RUN, ARG and ENV values the Dockerfile gives are substituted (`useradd $APP_USER`), as the shell would; other variables stay as written. */
  readonly name: string
  /** The uid or gid given (`-u 10001`, `--uid`, `-g` for groupadd), substituted as `name` is; "" when the tool picks one. */
  readonly id: string
  /** The primary group given for a user (`-g`, `-G` in BusyBox adduser, `--ingroup`); "" when none. */
  readonly group: string
  /** A system account (`-r`, `--system`, BusyBox `-S`). */
  readonly system: boolean
  /** useradd's `-l`/`--no-log-init`. */
  readonly noLogInit: boolean
}

/** One simple command, after shell parsing: quotes removed, wrappers (`sudo`, `env`, `exec`...) peeled off. */
export interface ShellCommand {
  /** The program as written, after wrappers: "pip", "/opt/venv/bin/pip". */
  readonly name: string
  /** The program's base name: "pip" for "/opt/venv/bin/pip". */
  readonly program: string
  /** Arguments after the program, unquoted; words with unexpanded `$VAR` kept as written. */
  readonly args: readonly string[]
  /** `NAME=value` assignments before the program (and those given to an `env` wrapper). */
  readonly env: Readonly<Record<string, string>>
  /** The command as one string of words. */
  readonly text: string
  /** The Dockerfile line the command starts on. */
  readonly line: number
  /** Wrappers peeled off, outermost first: ["sudo"], ["env"], ["sh -c"]. */
  readonly wrappers: readonly string[]
  /**
   * The program its standard output is piped into, wrappers peeled: "tar" for the curl of `curl … | tar -x`, "tee"
   * for the echo of `echo x | sudo tee f`; every command of a piped group (`{ a; b; } | c`) is piped into "c". ""
   * when its output is not piped (the last command of a pipeline, or no pipeline).
   */
  readonly pipedTo: string
  /**
   * Files its standard output is redirected to (`>`, `>>`, `>|`, `&>`, `&>>`, with no fd or fd 1), by the command
   * itself or by an enclosing group, loop, subshell or `sh -c` (`{ echo a; } > f`), as written: ["/etc/yum.conf"],
   * ["/dev/null"]. [] when none, and for a command whose output goes into a pipe or a `$(…)`.
   */
  readonly writesTo: readonly string[]
  /**
   * The tool family, normalised: "pip" for pip3, pip3.12 and python -m pip; "uv" for uv and uvx (`uv pip`
   * is uv's, not pip's); also "apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "rpm", "zypper", "npm", "yarn",
   * "pnpm", "gem", "go", "useradd", "adduser", "groupadd", "addgroup", "curl", "wget", "cd", "chown", "chmod",
   * "rm". "" when not one of these.
   */
  readonly tool: string
  /**
   * The tool's subcommand: "install", "update", "add", "upgrade"; two words where the tool nests them:
   * "pip install", "tool install", "cache clean" (uv), "global add" (yarn); "" when none or not a known tool.
   */
  readonly subcommand: string
  /** Flags present, normalised per tool: short clusters split (`-qy` → `-q`, `-y`), aliases canonical (`--yes`, `--assume-yes` → `-y`). */
  readonly flags: readonly string[]
  /** Values of flags that take one, by normalised flag: {"-r": "requirements.txt", "--progress": "dot:giga"}. The last one wins for a repeated flag. */
  readonly flagValues: Readonly<Record<string, string>>
  /** Arguments that are not flags or flag values, after the subcommand. */
  readonly operands: readonly string[]
  /** Packages an install-like subcommand names; [] otherwise. */
  readonly packages: readonly PackageRef[]
  /**
   * Requirement and constraint files pip or uv reads (`-r`, `-c`, `--requirement`, `--constraint`; the files
   * `uv pip sync` and `uv pip compile` name); [] otherwise.
   */
  readonly requirementFiles: readonly string[]
  /** The user or group an account tool creates; null for other commands. */
  readonly account: AccountChange | null
  /** URLs that curl or wget fetch; [] for other commands. */
  readonly urls: readonly string[]
}
