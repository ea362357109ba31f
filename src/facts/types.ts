// The facts model: plain JSON that policies see, never parser objects. Published as a JSON Schema
// (facts.schema.json, generated from these types) and described field by field in docs/facts.md.
// Numbers are JS numbers: CEL compares them with int literals as expected.
import type { ContextFacts } from './context-types.js'
import type { ShellCommand } from './shell-types.js'

export type { AccountChange, PackageRef, ShellCommand } from './shell-types.js'
export type { ContextFacts, DockerignoreFacts, Requirement, RequirementsFile } from './context-types.js'

/** A line range, 1-based and inclusive, as editors and CI annotations count. */
export interface Span {
  /** First line of the instruction. */
  readonly line: number
  /** Last line (continuations and heredoc bodies included). */
  readonly endLine: number
}

/** A part of an image reference. */
export type ImagePart = 'registry' | 'repository' | 'tag' | 'digest'

/**
 * An image reference from `FROM`, after global `ARG` values were substituted and quotes removed, as Docker
 * does. A build argument declared without a default (or a platform argument such as `TARGETOS`) stays
 * written as `${NAME}` in every part, since `--build-arg` decides it; an undeclared variable is "", as in Docker.
 */
export interface ImageRef {
  /** As written in the Dockerfile, before substitution. */
  readonly raw: string
  /** After substitution: what Docker would pull ("" when the reference expands to nothing). */
  readonly text: string
  /** Registry host; "docker.io" when none is written. "" for scratch, stage references, and a reference that is one open variable. */
  readonly registry: string
  /** Repository path without registry, tag or digest: "python", "distroless/python3". */
  readonly repository: string
  /** Tag; "" when none is written. */
  readonly tag: string
  /** Digest such as "sha256:…"; "" when none is written. */
  readonly digest: string
  /** `FROM scratch`. */
  readonly isScratch: boolean
  /** The (lower-case) name of an earlier stage this refers to; "" when it is an external image. */
  readonly stage: string
  /** Variables used in the reference that no `ARG` resolved (declared without a default, or not declared). */
  readonly unresolved: readonly string[]
  /**
   * The parts a build argument without a default decides, so the Dockerfile alone does not: a variable's
   * value may hold `/`, `:` and `@`, so it opens the parts not written after it (`alpine${TAG}`: tag and
   * digest; `${REGISTRY}/ubuntu`: only the registry, and the tag is decided: there is none).
   */
  readonly open: readonly ImagePart[]
}

/** One `--name=value` flag of an instruction. */
export interface Flag {
  /** The flag's name without dashes: "mount", "from", "chown". */
  readonly name: string
  /** "" for a flag written without a value. */
  readonly value: string
  /** `key=value` options inside the value (`--mount=type=cache,target=/x` gives {type: "cache", target: "/x"}); a bare word maps to "". */
  readonly options: Readonly<Record<string, string>>
}

/** A here-document attached to RUN, COPY or ADD (`<<EOF … EOF`). */
export interface Heredoc {
  /** The delimiter word: "EOF". */
  readonly name: string
  /** The body, without the delimiter lines (tabs stripped for `<<-`). */
  readonly body: string
  /** Line of the first body line; for an empty body, the line of the closing delimiter. */
  readonly line: number
  /** Line of the closing delimiter. */
  readonly endLine: number
  /** False when the delimiter was quoted (`<<"EOF"`): the body is then taken literally. */
  readonly expands: boolean
}

/** One instruction of the Dockerfile. */
export interface Instruction extends Span {
  /** Upper-case keyword: "RUN", "COPY". */
  readonly keyword: string
  /** Arguments after the flags, as dockerfile-ast splits them (quotes kept). */
  readonly args: readonly string[]
  /**
   * Arguments after Docker's word processing: quotes removed and variables expanded, for the
   * keywords Docker expands (ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR);
   * the same as `args` for the others (the shell expands RUN, CMD and ENTRYPOINT at build or run time).
   */
  readonly words: readonly string[]
  /** Variables referenced by this instruction that had no value, for the keywords Docker expands. */
  readonly unresolved: readonly string[]
  /** Everything after the keyword, as written (continuations kept, heredoc bodies not included). */
  readonly text: string
  /** Flags written after the keyword: `--mount=…`, `--from=…`, `--chown=…`, `--platform=…`, HEALTHCHECK's `--interval=…`. */
  readonly flags: readonly Flag[]
  /** RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK CMD: JSON exec form or shell form; "none" otherwise. Malformed JSON is shell form, as in Docker. */
  readonly form: 'exec' | 'shell' | 'none'
  /** Exec-form arguments; [] in shell form. */
  readonly execArgs: readonly string[]
  /** Simple commands the instruction runs: shell form, heredoc bodies, and `sh -c` scripts in exec form; [] when it runs none. */
  readonly commands: readonly ShellCommand[]
  /** COPY and ADD: the source paths or URLs after word processing; [] for other keywords. */
  readonly sources: readonly string[]
  /** COPY and ADD: the destination after word processing; "" for other keywords. */
  readonly destination: string
  /** ENV, ARG and LABEL: name → value after expansion (an ARG without default maps to ""); {} otherwise. */
  readonly properties: Readonly<Record<string, string>>
  /** Here-documents of RUN, COPY and ADD. */
  readonly heredocs: readonly Heredoc[]
  /** ONBUILD: the trigger instruction it registers; null otherwise. */
  readonly trigger: Instruction | null
  /** Index of the stage it belongs to; -1 before the first `FROM`. */
  readonly stage: number
  /** Its position in `dockerfile.instructions` (an ONBUILD trigger: its ONBUILD's): `dockerfile.instructions[int(instruction.index) - 1]` is the one before (numbers are doubles in CEL: `int()` makes one an index). */
  readonly index: number
  /** 1 for the first instruction with this keyword in its stage (FROM included; before the first FROM, among those), 2 for the second…; 0 for an ONBUILD trigger. */
  readonly occurrence: number
  /** An ONBUILD trigger (`trigger` of an ONBUILD), judged as the instruction it will be in a later build. */
  readonly isTrigger: boolean
}

/** The user a stage's later instructions run as. */
export interface UserFact {
  /**
   * After substitution: "app", "10001:10001", "root"; "" when no USER was set (the base image decides). A variable
   * the Dockerfile gives no value (a build argument without default, an ENV of the base image) stays written as
   * `${NAME}`: `USER ${UID}` is set, and not root.
   */
  readonly name: string
  /** root, 0, root:<group> or 0:<gid>. False when name is "". */
  readonly isRoot: boolean
  /** Line of the USER that set it; 0 when no USER was set. */
  readonly line: number
}

/** An `EXPOSE`d port. */
export interface Port {
  /** As written after expansion: "8080/tcp", "8000-8010". */
  readonly text: string
  /** The port, or the first of a range; 0 when not a number. */
  readonly port: number
  /** The last port of a range; equal to `port` for a single port. */
  readonly endPort: number
  /** "tcp" (the default), "udp" or "sctp". */
  readonly protocol: string
  /** True when every port is a number from 0 to 65535 and the protocol is known. */
  readonly valid: boolean
  /** Line of the EXPOSE. */
  readonly line: number
}

/** An effective CMD or ENTRYPOINT. */
export interface StartCommand {
  /** JSON exec form or shell form (shell form runs under the stage's SHELL). */
  readonly form: 'exec' | 'shell'
  /** Exec-form arguments, or the one shell-form text. */
  readonly args: readonly string[]
  /** Line of the instruction. */
  readonly line: number
}

/** The effective HEALTHCHECK. */
export interface Healthcheck {
  /** "none" for `HEALTHCHECK NONE`, else "cmd". */
  readonly test: 'none' | 'cmd'
  /** Form of the CMD part; "none" for `HEALTHCHECK NONE`. */
  readonly form: 'exec' | 'shell' | 'none'
  /** Exec-form arguments, or the one shell-form text; [] for NONE. */
  readonly args: readonly string[]
  /** Its options by name without dashes: {interval: "30s", retries: "3"}. */
  readonly options: Readonly<Record<string, string>>
  /** Line of the instruction. */
  readonly line: number
}

/** One build stage: a `FROM` and the instructions up to the next. */
export interface Stage extends Span {
  /** Position among the stages, from 0. */
  readonly index: number
  /** The `AS` name, lower-case; "" when unnamed. */
  readonly name: string
  /** What `FROM` names: an image, `scratch`, or an earlier stage. */
  readonly from: ImageRef
  /** The external image at the root of this stage's `FROM` chain (follows `FROM <stage>`). */
  readonly baseImage: ImageRef
  /** The `--platform` flag's value; "" when absent. */
  readonly platform: string
  /** The last stage: the image that `docker build` produces without `--target`. */
  readonly isFinal: boolean
  /** True for the final stage and every stage it needs, through `FROM <stage>`, `COPY --from` and `RUN --mount=from=`. */
  readonly reachesFinal: boolean
  /**
   * True for the final stage and the stages it is built on through `FROM <stage>`: their layers are layers of the
   * image. False for a stage the image only copies from (`COPY --from`), whose layers stay behind.
   */
  readonly inFinalImage: boolean
  /** Indexes of the stages this one needs directly (`FROM <stage>`, `COPY --from`, `RUN --mount=from=`). */
  readonly dependsOn: readonly number[]
  /** Its instructions, `FROM` first. */
  readonly instructions: readonly Instruction[]
  /** Effective user at the end of the stage, inherited through `FROM <stage>`. */
  readonly user: UserFact
  /** Effective working directory at the end of the stage; "" when never set. Variables without a value stay written as `${NAME}` (`${HOME}/app`). */
  readonly workdir: string
  /** Effective environment at the end of the stage (`ENV`, inherited through `FROM <stage>`). */
  readonly env: Readonly<Record<string, string>>
  /** `ARG` values in scope at the end of the stage (a global ARG redeclared without default takes the global value). */
  readonly args: Readonly<Record<string, string>>
  /** Effective labels (inherited through `FROM <stage>`). */
  readonly labels: Readonly<Record<string, string>>
  /** Ports exposed, inherited through `FROM <stage>`. */
  readonly exposedPorts: readonly Port[]
  /** Volumes declared, inherited through `FROM <stage>`. */
  readonly volumes: readonly string[]
  /** The effective SHELL for shell-form instructions; ["/bin/sh", "-c"] unless changed. */
  readonly shell: readonly string[]
  /** The effective CMD (inherited through `FROM <stage>`; cleared by a later ENTRYPOINT); null when none. */
  readonly cmd: StartCommand | null
  /** The effective ENTRYPOINT (inherited through `FROM <stage>`); null when none. */
  readonly entrypoint: StartCommand | null
  /** The effective HEALTHCHECK (inherited through `FROM <stage>`); null when none. */
  readonly healthcheck: Healthcheck | null
  /** The effective STOPSIGNAL; "" when not set. */
  readonly stopSignal: string
  /** Instructions registered with ONBUILD in this stage (they run in images built FROM this one). */
  readonly onbuild: readonly Instruction[]
  /** Keywords used in this stage or inherited through `FROM <stage>`: lets rules ask "has a CMD". */
  readonly keywords: readonly string[]
}

/** Everything policies know about one Dockerfile. */
export interface DockerfileFacts {
  /** Parser directives at the top of the file, by lower-case name: `syntax`, `escape`, `check`. */
  readonly directives: Readonly<Record<string, string>>
  /** The escape character: "\\" or "`". */
  readonly escape: string
  /** Comment lines (not parser directives), in order: where suppression pragmas such as `# plimsoll ignore=…` live. */
  readonly comments: ReadonlyArray<{ readonly line: number, readonly text: string }>
  /** `ARG` defaults declared before the first `FROM`. */
  readonly globalArgs: Readonly<Record<string, string>>
  /** Every instruction in file order. */
  readonly instructions: readonly Instruction[]
  /** Build stages in file order; the last is the final stage. */
  readonly stages: readonly Stage[]
  /** Index of the final stage; -1 when there is no `FROM`. */
  readonly finalStage: number
  /** The build-context files sent with the Dockerfile. */
  readonly context: ContextFacts
}
