// The facts model: plain JSON that policies see. Never parser objects.
// Numbers are JS numbers (CEL compares them with int literals as expected).

/** A line range, 1-based and inclusive, as editors and CI annotations count. */
export interface Span {
  /** First line of the instruction. */
  readonly line: number
  /** Last line (continuations included). */
  readonly endLine: number
}

/** An image reference from `FROM`, after global `ARG` defaults were substituted. */
export interface ImageRef {
  /** As written in the Dockerfile, before substitution. */
  readonly raw: string
  /** After substitution: what Docker would pull. */
  readonly text: string
  /** Registry host; "docker.io" when none is written. "" for scratch and stage references. */
  readonly registry: string
  /** Repository path without registry, tag or digest: "python", "distroless/python3". */
  readonly repository: string
  /** Tag; "" when none is written. */
  readonly tag: string
  /** Digest such as "sha256:…"; "" when none is written. */
  readonly digest: string
  /** `FROM scratch`. */
  readonly isScratch: boolean
  /** The name or index of an earlier stage this refers to; "" when it is an external image. */
  readonly stage: string
  /** Variables used in the reference that no `ARG` default resolved. */
  readonly unresolved: readonly string[]
}

/** One `--name=value` flag of an instruction. */
export interface Flag {
  readonly name: string
  /** "" for a flag written without a value. */
  readonly value: string
  /** `key=value` options inside the value (`--mount=type=cache,target=/x`). */
  readonly options: Readonly<Record<string, string>>
}

/** A simple command in a shell-form instruction: `pip install -r x` in `a && pip install -r x`. */
export interface ShellCommand {
  /** The program as written: "pip", "/opt/venv/bin/pip". */
  readonly name: string
  /** The program's base name: "pip" for "/opt/venv/bin/pip". */
  readonly program: string
  /** Arguments after the program, unquoted. */
  readonly args: readonly string[]
  /** `NAME=value` assignments written before the program. */
  readonly env: Readonly<Record<string, string>>
  /** The command as one string of words. */
  readonly text: string
}

/** One instruction of the Dockerfile. */
export interface Instruction extends Span {
  /** Upper-case keyword: "RUN", "COPY". */
  readonly keyword: string
  /** Arguments after the flags, as dockerfile-ast splits them (quotes kept). */
  readonly args: readonly string[]
  /** Everything after the keyword, as written (continuations kept). */
  readonly text: string
  readonly flags: readonly Flag[]
  /** For RUN, CMD, ENTRYPOINT, SHELL: JSON exec form or shell form; "none" for other keywords. */
  readonly form: 'exec' | 'shell' | 'none'
  /** Exec-form arguments; [] in shell form. */
  readonly execArgs: readonly string[]
  /** Simple commands of a shell-form RUN, CMD or ENTRYPOINT; [] otherwise. */
  readonly commands: readonly ShellCommand[]
  /** COPY and ADD: the source paths or URLs (JSON form unquoted); [] for other keywords. */
  readonly sources: readonly string[]
  /** COPY and ADD: the destination; "" for other keywords. */
  readonly destination: string
  /** Index of the stage it belongs to; -1 before the first `FROM`. */
  readonly stage: number
}

/** The user a stage's later instructions run as. */
export interface UserFact {
  /** After substitution: "app", "10001:10001", "root"; "" when no USER was set (the base image decides). */
  readonly name: string
  /** root, 0, root:<group> or 0:<gid>. False when name is "". */
  readonly isRoot: boolean
  /** Line of the USER that set it; 0 when name is "". */
  readonly line: number
}

/** One build stage: a `FROM` and the instructions up to the next. */
export interface Stage extends Span {
  readonly index: number
  /** The `AS` name; "" when unnamed. */
  readonly name: string
  readonly from: ImageRef
  /** The external image at the root of this stage's `FROM` chain (follows `FROM <stage>`). */
  readonly baseImage: ImageRef
  /** The `--platform` flag's value; "" when absent. */
  readonly platform: string
  /** The last stage: the image that `docker build` produces without `--target`. */
  readonly isFinal: boolean
  /** Its instructions, `FROM` first. */
  readonly instructions: readonly Instruction[]
  /** Effective user at the end of the stage, inherited through `FROM <stage>`. */
  readonly user: UserFact
  /** Effective working directory at the end of the stage; "" when never set. */
  readonly workdir: string
  /** Effective environment at the end of the stage (`ENV`, inherited through `FROM <stage>`). */
  readonly env: Readonly<Record<string, string>>
  /** Keywords used in this stage or inherited through `FROM <stage>`: lets rules ask "has a CMD". */
  readonly keywords: readonly string[]
}

/** What was sent beside the Dockerfile. */
export interface ContextFacts {
  /** True when the request carried at least one context file. */
  readonly provided: boolean
  /** File names sent, sorted. */
  readonly names: readonly string[]
  /** File contents by name. */
  readonly files: Readonly<Record<string, string>>
}

/** Everything policies know about one Dockerfile. */
export interface DockerfileFacts {
  /** Parser directives: `syntax`, `escape`, `check`. */
  readonly directives: Readonly<Record<string, string>>
  /** `ARG` defaults declared before the first `FROM`. */
  readonly globalArgs: Readonly<Record<string, string>>
  /** Every instruction in file order. */
  readonly instructions: readonly Instruction[]
  readonly stages: readonly Stage[]
  /** Index of the final stage; -1 when there is no `FROM`. */
  readonly finalStage: number
  readonly context: ContextFacts
}
