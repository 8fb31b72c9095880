/**
 * Runs test files against EddyDB on PostgreSQL: starts a throwaway cluster (helpers/postgres.ts),
 * runs `node --test` on the files given (default: the conformance, streams, TTL and trigger
 * suites) with
 * EDDYDB_TEST_STORAGE_URL pointing at it, so every in-process test server stores its data there,
 * then stops the cluster by its PID. Exits with the test run's status. CI runs it after npm test:
 *   node dist/test/run-on-postgres.js [dist/test/conformance/x.test.js ...]
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { postgresSkipReason, startPostgres } from './helpers/postgres.js'

const testDirectory = dirname(fileURLToPath(import.meta.url))
/** The suites whose servers read EDDYDB_TEST_STORAGE_URL (helpers/server.ts testStorageUrl). */
const defaultSuites = ['conformance', 'streams', 'ttl', 'triggers']

function defaultFiles(): string[] {
  return defaultSuites.flatMap((suite) => readdirSync(join(testDirectory, suite))
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(testDirectory, suite, name)))
}

const skipReason = postgresSkipReason()
if (skipReason) {
  console.error(`run-on-postgres: ${skipReason}`)
  process.exit(1)
}
const files = process.argv.length > 2 ? process.argv.slice(2) : defaultFiles()
const cluster = await startPostgres()
let status: number
try {
  const run = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], {
    stdio: 'inherit',
    env: { ...process.env, EDDYDB_TEST_STORAGE_URL: cluster.url() },
  })
  status = await new Promise<number>((resolve) => run.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))))
} finally {
  await cluster.stop()
}
process.exit(status)
