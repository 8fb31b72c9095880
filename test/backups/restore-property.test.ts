/**
 * Restores compared with a model. Random puts, updates, deletes, batch writes, transactions and
 * TTL deletes over time on a PITR table, then restores at random instants: each restored table
 * equals the model's state at its instant. And a restore taken while writes go on equals the
 * state at its instant too.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, RestoreTableToPointInTimeCommand,
  TransactWriteItemsCommand, UpdateItemCommand, UpdateTimeToLiveCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb'
import { expireNowPath } from '../../src/ttl/expire-now-route.js'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { enablePitr, scanAll, startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

type Model = Map<string, string>

type Command =
  | { kind: 'put'; key: string; value: string }
  | { kind: 'update'; key: string; value: string }
  | { kind: 'delete'; key: string }
  | { kind: 'batch'; puts: Array<{ key: string; value: string }>; deletes: string[] }
  | { kind: 'transaction'; writes: Array<{ key: string; value?: string }> }
  | { kind: 'expire'; key: string }
  | { kind: 'tick' }

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
const value = fc.string({ minLength: 1, maxLength: 6 })
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, value }),
  fc.record({ kind: fc.constant('update' as const), key, value }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.uniqueArray(fc.record({ key, value: fc.option(value, { nil: undefined }) }), { selector: (write) => write.key, minLength: 1, maxLength: 4 })
    .map((writes): Command => ({
      kind: 'batch',
      puts: writes.filter((write) => write.value !== undefined).map((write) => ({ key: write.key, value: write.value! })),
      deletes: writes.filter((write) => write.value === undefined).map((write) => write.key),
    })),
  fc.uniqueArray(fc.record({ key, value: fc.option(value, { nil: undefined }) }), { selector: (write) => write.key, minLength: 1, maxLength: 4 })
    .map((writes): Command => ({ kind: 'transaction', writes })),
  fc.record({ kind: fc.constant('expire' as const), key }),
  fc.constant({ kind: 'tick' as const }),
)

const itemOf = (k: string, v: string): Record<string, AttributeValue> => ({ pk: { S: k }, v: { S: v } })

/** Runs a command against the table and the model. */
async function apply(table: string, model: Model, step: Command): Promise<void> {
  const client = server.client
  switch (step.kind) {
    case 'put':
      await client.send(new PutItemCommand({ TableName: table, Item: itemOf(step.key, step.value) }))
      model.set(step.key, step.value)
      return
    case 'update':
      await client.send(new UpdateItemCommand({
        TableName: table, Key: { pk: { S: step.key } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: step.value } },
      }))
      model.set(step.key, step.value)
      return
    case 'delete':
      await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: step.key } } }))
      model.delete(step.key)
      return
    case 'batch':
      await client.send(new BatchWriteItemCommand({
        RequestItems: {
          [table]: [
            ...step.puts.map((write) => ({ PutRequest: { Item: itemOf(write.key, write.value) } })),
            ...step.deletes.map((k) => ({ DeleteRequest: { Key: { pk: { S: k } } } })),
          ],
        },
      }))
      for (const write of step.puts) model.set(write.key, write.value)
      for (const k of step.deletes) model.delete(k)
      return
    case 'transaction':
      await client.send(new TransactWriteItemsCommand({
        TransactItems: step.writes.map((write) => write.value === undefined
          ? { Delete: { TableName: table, Key: { pk: { S: write.key } } } }
          : { Put: { TableName: table, Item: itemOf(write.key, write.value) } }),
      }))
      for (const write of step.writes) {
        if (write.value === undefined) model.delete(write.key)
        else model.set(write.key, write.value)
      }
      return
    case 'expire': {
      // An item already past its TTL, then deleted by the TTL sweep (a service delete in the log).
      const expiry = String(Math.floor(server.clock.now() / 1000) - 5)
      await client.send(new PutItemCommand({ TableName: table, Item: { ...itemOf(step.key, 'expiring'), exp: { N: expiry } } }))
      const reply = await fetch(new URL(expireNowPath, server.endpoint), { method: 'DELETE' })
      assert.equal(reply.status, 200)
      model.delete(step.key)
      return
    }
    case 'tick':
      server.clock.advance(7)
  }
}

async function restoredState(source: string, instantMs: number): Promise<Model> {
  const target = uniqueTableName('prop-target')
  await server.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: source, TargetTableName: target, RestoreDateTime: new Date(instantMs) }))
  await waitUntilRestored(server.client, target)
  const items = await scanAll(server.client, target)
  return new Map([...items.values()].map((item) => [item.pk!.S!, item.v!.S!]))
}

/** An instant strictly after every write so far and before every later one. */
function instantBetween(): number {
  server.clock.advance(5)
  const instant = server.clock.now()
  server.clock.advance(5)
  return instant
}

test('restores at random instants equal the model at those instants', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(command, { minLength: 1, maxLength: 25 }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    async (commands, picks) => {
      const table = await createKeyTable(server.client, 'prop')
      await enablePitr(server.client, table)
      await server.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }))
      const model: Model = new Map()
      const snapshots: Array<{ instant: number; state: Model }> = [{ instant: instantBetween(), state: new Map() }]
      for (const step of commands) {
        await apply(table, model, step)
        snapshots.push({ instant: instantBetween(), state: new Map(model) })
      }
      for (const pick of picks) {
        const snapshot = snapshots[pick % snapshots.length]!
        assert.deepEqual(await restoredState(table, snapshot.instant), snapshot.state)
      }
    },
  ), { numRuns: 12 })
})

test('a restore taken while writes go on has the items of its instant', async () => {
  const table = await createKeyTable(server.client, 'prop-concurrent')
  await enablePitr(server.client, table)
  const model: Model = new Map()
  const keys = 2000
  for (let index = 0; index < keys; index += 25) {
    const puts = Array.from({ length: 25 }, (_, offset) => ({ key: `k${index + offset}`, value: 'initial' }))
    await apply(table, model, { kind: 'batch', puts, deletes: [] })
  }
  const instant = instantBetween()
  const expected = new Map(model)
  // Rewrite, delete and add keys: some before the restore starts, the rest while it copies.
  const write = (step: number): Promise<void> => {
    const k = `k${(step * 37) % keys}`
    if (step % 4 === 0) return apply(table, model, { kind: 'delete', key: k })
    return apply(table, model, { kind: 'put', key: step % 4 === 1 ? `new${step}` : k, value: `w${step}` })
  }
  for (let step = 0; step < 20; step++) await write(step)
  const target = uniqueTableName('prop-concurrent-target')
  await server.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: target, RestoreDateTime: new Date(instant) }))
  const writes = (async () => {
    for (let step = 20; step < 300; step++) await write(step)
  })()
  await waitUntilRestored(server.client, target)
  await writes
  const items = await scanAll(server.client, target)
  assert.deepEqual(new Map([...items.values()].map((item) => [item.pk!.S!, item.v!.S!])), expected)
})
