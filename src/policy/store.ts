import { existsSync, watch, type FSWatcher } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { BaseLogger } from 'pino'
import { failed, ok, type Problem, type Result } from '../problem.js'
import { fsReason, loadPolicyDir } from './load.js'
import type { PolicySet } from './types.js'

/** The policy set being served and when it was loaded. Its `set.digest` is the revision. */
export interface PolicyRevision {
  readonly set: PolicySet
  /** When this digest was first loaded; a reload that finds the same files keeps it. */
  readonly loadedAt: Date
}

/** Why the newest reload was refused, and when. */
export interface ReloadFailure {
  readonly at: Date
  /** Each with its file (relative to the policy directory, `.` for the directory itself), line and reason. */
  readonly problems: readonly Problem[]
}

/** What a route reads, in one piece, so the revision and the failure it shows belong together. */
export interface PolicyStatus {
  readonly revision: PolicyRevision
  /** Set while the newest reload failed (the store is stale); absent once a reload succeeds. */
  readonly failure?: ReloadFailure
}

/** What one reload did. `digest` is what is served afterwards, which a failed reload leaves as it was. */
export type ReloadOutcome =
  | { readonly ok: true, readonly digest: string, readonly changed: boolean }
  | { readonly ok: false, readonly digest: string, readonly problems: readonly Problem[] }

/** The part of a pino logger the store uses; Fastify's `app.log` is one. */
export type StoreLogger = Pick<BaseLogger, 'info' | 'warn' | 'error'>

/** Where the policies are, and how the store reports. */
export interface PolicyStoreOptions {
  /** POLICY_DIR. */
  readonly dir: string
  readonly logger: StoreLogger
  /** Quiet time after the last change before reloading, in ms: editors write a file in several steps. Default 200. */
  readonly debounceMs?: number
  /** How often to look for the directory while it is missing, in ms. Default 1000. */
  readonly pollMs?: number
}

/**
 * Holds the current good policy set and swaps it for a newer one only when that one loads cleanly.
 * A failed reload keeps serving the old set and marks the store stale, with the problems, until a
 * later reload succeeds. Reloads run one at a time; `watch()` triggers them when the directory changes.
 */
export class PolicyStore {
  /** Loads the directory once; the store exists only if that first load succeeds. */
  static async open (options: PolicyStoreOptions): Promise<Result<PolicyStore>> {
    const loaded = await readPolicies(options.dir)
    return loaded.ok ? ok(new PolicyStore(options, loaded.value)) : loaded
  }

  /** POLICY_DIR, as given. */
  readonly dir: string
  private readonly logger: StoreLogger
  private readonly debounceMs: number
  private readonly pollMs: number
  // Replaced whole, never mutated: a request that read it keeps a consistent view.
  private state: PolicyStatus
  private readonly listeners = new Set<(outcome: ReloadOutcome) => void>()
  // Reloads are chained so two never race to install their sets; `queued` is the one not yet started.
  private tail: Promise<unknown> = Promise.resolve()
  private queued: Promise<ReloadOutcome> | undefined
  private watchers: FSWatcher[] = []
  private watching = false
  private timer: NodeJS.Timeout | undefined
  private poll: NodeJS.Timeout | undefined
  private closed = false

  private constructor (options: PolicyStoreOptions, set: PolicySet) {
    this.dir = options.dir
    this.logger = options.logger
    this.debounceMs = options.debounceMs ?? 200
    this.pollMs = options.pollMs ?? 1000
    this.state = { revision: { set, loadedAt: new Date() } }
  }

  /** The current revision and, when stale, the failure. */
  get status (): PolicyStatus { return this.state }

  /** The set requests are judged against. */
  get policySet (): PolicySet { return this.state.revision.set }

  /** True while the newest reload failed and an older set is being served. */
  get stale (): boolean { return this.state.failure !== undefined }

  /** Serves a set compiled elsewhere (embedders, tests), as a successful reload would. */
  serve (set: PolicySet): void {
    this.state = { revision: { set, loadedAt: new Date() } }
  }

  /**
   * Loads the directory afresh and serves the result if it loads cleanly. Never rejects: problems
   * come back in the outcome, are kept in `status.failure` and are logged.
   */
  reload (): Promise<ReloadOutcome> {
    // A reload that has not started yet will read the directory after this call, so it answers this caller too.
    if (this.queued !== undefined) return this.queued
    const next = this.tail.then(() => {
      this.queued = undefined
      return this.load()
    })
    this.queued = next
    this.tail = next.catch(() => undefined)
    return next
  }

  /** Reloads once the directory has been quiet for `debounceMs`; each call restarts the wait. The watcher calls this. */
  scheduleReload (): void {
    if (this.closed) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      // reload() resolves even when the files are bad; a rejection here would be a bug, logged rather than fatal.
      this.reload().catch((error: unknown) => { this.logger.error({ err: error }, 'policy reload crashed') })
    }, this.debounceMs)
  }

  /**
   * Reloads after changes in the directory. Any entry counts, not only `*.yaml`: a Kubernetes ConfigMap
   * volume changes its files by swapping a `..data` symlink. A failure to watch is logged and returned;
   * the store then keeps serving what it has, looks for the directory every `pollMs` until it can watch
   * it again, and then reloads.
   */
  watch (): Result<void> {
    if (this.closed) return ok(undefined)
    const first = !this.watching
    this.watching = true
    const started = this.startWatcher()
    if (started.ok && first) this.logger.info({ dir: this.dir }, 'watching the policy directory for changes')
    return started
  }

  // Every reload renews the watch: a watcher on a directory that was deleted and created again (a deploy
  // that replaces the whole folder) hears nothing more, and Linux may give the new one the same inode.
  // The deletion itself is an event, so the reload it causes finds the directory gone and lands here.
  private startWatcher (): Result<void> {
    let watchers: FSWatcher[]
    try {
      // Like a listening socket, a watcher keeps the process alive until close().
      watchers = [watch(this.dir, () => { this.scheduleReload() })]
    } catch (error) {
      this.closeWatchers()
      const problem = { code: 'policy.watch-failed', message: `cannot watch the policy directory: ${fsReason(error)}`, file: '.' }
      if (this.poll === undefined) this.logger.warn({ problem, dir: this.dir }, `${problem.message}; looking for it every ${this.pollMs} ms`)
      this.awaitDirectory()
      return failed([problem])
    }
    this.stopPolling()
    // The parent hears the directory itself replaced while its path stays valid (a `policies -> release-7` link
    // swapped, a folder renamed into place), which a watcher on the old directory never does.
    const name = basename(resolve(this.dir))
    try {
      watchers.push(watch(dirname(resolve(this.dir)), (_event, changed) => { if (changed === name) this.scheduleReload() }))
    } catch {
      // An unreadable parent: such a swap then waits for SIGHUP.
    }
    for (const watcher of watchers) {
      watcher.on('error', (error) => {
        this.logger.error({ err: error, dir: this.dir }, 'stopped watching the policy directory')
        watcher.close()
        this.scheduleReload()
      })
    }
    // The old watchers close only now, so no change falls between.
    this.closeWatchers()
    this.watchers = watchers
    return ok(undefined)
  }

  private closeWatchers (): void {
    for (const watcher of this.watchers) watcher.close()
    this.watchers = []
  }

  // Nothing can watch a directory that is not there (yet): look for it until it is back, then watch it and reload.
  private awaitDirectory (): void {
    if (this.closed || this.poll !== undefined) return
    this.poll = setInterval(() => {
      if (existsSync(this.dir) && this.startWatcher().ok) this.scheduleReload()
    }, this.pollMs)
    // The HTTP server keeps the process alive; a store left open must not.
    this.poll.unref()
  }

  private stopPolling (): void {
    if (this.poll !== undefined) clearInterval(this.poll)
    this.poll = undefined
  }

  /** Calls `listener` after every reload, successful or not. Returns the function that unsubscribes it. */
  onReload (listener: (outcome: ReloadOutcome) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Stops watching and waits for a reload in progress; no reload is scheduled afterwards. */
  async close (): Promise<void> {
    this.closed = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.stopPolling()
    this.closeWatchers()
    await this.tail
  }

  private async load (): Promise<ReloadOutcome> {
    const loaded = await readPolicies(this.dir)
    const before = this.state
    const digest = before.revision.set.digest
    let outcome: ReloadOutcome
    if (loaded.ok) {
      const changed = loaded.value.digest !== digest
      this.state = { revision: changed ? { set: loaded.value, loadedAt: new Date() } : before.revision }
      outcome = { ok: true, digest: loaded.value.digest, changed }
      if (changed) {
        this.logger.info({ digest: loaded.value.digest, previous: digest, policies: loaded.value.policies.map((p) => p.name) }, 'policies reloaded')
      } else if (before.failure !== undefined) {
        this.logger.info({ digest }, 'policies load cleanly again; the served set is unchanged')
      }
    } else {
      this.state = { revision: before.revision, failure: { at: new Date(), problems: loaded.problems } }
      outcome = { ok: false, digest, problems: loaded.problems }
      this.logger.error({ problems: loaded.problems, digest, dir: this.dir }, `policy reload refused, still serving ${digest}:\n${describeProblems(loaded.problems)}`)
    }
    if (this.watching && !this.closed) this.startWatcher()
    for (const listener of this.listeners) {
      try {
        listener(outcome)
      } catch (error) {
        this.logger.error({ err: error }, 'a policy reload listener failed')
      }
    }
    return outcome
  }
}

/** "  file:line: message", one line per problem, for logs and errors. */
export function describeProblems (problems: readonly Problem[]): string {
  return problems.map((p) => `  ${p.file ?? ''}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`).join('\n')
}

// loadPolicyDir answers problems rather than rejecting; should it reject anyway, that is one more problem, not a crash.
async function readPolicies (dir: string): Promise<Result<PolicySet>> {
  try {
    return await loadPolicyDir(dir)
  } catch (error) {
    return failed([{ code: 'policy.dir-unreadable', message: `cannot read the policy files: ${fsReason(error)}`, file: '.' }])
  }
}
