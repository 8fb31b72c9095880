/**
 * An upgrade across a schema change, as a client sees it on a running server (the storage-level
 * cases are in test/storage/postgres.test.ts): a region whose schema a node of the older version
 * still runs on is not migrated, and its requests fail as the server's (HTTP 500, which SDKs
 * retry); once that node has stopped, the next request migrates it and is served, without a
 * restart. No attempt leaves connections behind: the server, closed, holds none.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import pg from 'pg'
import { startServer, type RunningServer } from '../../src/server.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { schemaNameOf, schemaVersionLatest } from '../../src/storage/postgres/schema.js'
import { schemaVersionLockId } from '../../src/storage/postgres/statements.js'
import { testCredentials } from '../helpers/server.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'

const skip = postgresSkipReason()
let cluster: PostgresCluster | undefined
let storageUrl = ''

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  storageUrl = await cluster.createDatabase('rolling')
})
after(async () => {
  await cluster?.stop()
})

async function serverConnections(client: pg.Client): Promise<number> {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = 'rolling' AND application_name LIKE 'eddydb%'`)
  return rows[0].n as number
}

test('a region an older node still runs on is served once that node stops, without a restart', { skip }, async () => {
  const region = 'eu-west-1'
  const schemaName = schemaNameOf(region)
  // The region's schema as the previous version left it...
  const engine = openPostgresEngine({ url: storageUrl, region })
  await engine.read((view) => view.listCatalog())
  await engine.close()
  const admin = new pg.Client({ connectionString: storageUrl })
  await admin.connect()
  const older = schemaVersionLatest - 1
  await admin.query(`UPDATE ${schemaName}.schema_version SET version = ${older}`)
  // ...and a node of that version still running on it (its lock session).
  const olderNode = new pg.Client({ connectionString: storageUrl })
  await olderNode.connect()
  await olderNode.query('SELECT pg_advisory_lock_shared($1)', [schemaVersionLockId(schemaName, older).toString()])

  let server: RunningServer | undefined
  let dynamo: DynamoDBClient | undefined
  try {
    server = await startServer({ port: 0, logLevel: 'silent', storageUrl })
    dynamo = new DynamoDBClient({ endpoint: server.url, region, credentials: testCredentials, maxAttempts: 1 })
    for (let attempt = 0; attempt < 3; attempt++) {
      await assert.rejects(dynamo.send(new ListTablesCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
        error.name === 'InternalServerError' && error.$metadata?.httpStatusCode === 500)
    }
    const before = await admin.query(`SELECT version FROM ${schemaName}.schema_version`)
    assert.equal(Number(before.rows[0].version), older, 'not migrated under the older node')

    await olderNode.end()
    const listed = await dynamo.send(new ListTablesCommand({}))
    assert.deepEqual(listed.TableNames, [])
    const afterwards = await admin.query(`SELECT version FROM ${schemaName}.schema_version`)
    assert.equal(Number(afterwards.rows[0].version), schemaVersionLatest, 'migrated by the next request')
  } finally {
    dynamo?.destroy()
    await server?.close()
  }
  try {
    // The refused attempts let go of what they opened: the closed server holds no connection.
    assert.equal(await serverConnections(admin), 0)
  } finally {
    await admin.end()
  }
})
