/**
 * Namespaces per account and region: two keys of different accounts each see only their own
 * tables, with their own account id in ARNs; a key of the server's account sees the tables made
 * before credentials were configured. Strangers cannot mint namespaces: unknown regions touch no
 * disk, and past --max-namespaces no new one opens.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateTableCommand, ListTablesCommand, PutItemCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../../src/server.js'
import { alice, bob, clientFor, credentialsFile, signedCall, standardKeys, errorType } from './helpers.js'

const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-accounts-'))
const owner = { accessKeyId: 'AKIDOWNER', secretAccessKey: 'owner-secret' }
let server: RunningServer
const clients: DynamoDBClient[] = []

before(async () => {
  // Data written by an anonymous server first: it belongs to the server's own account.
  const anonymous = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' })
  const early = clientFor(anonymous, { accessKeyId: 'anyone', secretAccessKey: 'anything' })
  await early.send(createTable('shared'))
  early.destroy()
  await anonymous.close()
  server = await startServer({
    port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', maxNamespaces: 4,
    credentials: credentialsFile({ ...standardKeys, [owner.accessKeyId]: { secretAccessKey: owner.secretAccessKey } }),
  })
})

after(async () => {
  for (const client of clients) client.destroy()
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
})

function client(credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1'): DynamoDBClient {
  const made = clientFor(server, credentials, { region })
  clients.push(made)
  return made
}

function createTable(name: string) {
  return new CreateTableCommand({
    TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  })
}

test('each account has its own tables under the same names', async () => {
  const created = await client(alice).send(createTable('orders'))
  assert.equal(created.TableDescription?.TableArn, `arn:aws:dynamodb:us-east-1:${alice.accountId}:table/orders`)
  const bobs = await client(bob).send(createTable('orders'))
  assert.equal(bobs.TableDescription?.TableArn, `arn:aws:dynamodb:us-east-1:${bob.accountId}:table/orders`)
  await client(alice).send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: '1' }, who: { S: 'alice' } } }))
  const seenByBob = await client(bob).send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } }))
  assert.equal(seenByBob.Item, undefined)
  assert.deepEqual((await client(alice).send(new ListTablesCommand({}))).TableNames, ['orders'])
  assert.deepEqual((await client(owner).send(new ListTablesCommand({}))).TableNames, ['shared'])
})

test('unknown regions open nothing; past --max-namespaces no new namespace opens', async () => {
  const filesBefore = readdirSync(dataDir).sort()
  for (let index = 0; index < 20; index++) {
    const reply = await signedCall({ endpoint: server.url, credentials: alice, region: `made-up-${index}`, target: 'ListTables' })
    assert.equal(errorType(reply), 'InvalidSignatureException')
  }
  assert.deepEqual(readdirSync(dataDir).sort(), filesBefore)
  // Open so far: the owner's us-east-1, alice's and bob's. One more fits, then the cap holds.
  await client(alice, 'eu-west-1').send(new ListTablesCommand({}))
  const refused = await signedCall({ endpoint: server.url, credentials: alice, region: 'eu-west-2', target: 'ListTables' })
  assert.equal(errorType(refused), 'LimitExceededException')
  assert.ok(!readdirSync(dataDir).some((file) => file.includes('eu-west-2')))
  // Namespaces already open are still served.
  assert.deepEqual((await client(bob).send(new ListTablesCommand({}))).TableNames, ['orders'])
})
