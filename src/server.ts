import { pino } from 'pino'
import { buildApp, PolicyLoadError } from './app.js'
import { readConfig, withKeyFile } from './config.js'
import { LOG_REDACT } from './access/authenticate.js'
import { shutDownOnSignals } from './shutdown.js'

// Starts the service: configuration from the environment, then listen; on SIGTERM/SIGINT it answers the requests
// in flight and exits (shutdown.ts), within SHUTDOWN_GRACE.
// Policies reload when POLICY_DIR changes, or on SIGHUP; a bad reload keeps the last good set (see /readyz).
const config = withKeyFile(readConfig(process.env))
if (!config.ok) {
  for (const problem of config.problems) console.error(`plimsoll: ${problem.message}`)
  process.exit(2)
}
const { host, port, policyDir, logLevel, bodyLimit, batchLimit, archiveLimit, requestTimeout, shutdownGrace, verdictCache, workers, decisionLog } = config.value
const { apiKeys, rateLimit, corsOrigins, maxEventLoopDelay, deadlineMs, limits, maxResponse } = config.value
// Keys are never logged: Fastify's request logs leave headers out, and these paths are censored should any log them.
// Written synchronously: pino's asynchronous log flushes at exit, and that flush retries forever once stdout is
// closed (EPIPE), so a shutdown whose log reader had gone never exited, grace period or not.
const logger = pino({ level: logLevel, redact: LOG_REDACT }, pino.destination({ dest: 1, sync: true }))

try {
  const app = await buildApp({ policyDir, bodyLimit, batchLimit, archiveLimit, requestTimeout, verdictCache, workers, deadlineMs, limits, maxResponse, decisionLog, apiKeys, rateLimit, corsOrigins, underPressure: { maxEventLoopDelay }, logger, watch: true })
  // For file systems where change events do not arrive (some network and overlay mounts).
  process.on('SIGHUP', () => { void app.policyStore.reload() })
  shutDownOnSignals(app, logger, shutdownGrace)
  await app.listen({ host, port })
  logger.info({ policies: app.policySet.policies.map((p) => p.name), digest: app.policySet.digest, workers }, `serving policies from ${policyDir}; Swagger UI at /docs`)
} catch (error) {
  if (error instanceof PolicyLoadError) {
    // Problems name files relative to the directory, as the HTTP answers do; the log says where it is.
    logger.fatal({ problems: error.problems, dir: policyDir }, error.message)
  } else {
    logger.fatal({ err: error }, 'could not start')
  }
  process.exit(1)
}
