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
  /** The user's or group's name. */
  readonly name: string
  /** The uid or gid given (`-u 10001`, `--uid`, `-g` for groupadd); "" when the tool picks one. */
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
   * The tool family, normalised: "pip" for pip3, pip3.12, python -m pip and uv pip; also "apt-get",
   * "apt", "apk", "yum", "dnf", "microdnf", "zypper", "npm", "yarn", "pnpm", "gem", "go", "useradd",
   * "adduser", "groupadd", "addgroup", "curl", "wget", "cd", "chown", "chmod", "rm". "" when not one of these.
   */
  readonly tool: string
  /** The tool's subcommand: "install", "update", "add", "upgrade"; "" when none or not a known tool. */
  readonly subcommand: string
  /** Flags present, normalised per tool: short clusters split (`-qy` → `-q`, `-y`), aliases canonical (`--yes`, `--assume-yes` → `-y`). */
  readonly flags: readonly string[]
  /** Values of flags that take one, by normalised flag: {"-r": "requirements.txt", "--progress": "dot:giga"}. The last one wins for a repeated flag. */
  readonly flagValues: Readonly<Record<string, string>>
  /** Arguments that are not flags or flag values, after the subcommand. */
  readonly operands: readonly string[]
  /** Packages an install-like subcommand names; [] otherwise. */
  readonly packages: readonly PackageRef[]
  /** Requirement and constraint files pip reads (`-r`, `-c`, `--requirement`, `--constraint`); [] otherwise. */
  readonly requirementFiles: readonly string[]
  /** The user or group an account tool creates; null for other commands. */
  readonly account: AccountChange | null
  /** URLs that curl or wget fetch; [] for other commands. */
  readonly urls: readonly string[]
}
