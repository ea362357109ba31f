// The image facts model: what an image's metadata (and, from an archive, its files) says, as plain JSON
// that policies see as `image`. Published as a JSON Schema (image-facts.schema.json, generated from these
// types) and described in docs/facts.md beside the Dockerfile facts.
import type { DockerfileFacts, Instruction } from './types.js'

/** The kinds of document an image can be sent as. */
export type ImageDocumentKind =
  | 'docker-inspect' | 'buildah-inspect' | 'podman-inspect'
  | 'oci-config' | 'docker-config'
  | 'oci-manifest' | 'docker-manifest' | 'docker-manifest-v1'
  | 'oci-index' | 'docker-manifest-list'
  | 'docker-archive' | 'oci-archive'

/** What the document carried: rules that need a part it lacks are reported as not evaluated. */
export interface ImageHas {
  /** The run configuration (user, env, entrypoint…): inspect output, an image config, an archive. */
  readonly config: boolean
  /** The build history (`created_by` of each step): image configs and archives; not `docker inspect`. */
  readonly history: boolean
  /** The layers with their sizes: manifests, archives, and inspect output's total size. */
  readonly layers: boolean
  /** The file listing: archives only. */
  readonly files: boolean
}

/** The user the image runs as. */
export interface ImageUser {
  /** As configured: "app", "1000:1000", "root"; "" when none is set (root). */
  readonly name: string
  /** "", root, 0, root:<group> or 0:<gid>. */
  readonly isRoot: boolean
  /** The user part is a number ("1000", "1000:1000"), so no passwd lookup is needed. */
  readonly isNumeric: boolean
}

/** An exposed port of the config (`"8080/tcp"`). */
export interface ImagePort {
  /** As configured: "8080/tcp". */
  readonly text: string
  /** The port, or the first of a range; 0 when not a number. */
  readonly port: number
  /** The last port of a range; equal to `port` for a single port. */
  readonly endPort: number
  /** "tcp", "udp" or "sctp". */
  readonly protocol: string
  /** True when the port is a number from 0 to 65535 and the protocol is known. */
  readonly valid: boolean
}

/** The configured ENTRYPOINT or CMD. */
export interface ImageStartCommand {
  /** "shell" when the arguments are the builder's shell form (`/bin/sh -c <script>`, or the image's Shell with its flag). */
  readonly form: 'exec' | 'shell'
  /** The arguments as configured. */
  readonly args: readonly string[]
  /** For shell form, the script after the shell and its flag; "" for exec form. */
  readonly script: string
}

/** The configured HEALTHCHECK. */
export interface ImageHealthcheck {
  /** "none" for a disabled check (`["NONE"]`), else "cmd". */
  readonly test: 'none' | 'cmd'
  /** "exec" for `CMD`, "shell" for `CMD-SHELL`, "none" for NONE. */
  readonly form: 'exec' | 'shell' | 'none'
  /** The command's arguments, or the one shell text; [] for NONE. */
  readonly args: readonly string[]
  /** Durations as Go writes them ("30s") and retries, by the HEALTHCHECK flag names the Dockerfile facts use: {interval, timeout, start-period, start-interval, retries}; a default (0) is left out. */
  readonly options: Readonly<Record<string, string>>
}

/** One platform of a multi-platform index. */
export interface ImagePlatform {
  /** "linux", "windows". */
  readonly os: string
  /** "amd64", "arm64"… */
  readonly architecture: string
  /** "" when none ("v8" for arm64/v8). */
  readonly variant: string
  /** The platform's manifest digest. */
  readonly digest: string
  /** Bytes of the platform's manifest. */
  readonly size: number
}

/** One layer, bottom first. */
export interface ImageLayer {
  /** Position, from 0 at the bottom. */
  readonly index: number
  /** The blob's digest as stored (compressed); "" when unknown. */
  readonly digest: string
  /** The uncompressed content's digest (`rootfs.diff_ids`); "" when unknown. */
  readonly diffId: string
  /** Bytes as stored; -1 when the document does not say. */
  readonly size: number
  /** "" when unknown. */
  readonly mediaType: string
  /** The `created_by` of the history step that made it; "" when unknown. */
  readonly createdBy: string
}

/** One step of the build history. */
export interface ImageHistoryEntry {
  /** Position, from 0 for the oldest step. */
  readonly index: number
  /** RFC 3339 time; "" when absent. */
  readonly created: string
  /** As the builder recorded it: `/bin/sh -c #(nop)  USER app`, `RUN /bin/sh -c pip install … # buildkit`. */
  readonly createdBy: string
  /** The builder's comment ("buildkit.dockerfile.v0"); "" when none. */
  readonly comment: string
  /** True for a step that made no layer (ENV, USER, CMD…). */
  readonly emptyLayer: boolean
  /**
   * The step is the base image's, as far as the history tells: it comes up to the base's own CMD or ENTRYPOINT,
   * the last one with a layer after it (the history marks no boundary; Trivy guesses the same way).
   */
  readonly fromBase: boolean
  /**
   * The step read back as a Dockerfile instruction, with its shell commands parsed, so Dockerfile rules can
   * run on it; null when `created_by` is empty or not readable as an instruction.
   */
  readonly instruction: Instruction | null
}

/** One entry of the final filesystem (all layers applied, whiteouts and opaque directories honoured). */
export interface ImageFile {
  /** Absolute, normalised: "/usr/bin/python3". */
  readonly path: string
  /** What the entry is. */
  readonly type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo'
  /** Permission bits with setuid (0o4000), setgid (0o2000) and sticky (0o1000). */
  readonly mode: number
  /** Owner's user id. */
  readonly uid: number
  /** Owner's group id. */
  readonly gid: number
  /** Bytes; 0 for anything but a regular file. */
  readonly size: number
  /** Target of a symlink or hardlink; "" otherwise. */
  readonly linkTarget: string
  /** Index of the layer that last wrote it. */
  readonly layer: number
  /** The setuid bit is set on a regular file: it runs as its owner. */
  readonly setuid: boolean
  /** The setgid bit is set on a regular file: it runs with its group. */
  readonly setgid: boolean
  /** Writable by anyone (mode & 0o002), not a symlink. */
  readonly worldWritable: boolean
}

/** The image an image was built on, as its annotations or labels name it. */
export interface ImageBase {
  /** `org.opencontainers.image.base.name`: "docker.io/library/python:3.12-slim"; "" when unknown. */
  readonly name: string
  /** `org.opencontainers.image.base.digest`; "" when unknown. */
  readonly digest: string
}

/** What an image's metadata says. Fields a document does not carry are empty ("", [], {}, -1). */
export interface ImageFacts {
  /** The kind of document it was read from. */
  readonly kind: ImageDocumentKind
  /** Which parts the document carried. */
  readonly has: ImageHas
  /** The image id (config digest) when known, else "". */
  readonly id: string
  /** Names it is tagged with (`app:1.2`), from inspect output or a `docker save` manifest. */
  readonly repoTags: readonly string[]
  /** Registry digests it is known by (`app@sha256:…`), from inspect output. */
  readonly repoDigests: readonly string[]
  /** "linux", "windows"; "" when the document does not say. */
  readonly os: string
  /** "amd64", "arm64"…; "" when the document does not say. */
  readonly architecture: string
  /** "v8" for arm64/v8; "" when none. */
  readonly variant: string
  /** The platforms of a multi-platform index; [] otherwise. */
  readonly platforms: readonly ImagePlatform[]
  /** RFC 3339 time; "" when absent. */
  readonly created: string
  /** The user it runs as (config `User`). */
  readonly user: ImageUser
  /** The environment (config `Env`), by name; a later entry wins. */
  readonly env: Readonly<Record<string, string>>
  /** Exposed ports (config `ExposedPorts`). */
  readonly exposedPorts: readonly ImagePort[]
  /** Labels (config `Labels`). */
  readonly labels: Readonly<Record<string, string>>
  /** Annotations of the manifest or index (OCI `org.opencontainers.image.*`). */
  readonly annotations: Readonly<Record<string, string>>
  /** The base image, from the `org.opencontainers.image.base.name` / `.base.digest` annotations or labels; "" when unknown. */
  readonly base: ImageBase
  /** The configured HEALTHCHECK; null when none is configured (the base image's, if any, is in the config already). */
  readonly healthcheck: ImageHealthcheck | null
  /** The configured ENTRYPOINT; null when none. */
  readonly entrypoint: ImageStartCommand | null
  /** The configured CMD; null when none. */
  readonly cmd: ImageStartCommand | null
  /** "" when none is set (the root directory). */
  readonly workdir: string
  /** Paths declared as VOLUME. */
  readonly volumes: readonly string[]
  /** The STOPSIGNAL; "" when none (SIGTERM). */
  readonly stopSignal: string
  /** The SHELL for shell-form steps; [] when not recorded. */
  readonly shell: readonly string[]
  /** Total bytes of the layers as stored (or as inspect reports); -1 when unknown. */
  readonly size: number
  /** The layers, bottom first: from a manifest (digests, sizes), the config's diff ids, or an archive. */
  readonly layers: readonly ImageLayer[]
  /** The build history, oldest first, base image steps included; [] unless `has.history`. */
  readonly history: readonly ImageHistoryEntry[]
  /**
   * The history read back as one Dockerfile (one stage, `FROM scratch` then one instruction per readable
   * step): Dockerfile rules run on it as on a Dockerfile. Instruction lines are its own, not the history's.
   */
  readonly historyDockerfile: DockerfileFacts
  /** The final filesystem, sorted by path; [] unless `has.files`. */
  readonly files: readonly ImageFile[]
  /** Shells present in the files (/bin/sh, /bin/bash, busybox…), by path; [] unless `has.files`. */
  readonly shells: readonly string[]
  /** Package managers present in the files (apt, dpkg, apk, rpm, dnf, yum, microdnf, pip…), by tool name; [] unless `has.files`. */
  readonly packageManagers: readonly string[]
}
