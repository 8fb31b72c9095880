/**
 * Requests whose resource is not a top-level TableName are checked on the table they act on:
 * PartiQL statements (as dynamodb:PartiQLSelect/Insert/Update/Delete on the table or index the
 * statement names, with its leading key), a point-in-time restore named by its source's name, an
 * import by the table it creates. And a file:// bucket, which reads and writes the server's own
 * files, is the operator's alone.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BatchExecuteStatementCommand, CreateTableCommand, ExecuteStatementCommand, ExecuteTransactionCommand,
  ExportTableToPointInTimeCommand, GetItemCommand, ImportTableCommand, PutItemCommand, RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb'
import type { RunningServer } from '../../src/server.js'
import { expectDenied, KeyClients, startSecureServer, policy, allow, deny } from './helpers.js'

const account = '111122223333'
const table = (name: string) => `arn:aws:dynamodb:us-east-1:${account}:table/${name}`

const keys = {
  /** The server's own account without policies: the operator. */
  OPERATOR: { secretAccessKey: 'operator' },
  ADMIN: { secretAccessKey: 'admin', accountId: account },
  /** Everything but the `secret` table, as docs/security.md's example denies a table. */
  DENIED: { secretAccessKey: 'denied', accountId: account, policies: policy(allow('dynamodb:*', '*'), deny('dynamodb:*', [table('secret'), `${table('secret')}/*`])) },
  /** The policy AWS documents for reading with PartiQL. */
  PARTIQL: { secretAccessKey: 'partiql', accountId: account, policies: policy(allow(['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert'], [table('open'), `${table('open')}/index/*`])) },
  TENANT: {
    secretAccessKey: 'tenant', accountId: account,
    policies: policy(allow(['dynamodb:PartiQLSelect', 'dynamodb:PartiQLUpdate'], table('open'), { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['u1'] } })),
  },
  NO_SCANS: {
    secretAccessKey: 'no-scans', accountId: account,
    policies: policy(allow('dynamodb:PartiQLSelect', table('open'), { Bool: { 'dynamodb:FullTableScan': 'false' } })),
  },
}

let server: RunningServer
const keyClients = new KeyClients(keys, () => server)
const client = (accessKeyId: keyof typeof keys) => keyClients.client(accessKeyId)

before(async () => {
  server = await startSecureServer({}, keys)
  for (const name of ['secret', 'open']) {
    await client('ADMIN').send(new CreateTableCommand({
      TableName: name, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
    }))
    for (const pk of ['u1', 'u2']) {
      await client('ADMIN').send(new PutItemCommand({ TableName: name, Item: { pk: { S: pk }, g: { S: 'x' }, v: { S: `${name}-${pk}` } } }))
    }
  }
})

after(async () => {
  keyClients.destroy()
  await server.close()
})

const statement = (Statement: string) => new ExecuteStatementCommand({ Statement })

test('a Deny on a table holds for PartiQL reads and writes, batched or in a transaction', async () => {
  const message = await expectDenied(client('DENIED').send(statement(`SELECT * FROM "secret"`)))
  assert.match(message, /dynamodb:PartiQLSelect on resource: arn:aws:dynamodb:us-east-1:111122223333:table\/secret with an explicit deny/)
  await expectDenied(client('DENIED').send(statement(`SELECT * FROM "secret"."by-g" WHERE g = 'x'`)))
  await expectDenied(client('DENIED').send(statement(`UPDATE "secret" SET v = 'pwned' WHERE pk = 'u1'`)))
  await expectDenied(client('DENIED').send(statement(`INSERT INTO "secret" VALUE {'pk': 'u3'}`)))
  await expectDenied(client('DENIED').send(statement(`DELETE FROM "secret" WHERE pk = 'u2'`)))
  await expectDenied(client('DENIED').send(new BatchExecuteStatementCommand({
    Statements: [{ Statement: `SELECT * FROM "open" WHERE pk = 'u1'` }, { Statement: `SELECT * FROM "secret" WHERE pk = 'u1'` }],
  })))
  await expectDenied(client('DENIED').send(new ExecuteTransactionCommand({
    TransactStatements: [{ Statement: `DELETE FROM "secret" WHERE pk = 'u2'` }],
  })))
  const stored = await client('ADMIN').send(new GetItemCommand({ TableName: 'secret', Key: { pk: { S: 'u1' } } }))
  assert.equal(stored.Item?.v?.S, 'secret-u1')
  const u2 = await client('ADMIN').send(new GetItemCommand({ TableName: 'secret', Key: { pk: { S: 'u2' } } }))
  assert.ok(u2.Item, 'the denied DELETE deleted nothing')
  // The same key reads the other table.
  const open = await client('DENIED').send(statement(`SELECT * FROM "open" WHERE pk = 'u1'`))
  assert.equal(open.Items?.[0]?.v?.S, 'open-u1')
})

test("AWS's PartiQL actions are what a policy grants: PartiQLSelect reads, and nothing it does not name", async () => {
  const read = await client('PARTIQL').send(statement(`SELECT * FROM "open" WHERE pk = 'u2'`))
  assert.equal(read.Items?.[0]?.v?.S, 'open-u2')
  const byIndex = await client('PARTIQL').send(statement(`SELECT * FROM "open"."by-g" WHERE g = 'x'`))
  assert.equal(byIndex.Items?.length, 2)
  await client('PARTIQL').send(statement(`INSERT INTO "open" VALUE {'pk': 'u9'}`))
  const message = await expectDenied(client('PARTIQL').send(statement(`UPDATE "open" SET v = 'no' WHERE pk = 'u1'`)))
  assert.match(message, /dynamodb:PartiQLUpdate on resource: arn:aws:dynamodb:us-east-1:111122223333:table\/open because no identity-based policy allows/)
  await expectDenied(client('PARTIQL').send(statement(`SELECT * FROM "secret" WHERE pk = 'u1'`)))
})

test('dynamodb:LeadingKeys and dynamodb:FullTableScan hold for PartiQL', async () => {
  const own = await client('TENANT').send(statement(`SELECT * FROM "open" WHERE pk = 'u1'`))
  assert.equal(own.Items?.[0]?.v?.S, 'open-u1')
  await expectDenied(client('TENANT').send(statement(`SELECT * FROM "open" WHERE pk = 'u2'`)))
  await expectDenied(client('TENANT').send(statement(`UPDATE "open" SET v = 'x' WHERE pk = 'u2'`)))
  const keyed = await client('NO_SCANS').send(statement(`SELECT * FROM "open" WHERE pk = 'u2'`))
  assert.equal(keyed.Items?.length, 1)
  await expectDenied(client('NO_SCANS').send(statement(`SELECT * FROM "open" WHERE v = 'open-u2'`)))
})

test('a point-in-time restore is checked on its source however it is named, an import on the table it creates', async () => {
  await client('ADMIN').send(new UpdateContinuousBackupsCommand({ TableName: 'secret', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
  const message = await expectDenied(client('DENIED').send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'secret', TargetTableName: 'stolen', UseLatestRestorableTime: true })))
  assert.match(message, /dynamodb:RestoreTableToPointInTime on resource: arn:aws:dynamodb:us-east-1:111122223333:table\/secret with an explicit deny/)
  await expectDenied(client('DENIED').send(new ImportTableCommand({
    S3BucketSource: { S3Bucket: 'some-bucket' }, InputFormat: 'CSV', ClientToken: 'import-into-secret',
    TableCreationParameters: { TableName: 'secret', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
  })))
})

test("a file:// bucket is the operator's alone: another key can neither import the server's files nor export into its directories", async () => {
  const directory = mkdtempSync(join(tmpdir(), 'eddydb-file-bucket-'))
  writeFileSync(join(directory, 'passwd.csv'), 'pk,secret\nroot,hunter2\n')
  const bucket = `file://${directory}`
  const importInto = (accessKeyId: keyof typeof keys, name: string) => client(accessKeyId).send(new ImportTableCommand({
    S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'passwd.csv' }, InputFormat: 'CSV', ClientToken: `import-${name}`,
    TableCreationParameters: { TableName: name, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
  }))
  const message = await expectDenied(importInto('ADMIN', 'stolen-files'))
  assert.match(message, /file:\/\/ bucket: it reads and writes the server's own files, which needs a key of account 000000000000 without policies/)
  await client('ADMIN').send(new UpdateContinuousBackupsCommand({ TableName: 'open', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
  await expectDenied(client('ADMIN').send(new ExportTableToPointInTimeCommand({ TableArn: table('open'), S3Bucket: bucket })))
  assert.deepEqual(readdirSync(directory), ['passwd.csv'], 'nothing was written into the directory')
  // The operator may (its own account's table, created by the import).
  const started = await client('OPERATOR').send(new ImportTableCommand({
    S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'passwd.csv' }, InputFormat: 'CSV', ClientToken: 'import-operator',
    TableCreationParameters: { TableName: 'operator-import', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
  }))
  assert.ok(started.ImportTableDescription?.ImportArn)
})
