/**
 * Global tables between two servers that verify signatures: each signs what it sends its peer
 * with its operator key (src/security/peer-signing.ts), so replication works with --credentials,
 * while an unsigned or non-operator request to the replication route is refused.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { GetItemCommand, PutItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { RunningServer } from '../../src/server.js'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable, eventually } from '../replication/helpers.js'
import { freePort } from '../replication/proxy.js'
import { alice, clientFor, operator, signedCall, startSecureServer } from './helpers.js'

let east: RunningServer
let west: RunningServer
let eastClient: DynamoDBClient
let westClient: DynamoDBClient

before(async () => {
  const [eastPort, westPort] = [await freePort(), await freePort()]
  east = await startSecureServer({ port: eastPort, defaultRegion: 'us-east-1', peers: [`us-west-2=http://127.0.0.1:${westPort}`] })
  west = await startSecureServer({ port: westPort, defaultRegion: 'us-west-2', peers: [`us-east-1=http://127.0.0.1:${eastPort}`] })
  eastClient = clientFor(east, operator, { region: 'us-east-1' })
  westClient = clientFor(west, operator, { region: 'us-west-2' })
})

after(async () => {
  eastClient?.destroy()
  westClient?.destroy()
  await east?.close()
  await west?.close()
})

test('replication between peers verifying signatures: both ways', async () => {
  const table = uniqueTableName('signed-peers')
  await createKeyTable(eastClient, table)
  await eastClient.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'before' } } }))
  await eastClient.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
  const get = async (client: DynamoDBClient, pk: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item
  await eventually(async () => (await get(westClient, 'before')) !== undefined, 'the existing item copied to the peer')
  await westClient.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'from-west' } } }))
  await eventually(async () => (await get(eastClient, 'from-west')) !== undefined, 'a peer write replicated back')
})

test('the replication route refuses unsigned requests and keys that are not the operator\'s', async () => {
  const unsigned = await fetch(`${west.url}/_eddydb/replication`, { method: 'POST', body: '{}' })
  assert.ok(unsigned.status >= 400 && unsigned.status < 500, `status ${unsigned.status}`)
  assert.match(String((await unsigned.json() as { __type: string }).__type), /MissingAuthenticationToken/)
  const tenant = await signedCall({ endpoint: west.url, credentials: alice, region: 'us-west-2', path: '/_eddydb/replication', body: '{}' })
  assert.equal(tenant.status, 400, tenant.text)
  assert.match(tenant.json.__type, /#AccessDeniedException$/)
})
