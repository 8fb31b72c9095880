/**
 * A replica creation meeting a DeleteTable of its source that committed after the request began:
 * the creation is refused (the table is gone) and leaves no replica behind in the other region,
 * where an orphan made the name unusable for a new table and for a new replica alike. The race is
 * held in the source region's write queue until both requests reach it (helpers/hold-writes.ts).
 */
import { after, before, test } from 'node:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'
import { holdWrites, sent } from '../helpers/hold-writes.js'
import { createKeyTable, threeRegions, type RegionsUnderTest } from './helpers.js'

let regions: RegionsUnderTest
let dataDir: string
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eddydb-replica-races-'))
  regions = await threeRegions({ inMemory: false, dataDir })
})
after(async () => {
  await regions.close()
  rmSync(dataDir, { recursive: true, force: true })
})

test('a replica creation refused because its source was deleted leaves no replica behind', async () => {
  const { east, west } = regions
  const table = uniqueTableName('replica-race')
  await createKeyTable(east, table)
  const hold = holdWrites(await regions.server.running!.regions.get('us-east-1'))
  const deleting = east.send(new DeleteTableCommand({ TableName: table }))
  await hold.catalogChanges('remove', 1)
  const creating = sent(east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] })))
  await hold.catalogChanges('update', 1)
  await hold.release()
  await deleting
  await expectError(creating, 'ResourceNotFoundException')
  await expectError(west.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
  // The name is free in both regions again.
  await west.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }))
})
