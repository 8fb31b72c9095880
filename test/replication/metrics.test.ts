/**
 * Replication lag and backlog per replica pair in GET /_eddydb/metrics (and /metrics): what
 * DynamoDB reports as ReplicationLatency and PendingReplicationCount.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { inProcessOnly, uniqueTableName } from '../helpers/server.js'
import { createKeyTable, eventually, threeRegions, type RegionsUnderTest } from './helpers.js'

interface ReplicationSample {
  labels: { source: string; target: string; table: string }
  values: { PendingReplicationCount: number; ReplicatedChanges: number; ReplicationLatency?: number }
}

let regions: RegionsUnderTest

before(async () => { regions = await threeRegions() })
after(async () => { await regions?.close() })

test('each replica pair reports its backlog, its latency and what it applied', inProcessOnly('reads the server\'s own metrics route'), async () => {
  const table = uniqueTableName('replication-metrics')
  await createKeyTable(regions.east, table)
  await regions.east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
  for (let index = 0; index < 5; index++) {
    await regions.east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `item-${index}` } } }))
  }
  const eastToWest = async (): Promise<ReplicationSample | undefined> => {
    const metrics = await (await fetch(`${regions.server.endpoint}/_eddydb/metrics`)).json() as { replication?: ReplicationSample[] }
    return metrics.replication?.find((sample) => sample.labels.source === 'us-east-1' && sample.labels.target === 'us-west-2' && sample.labels.table === table)
  }
  await eventually(async () => {
    const sample = await eastToWest()
    return sample !== undefined && sample.values.ReplicatedChanges >= 5 && sample.values.PendingReplicationCount === 0
  }, 'the five writes applied in us-west-2 and nothing pending')
  const sample = (await eastToWest())!
  assert.ok(sample.values.ReplicationLatency !== undefined && sample.values.ReplicationLatency >= 0, JSON.stringify(sample))
  const prometheus = await (await fetch(`${regions.server.endpoint}/metrics`)).text()
  assert.match(prometheus, /^eddydb_replication_PendingReplicationCount\{source="us-east-1",target="us-west-2",table="[^"]+"\} 0$/m)
})
