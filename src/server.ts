import { pino } from 'pino'
import { buildApp, PolicyLoadError } from './app.js'
import { readConfig } from './config.js'

// Starts the service: configuration from the environment, then listen; closes cleanly on SIGTERM/SIGINT.
// Policies reload when POLICY_DIR changes, or on SIGHUP; a bad reload keeps the last good set (see /readyz).
const config = readConfig(process.env)
if (!config.ok) {
  for (const problem of config.problems) console.error(`plimsoll: ${problem.message}`)
  process.exit(2)
}
const { host, port, policyDir, logLevel, bodyLimit, batchLimit, archiveLimit, requestTimeout, verdictCache, workers } = config.value
const logger = pino({ level: logLevel })

try {
  const app = await buildApp({ policyDir, bodyLimit, batchLimit, archiveLimit, requestTimeout, verdictCache, workers, logger, watch: true })
  // For file systems where change events do not arrive (some network and overlay mounts).
  process.on('SIGHUP', () => { void app.policyStore.reload() })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down')
      app.close().then(() => process.exit(0), () => process.exit(1))
    })
  }
  await app.listen({ host, port })
  logger.info({ policies: app.policySet.policies.map((p) => p.name), digest: app.policySet.digest, workers }, `serving policies from ${policyDir}; Swagger UI at /docs`)
} catch (error) {
  if (error instanceof PolicyLoadError) {
    logger.fatal({ problems: error.problems }, error.message)
  } else {
    logger.fatal({ err: error }, 'could not start')
  }
  process.exit(1)
}
