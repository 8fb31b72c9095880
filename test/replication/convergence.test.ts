/**
 * Randomized: concurrent puts and deletes in three regions of one global table, with a clock the
 * test moves slowly (so changes tie on time and the region tie-break decides), then every replica
 * must hold exactly what last writer wins says: for each key, the local write with the highest
 * version (change time, then origin region) anywhere, read from each region's own change log.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { DeleteItemCommand, PutItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../../src/server.js'
import { compareVersions } from '../../src/replication/versions.js'
import { uniqueTableName } from '../helpers/server.js'
import { contents, createKeyTable, eventually, regionClient, sameContents } from './helpers.js'

const regionNames = ['us-east-1', 'us-west-2', 'eu-west-1'] as const
const keys = ['a', 'b', 'c', 'd']

interface Write {
  region: number
  key: string
  /** undefined: delete */
  value: number | undefined
  /** Milliseconds the test clock moves before this write (0: a tie is likely). */
  advance: number
}

const writeArbitrary: fc.Arbitrary<Write> = fc.record({
  region: fc.integer({ min: 0, max: 2 }),
  key: fc.constantFrom(...keys),
  value: fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
  advance: fc.constantFrom(0, 0, 1),
})

describe('global tables converge to last writer wins', () => {
  let server: RunningServer
  let clockMs = Date.now()
  let clients: DynamoDBClient[]

  before(async () => {
    server = await startServer({ port: 0, inMemory: true, logLevel: 'silent', clock: { now: () => clockMs } })
    clients = regionNames.map((region) => regionClient(server.url, region))
  })
  after(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  /** What last writer wins says each key holds: from the local writes in every region's change log. */
  async function lastWriterWins(table: string): Promise<Map<string, string>> {
    const winners = new Map<string, { version: { timeMicros: number; region: string }; image?: string }>()
    for (const region of regionNames) {
      const ctx = await server.regions.get(region)
      const tableId = ctx.catalog.get(table)!.tableId
      const changes = await ctx.storage.read((view) => view.readChanges(tableId, 0, 100_000))
      for (const change of changes.filter((each) => each.originRegion === region)) {
        const key = (JSON.parse(change.keysJson) as { pk: { S: string } }).pk.S
        const version = { timeMicros: change.timeMicros, region: change.originRegion }
        const current = winners.get(key)
        if (!current || compareVersions(version, current.version) > 0) winners.set(key, { version, image: change.newImageJson })
      }
    }
    const expected = new Map<string, string>()
    for (const [key, winner] of winners) {
      if (winner.image === undefined) continue
      const item = JSON.parse(winner.image) as Record<string, unknown>
      expected.set(key, JSON.stringify(Object.keys(item).sort().map((name) => [name, item[name]])))
    }
    return expected
  }

  it('matches the model after random concurrent writes in every region', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(writeArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), async (rounds) => {
      const table = uniqueTableName('lww')
      await createKeyTable(clients[0]!, table)
      for (const region of regionNames.slice(1)) {
        await clients[0]!.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: region } }] }))
      }
      for (const round of rounds) {
        await Promise.all(round.map((write) => {
          clockMs += write.advance
          const client = clients[write.region]!
          return write.value === undefined
            ? client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: write.key } } }))
            : client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: write.key }, v: { N: String(write.value) }, by: { S: regionNames[write.region] } } }))
        }))
      }
      await eventually(() => sameContents(clients, table), 'replicas converge')
      const expected = await lastWriterWins(table)
      for (const client of clients) assert.deepEqual([...(await contents(client, table))].sort(), [...expected].sort())
    }), { numRuns: 15, endOnFailure: true })
  })
})
