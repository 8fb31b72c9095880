/**
 * Identity policies on keys: a key allowed to read one table only, a key limited to its own
 * partition with dynamodb:LeadingKeys, attribute and ReturnValues conditions, an explicit deny
 * beating an allow, transactions and batches checked per table. AccessDeniedException with
 * DynamoDB's message shape.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchGetItemCommand, CreateTableCommand, DeleteItemCommand, DescribeBulkOperationCommand, DescribeExportCommand, DescribeImportCommand,
  ExecuteStatementCommand, ExecuteTransactionCommand, GetItemCommand, ListTablesCommand, PutItemCommand, RestoreTableToPointInTimeCommand,
  QueryCommand, ScanCommand, TagResourceCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import type { RunningServer } from '../../src/server.js'
import { ConfigError } from '../../src/startup-error.js'
import { parseCredentials } from '../../src/security/credentials.js'
import { expectDenied, KeyClients, startSecureServer, policy, allow, deny } from './helpers.js'
import { expectError } from '../helpers/errors.js'

const account = '111122223333'
const table = (name: string) => `arn:aws:dynamodb:us-east-1:${account}:table/${name}`

const keys = {
  ADMIN: { secretAccessKey: 'admin', accountId: account },
  READER: { secretAccessKey: 'reader', accountId: account, policies: policy(allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], table('books'))) },
  TENANT: {
    secretAccessKey: 'tenant', accountId: account,
    policies: policy(allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], table('books'),
      { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['tenant-a'] } })),
  },
  JOBS: {
    secretAccessKey: 'jobs', accountId: account,
    policies: policy(allow(['dynamodb:DescribeExport', 'dynamodb:DescribeImport', 'dynamodb:DescribeBulkOperation'], `${table('books')}/*`)),
  },
  // The guide's fine-grained example: these attributes only, and only reads that name them.
  COLUMNS: {
    secretAccessKey: 'columns', accountId: account,
    policies: policy(allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'], table('books'), {
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'n', 'title'] },
      'StringEqualsIfExists': { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    })),
  },
  PARTIQL_TENANT: {
    secretAccessKey: 'partiql-tenant', accountId: account,
    policies: policy(
      allow('dynamodb:PartiQLSelect', table('books'), { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['tenant-a'] } }),
      deny('dynamodb:PartiQLSelect', table('books'), { Bool: { 'dynamodb:FullTableScan': 'true' } })),
  },
  NO_TRANSACTIONS: {
    secretAccessKey: 'no-transactions', accountId: account,
    policies: policy(
      allow(['dynamodb:PartiQLInsert', 'dynamodb:PutItem', 'dynamodb:GetItem'], table('books')),
      deny(['dynamodb:PartiQLInsert', 'dynamodb:PutItem'], table('books'),
        { 'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['ExecuteTransaction', 'TransactWriteItems'] } }),
      deny('dynamodb:GetItem', table('books'), { StringEquals: { 'dynamodb:ReturnConsumedCapacity': 'TOTAL' } })),
  },
  PARTIQL_COLUMNS: {
    secretAccessKey: 'partiql-columns', accountId: account,
    policies: policy(allow(['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'], table('books'), {
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'n', 'title'] },
      'StringEqualsIfExists': { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
    })),
  },
  UNTAGGED_ONLY: {
    secretAccessKey: 'untagged-only', accountId: account,
    policies: policy(allow('dynamodb:*', '*'), deny('dynamodb:*', '*', { StringEquals: { 'aws:ResourceTag/confidential': 'true' } })),
  },
  RESTORER: {
    secretAccessKey: 'restorer', accountId: account,
    policies: policy(allow(['dynamodb:RestoreTableToPointInTime', 'dynamodb:ListTables'], table('books'))),
  },
  LISTER: { secretAccessKey: 'lister', accountId: account, policies: policy(allow('dynamodb:ListTables', table('*'))) },
  NARROW: {
    secretAccessKey: 'narrow', accountId: account,
    policies: policy(
      allow('dynamodb:*', `${table('*')}`, {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'n', 'title'] },
        'StringEqualsIfExists': { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD'] },
      }),
      deny('dynamodb:DeleteItem', table('books'))),
  },
}

let server: RunningServer
const keyClients = new KeyClients(keys, () => server)
const client = (accessKeyId: keyof typeof keys) => keyClients.client(accessKeyId)

before(async () => {
  server = await startSecureServer({}, keys)
  for (const name of ['books', 'secrets']) {
    await client('ADMIN').send(new CreateTableCommand({
      TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST',
    }))
    for (const id of ['tenant-a', 'tenant-b']) {
      await client('ADMIN').send(new PutItemCommand({ TableName: name, Item: { id: { S: id }, n: { N: '1' }, title: { S: 't' }, price: { N: '9' } } }))
    }
  }
})

after(async () => {
  keyClients.destroy()
  await server.close()
})


const key = (id: string) => ({ id: { S: id }, n: { N: '1' } })

/** An on-demand table keyed by a string `id`, made by the ADMIN key: a table to attach a policy to. */
async function createIdTable(name: string): Promise<void> {
  await client('ADMIN').send(new CreateTableCommand({
    TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }))
}

test('a key allowed to read one table reads it and nothing else', async () => {
  const reader = client('READER')
  assert.equal((await reader.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a') }))).Item?.id?.S, 'tenant-a')
  const message = await expectDenied(reader.send(new GetItemCommand({ TableName: 'secrets', Key: key('tenant-a') })))
  assert.equal(message, `User: arn:aws:iam::${account}:user/READER is not authorized to perform: dynamodb:GetItem on resource: ` +
    `${table('secrets')} because no identity-based policy allows the dynamodb:GetItem action`)
  await expectDenied(reader.send(new PutItemCommand({ TableName: 'books', Item: key('x') })))
  await expectDenied(reader.send(new ScanCommand({ TableName: 'books' })))
  await expectDenied(reader.send(new ListTablesCommand({})))
  await expectDenied(reader.send(new BatchGetItemCommand({ RequestItems: { books: { Keys: [key('tenant-a')] }, secrets: { Keys: [key('tenant-a')] } } })))
  const batch = await reader.send(new BatchGetItemCommand({ RequestItems: { books: { Keys: [key('tenant-a')] } } }))
  assert.equal(batch.Responses?.books?.length, 1)
})

// An export's, an import's and a bulk operation's ARN is the resource of the calls that name it
// (under its table's ARN), so a policy on a table's ARN prefix reaches them.
test('a table\'s exports, imports and bulk operations are resources under its ARN', async () => {
  const jobs = client('JOBS')
  const job = (tableName: string, kind: string) => `${table(tableName)}/${kind}/01700000000000-0123abcd`
  await expectError(jobs.send(new DescribeExportCommand({ ExportArn: job('books', 'export') })), 'ExportNotFoundException')
  await expectError(jobs.send(new DescribeImportCommand({ ImportArn: job('books', 'import') })), 'ImportNotFoundException')
  await expectError(jobs.send(new DescribeBulkOperationCommand({ BulkOperationArn: job('books', 'bulk-operation') })), 'ResourceNotFoundException')
  for (const request of [
    new DescribeExportCommand({ ExportArn: job('secrets', 'export') }),
    new DescribeImportCommand({ ImportArn: job('secrets', 'import') }),
    new DescribeBulkOperationCommand({ BulkOperationArn: job('secrets', 'bulk-operation') }),
  ]) await expectDenied(jobs.send(request as Parameters<typeof jobs.send>[0]))
})

test('dynamodb:LeadingKeys keeps a key to its own partition', async () => {
  const tenant = client('TENANT')
  await tenant.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a') }))
  await tenant.send(new PutItemCommand({ TableName: 'books', Item: { ...key('tenant-a'), n: { N: '2' } } }))
  const own = await tenant.send(new QueryCommand({
    TableName: 'books', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'tenant-a' } },
  }))
  assert.equal(own.Count, 2)
  await expectDenied(tenant.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-b') })))
  await expectDenied(tenant.send(new PutItemCommand({ TableName: 'books', Item: key('tenant-b') })))
  await expectDenied(tenant.send(new QueryCommand({
    TableName: 'books', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'tenant-b' } },
  })))
  await expectDenied(tenant.send(new UpdateItemCommand({
    TableName: 'books', Key: key('tenant-b'), UpdateExpression: 'SET title = :t', ExpressionAttributeValues: { ':t': { S: 'x' } },
  })))
})

test('attribute, Select and ReturnValues conditions; an explicit deny wins over an allow', async () => {
  const narrow = client('NARROW')
  await narrow.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a'), ProjectionExpression: 'id, title' }))
  await expectDenied(narrow.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a'), ProjectionExpression: 'id, price' })))
  await expectDenied(narrow.send(new QueryCommand({
    TableName: 'books', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'tenant-a' } }, Select: 'ALL_ATTRIBUTES',
  })))
  await narrow.send(new UpdateItemCommand({
    TableName: 'books', Key: key('tenant-a'), UpdateExpression: 'SET title = :t', ExpressionAttributeValues: { ':t': { S: 'x' } }, ReturnValues: 'UPDATED_OLD',
  }))
  await expectDenied(narrow.send(new UpdateItemCommand({
    TableName: 'books', Key: key('tenant-a'), UpdateExpression: 'SET title = :t', ExpressionAttributeValues: { ':t': { S: 'x' } }, ReturnValues: 'ALL_NEW',
  })))
  const message = await expectDenied(narrow.send(new DeleteItemCommand({ TableName: 'books', Key: key('tenant-a') })))
  assert.match(message, /with an explicit deny in an identity-based policy$/)
  await narrow.send(new DeleteItemCommand({ TableName: 'secrets', Key: key('tenant-b') }))
})

// "The Select parameter always has a value (ALL_ATTRIBUTES, unless otherwise specified)", and the
// listed attributes are the only ones a request may read, write or evaluate: a read without a
// projection returns whole items, and a filter, a condition or an update's value may not name
// another attribute either (the guide's fine-grained access control).
test('an attribute-restricted key reads only with a projection, and evaluates no other attribute', async () => {
  const columns = client('COLUMNS')
  const byId = { KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'tenant-a' } } }
  await expectDenied(columns.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a') })))
  await expectDenied(columns.send(new QueryCommand({ TableName: 'books', ...byId })))
  await expectDenied(columns.send(new BatchGetItemCommand({ RequestItems: { books: { Keys: [key('tenant-a')] } } })))
  const item = await columns.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a'), ProjectionExpression: 'id, title' }))
  assert.deepEqual(Object.keys(item.Item!).sort(), ['id', 'title'])
  const queried = await columns.send(new QueryCommand({ TableName: 'books', ...byId, ProjectionExpression: 'id, title' }))
  assert.ok(queried.Items!.length > 0 && queried.Items!.every((each) => Object.keys(each).every((name) => name === 'id' || name === 'title')))
  await columns.send(new BatchGetItemCommand({ RequestItems: { books: { Keys: [key('tenant-a')], ProjectionExpression: 'id, title' } } }))
  await expectDenied(columns.send(new QueryCommand({
    TableName: 'books', ...byId, ProjectionExpression: 'id, title', FilterExpression: 'price = :p',
    ExpressionAttributeValues: { ':id': { S: 'tenant-a' }, ':p': { N: '9' } },
  })))
  await expectDenied(columns.send(new UpdateItemCommand({ TableName: 'books', Key: key('tenant-a'), UpdateExpression: 'SET title = price' })))
  await expectDenied(columns.send(new UpdateItemCommand({
    TableName: 'books', Key: key('tenant-a'), UpdateExpression: 'SET title = :t', ConditionExpression: 'price > :p',
    ExpressionAttributeValues: { ':t': { S: 'x' }, ':p': { N: '1' } },
  })))
  const price = await client('ADMIN').send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a') }))
  assert.notEqual(price.Item?.title?.S, '9', 'the denied update copied nothing')
})

// A PartiQL read by IN or OR on the partition key reads each partition it names: each is a
// leading key, and none of it is a full table scan ("SELECT ... full table scan ... if an
// equality or IN condition with a partition key is not provided").
test('PartiQL IN and OR on the partition key are checked against dynamodb:LeadingKeys, and are no full scan', async () => {
  const tenant = client('PARTIQL_TENANT')
  for (const where of [`id IN ['tenant-a']`, `id = 'tenant-a'`]) {
    const { Items } = await tenant.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "books" WHERE ${where}` }))
    assert.ok(Items!.every((each) => each.id?.S === 'tenant-a') && Items!.length > 0, where)
  }
  for (const where of [`id IN ['tenant-b']`, `id IN ['tenant-a', 'tenant-b']`, `id = 'tenant-a' OR id = 'tenant-b'`, `title = 't'`]) {
    await expectDenied(tenant.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "books" WHERE ${where}` })))
  }
})

// The PartiQL actions take dynamodb:Attributes, Select and ReturnValues as the item operations
// do (the Service Authorization Reference lists them for PartiQLSelect/Insert/Update/Delete).
test('PartiQL statements are held to dynamodb:Attributes, Select and ReturnValues', async () => {
  const columns = client('PARTIQL_COLUMNS')
  const run = (Statement: string) => columns.send(new ExecuteStatementCommand({ Statement }))
  const { Items } = await run(`SELECT id, title FROM "books" WHERE id = 'tenant-a'`)
  assert.ok(Items!.length > 0 && Items!.every((each) => Object.keys(each).every((name) => name === 'id' || name === 'title')))
  await run(`INSERT INTO "books" VALUE {'id': 'pq-1', 'n': 1, 'title': 't'}`)
  await run(`UPDATE "books" SET title = 'u' WHERE id = 'pq-1' AND n = 1 RETURNING MODIFIED OLD *`)
  for (const statement of [
    `SELECT * FROM "books" WHERE id = 'tenant-a'`,
    `SELECT price FROM "books" WHERE id = 'tenant-a'`,
    `SELECT id FROM "books" WHERE id = 'tenant-a' AND price = 9`,
    `UPDATE "books" SET title = price WHERE id = 'pq-1' AND n = 1`,
    `UPDATE "books" SET title = 'v' WHERE id = 'pq-1' AND n = 1 RETURNING ALL OLD *`,
    `INSERT INTO "books" VALUE {'id': 'pq-2', 'n': 1, 'price': 1}`,
  ]) await expectDenied(run(statement))
  const written = await client('ADMIN').send(new GetItemCommand({ TableName: 'books', Key: key('pq-1') }))
  assert.equal(written.Item?.title?.S, 'u', 'the denied updates changed nothing')
  assert.equal((await client('ADMIN').send(new GetItemCommand({ TableName: 'books', Key: key('pq-2') }))).Item, undefined)
})

test('aws:ResourceTag/<key> is the tag of the table a request acts on', async () => {
  await client('ADMIN').send(new TagResourceCommand({ ResourceArn: table('secrets'), Tags: [{ Key: 'confidential', Value: 'true' }] }))
  const limited = client('UNTAGGED_ONLY')
  assert.equal((await limited.send(new GetItemCommand({ TableName: 'books', Key: key('tenant-a') }))).Item?.id?.S, 'tenant-a')
  const message = await expectDenied(limited.send(new GetItemCommand({ TableName: 'secrets', Key: key('tenant-a') })))
  assert.match(message, /with an explicit deny in an identity-based policy$/)
  await expectDenied(limited.send(new ScanCommand({ TableName: 'secrets' })))
})

test('dynamodb:EnclosingOperation names the transaction, and dynamodb:ReturnConsumedCapacity the request\'s', async () => {
  const limited = client('NO_TRANSACTIONS')
  await limited.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "books" VALUE {'id': 'enc-1', 'n': 1}` }))
  await limited.send(new PutItemCommand({ TableName: 'books', Item: key('enc-2') }))
  await expectDenied(limited.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `INSERT INTO "books" VALUE {'id': 'enc-3', 'n': 1}` }] })))
  await expectDenied(limited.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'books', Item: key('enc-4') } }] })))
  for (const id of ['enc-3', 'enc-4']) {
    assert.equal((await client('ADMIN').send(new GetItemCommand({ TableName: 'books', Key: key(id) }))).Item, undefined, id)
  }
  await limited.send(new GetItemCommand({ TableName: 'books', Key: key('enc-1') }))
  await expectDenied(limited.send(new GetItemCommand({ TableName: 'books', Key: key('enc-1'), ReturnConsumedCapacity: 'TOTAL' })))
})

// A restore needs read and write permissions on the table it makes, besides its own on the source
// (the guide's backup and restore IAM page); ListTables acts on `table/*`.
test('a restore needs permissions on its target table; ListTables is an action on every table', async () => {
  const message = await expectDenied(client('RESTORER').send(new RestoreTableToPointInTimeCommand({
    SourceTableName: 'books', TargetTableName: 'books-copy', UseLatestRestorableTime: true,
  })))
  assert.match(message, new RegExp(`not authorized to perform: dynamodb:BatchWriteItem on resource: ${table('books-copy')} `))
  assert.equal((await client('ADMIN').send(new ListTablesCommand({}))).TableNames?.includes('books-copy'), false)
  const listing = await expectDenied(client('RESTORER').send(new ListTablesCommand({})))
  assert.match(listing, new RegExp(`dynamodb:ListTables on resource: arn:aws:dynamodb:us-east-1:${account}:table/\\* because`))
  assert.ok((await client('LISTER').send(new ListTablesCommand({}))).TableNames?.includes('books'))
})

test('each transaction item is checked with its own action and table', async () => {
  const tenant = client('TENANT')
  await tenant.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'books', Item: { ...key('tenant-a'), n: { N: '3' } } } }] }))
  await expectDenied(tenant.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: 'books', Item: { ...key('tenant-a'), n: { N: '4' } } } }, { Delete: { TableName: 'books', Key: key('tenant-a') } }],
  })))
  const kept = await client('ADMIN').send(new GetItemCommand({ TableName: 'books', Key: { id: { S: 'tenant-a' }, n: { N: '4' } } }))
  assert.equal(kept.Item, undefined)
})

test('a table\'s resource-based policy can allow what the key\'s policies do not, and deny', async () => {
  const { PutResourcePolicyCommand, GetResourcePolicyCommand, DeleteResourcePolicyCommand } = await import('@aws-sdk/client-dynamodb')
  const admin = client('ADMIN')
  const reader = client('READER')
  await expectDenied(reader.send(new GetItemCommand({ TableName: 'secrets', Key: key('tenant-a') })))
  const document = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:user/READER` }, Action: 'dynamodb:GetItem', Resource: table('secrets') },
      { Effect: 'Deny', Principal: { AWS: account }, Action: 'dynamodb:DeleteItem', Resource: table('secrets') },
    ],
  })
  const put = await admin.send(new PutResourcePolicyCommand({ ResourceArn: table('secrets'), Policy: document }))
  assert.match(put.RevisionId!, /^\d{13}$/)
  // DynamoDB keeps the canonical form: an account id as a principal becomes its root ARN.
  const canonical = document.replace(`{"AWS":"${account}"}`, `{"AWS":"arn:aws:iam::${account}:root"}`)
  assert.notEqual(canonical, document)
  assert.equal((await admin.send(new GetResourcePolicyCommand({ ResourceArn: table('secrets') }))).Policy, canonical)
  // The same policy written differently changes nothing, its revision included.
  const reordered = JSON.stringify({ Statement: JSON.parse(document).Statement.map((statement: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(statement).reverse())), Version: '2012-10-17' }, null, 2)
  assert.equal((await admin.send(new PutResourcePolicyCommand({ ResourceArn: table('secrets'), Policy: reordered }))).RevisionId, put.RevisionId)
  assert.equal((await reader.send(new GetItemCommand({ TableName: 'secrets', Key: key('tenant-a') }))).Item?.id?.S, 'tenant-a')
  const message = await expectDenied(admin.send(new DeleteItemCommand({ TableName: 'secrets', Key: key('tenant-a') })))
  assert.match(message, /with an explicit deny in a resource-based policy$/)
  await assert.rejects(admin.send(new DeleteResourcePolicyCommand({ ResourceArn: table('secrets'), ExpectedRevisionId: 'stale' })),
    (error: Error) => error.name === 'PolicyNotFoundException')
  assert.equal((await admin.send(new DeleteResourcePolicyCommand({ ResourceArn: table('secrets'), ExpectedRevisionId: put.RevisionId }))).RevisionId, put.RevisionId)
  await expectDenied(reader.send(new GetItemCommand({ TableName: 'secrets', Key: key('tenant-a') })))
  await assert.rejects(admin.send(new GetResourcePolicyCommand({ ResourceArn: table('secrets') })), (error: Error) => error.name === 'PolicyNotFoundException')
  await assert.rejects(admin.send(new PutResourcePolicyCommand({ ResourceArn: table('secrets'), Policy: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' })),
    (error: Error) => error.name === 'ValidationException')
  const invalid = 'One or more parameter values were invalid: '
  const refused = async (policy: unknown, message: string) => assert.rejects(
    admin.send(new PutResourcePolicyCommand({ ResourceArn: table('secrets'), Policy: typeof policy === 'string' ? policy : JSON.stringify(policy) })),
    (error: Error) => error.name === 'ValidationException' && error.message === message)
  const statement = (sid: string) => ({ Sid: sid, Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:Query', Resource: table('secrets') })
  await refused('{"Statement":', `${invalid}Invalid policy document: This policy contains invalid Json`)
  await assert.rejects(admin.send(new GetResourcePolicyCommand({ ResourceArn: 'secrets' })),
    (error: Error) => error.name === 'ValidationException' && error.message === `${invalid}ARNs must start with 'arn:': secrets`)
  const elsewhere = table('secrets').replace(':us-east-1:', ':eu-west-1:')
  await assert.rejects(admin.send(new GetResourcePolicyCommand({ ResourceArn: elsewhere })),
    (error: Error) => error.name === 'ValidationException' && error.message === `${invalid}Invalid resource Arn: ${elsewhere}`)
  await refused({ Statement: [statement('a'), statement('a')] }, `${invalid}Invalid policy document: The Statement Ids in the policy are not unique`)
  await refused({ Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:Query' }] }, `${invalid}Invalid policy document: Missing required field Resource`)
  // Degenerate documents and revisions, in DynamoDB's words (DDB-TABLE-457 of an API-quirks lab, against AWS, 2026-10).
  await refused('', `${invalid}Invalid policy document: This policy contains invalid Json`)
  await refused('null', `${invalid}Invalid policy document: This text appears not to be a policy`)
  await refused('{}', `${invalid}Invalid policy document: Syntax error at position (1,3)`)
  await refused({ Statement: [{}] }, `${invalid}Invalid policy document: Missing required field Effect`)
  await refused({ Statement: [{ ...statement('who'), Principal: { AWS: ['notaprincipal'] } }] }, `${invalid}Invalid principal in policy document.`)
  // An account named twice, by id and by root, is kept once (DDB-TABLE-352); a stream label the table does not have is not found (DDB-TABLE-212).
  await admin.send(new PutResourcePolicyCommand({
    ResourceArn: table('secrets'), Policy: JSON.stringify({ Statement: [{ ...statement('twice'), Principal: { AWS: [account, `arn:aws:iam::${account}:root`] } }] }),
  }))
  const twice = JSON.parse((await admin.send(new GetResourcePolicyCommand({ ResourceArn: table('secrets') }))).Policy!)
  assert.deepEqual(twice.Statement[0].Principal, { AWS: `arn:aws:iam::${account}:root` })
  await assert.rejects(admin.send(new GetResourcePolicyCommand({ ResourceArn: `${table('secrets')}/stream/2000-01-01T00:00:00.000` })),
    (error: Error) => error.name === 'ResourceNotFoundException' &&
      error.message === 'Requested resource not found: Stream: 2000-01-01T00:00:00.000 not found for Table: secrets')
  await assert.rejects(admin.send(new PutResourcePolicyCommand({ ResourceArn: table('secrets'), Policy: document, ExpectedRevisionId: '' })),
    (error: Error) => error.name === 'ValidationException' &&
      error.message === "1 validation error detected: Value '' at 'expectedRevisionId' failed to satisfy constraint: Member must have length greater than or equal to 1")
  await refused({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:Query', Resource: table('secrets') }] },
    'Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure least-privilege form of access')
  await refused({ Statement: [{ ...statement('big'), Action: Array.from({ length: 2000 }, (_, n) => `dynamodb:Action${n}`) }] },
    `${invalid}Maximum policy size of 20480 bytes exceeded`)
})

test('the Lambda mapping routes need the lambda: actions in a key\'s policies', async () => {
  const { LambdaClient, ListEventSourceMappingsCommand } = await import('@aws-sdk/client-lambda')
  const lambda = (accessKeyId: keyof typeof keys) => new LambdaClient({
    endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId, secretAccessKey: keys[accessKeyId].secretAccessKey },
  })
  const [admin, reader] = [lambda('ADMIN'), lambda('READER')]
  try {
    assert.deepEqual((await admin.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings, [])
    await assert.rejects(reader.send(new ListEventSourceMappingsCommand({})), (error: Error) => error.name === 'AccessDeniedException')
  } finally {
    admin.destroy()
    reader.destroy()
  }
})

test('conditional policy changes: NO_POLICY attaches only where none is, and a stale revision names the table', async () => {
  const { PutResourcePolicyCommand, DeleteResourcePolicyCommand } = await import('@aws-sdk/client-dynamodb')
  const admin = client('ADMIN')
  await createIdTable('conditional')
  const document = (action: string) => JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: action, Resource: table('conditional') }],
  })
  const put = (action: string, ExpectedRevisionId?: string) =>
    admin.send(new PutResourcePolicyCommand({ ResourceArn: table('conditional'), Policy: document(action), ExpectedRevisionId }))
  const notFound = (message: string) => (error: Error) => {
    assert.equal(error.name, 'PolicyNotFoundException')
    assert.equal(error.message, `Resource-based policy not found for the provided ResourceArn: ${message}`)
    return true
  }
  const first = (await put('dynamodb:GetItem', 'NO_POLICY')).RevisionId!
  await assert.rejects(put('dynamodb:Query', 'NO_POLICY'), notFound(
    `Requested policy update expecting none to be present for table conditional, but a policy exists with revision id ${first}.`))
  const second = (await put('dynamodb:Query', first)).RevisionId!
  assert.ok(Number(second) > Number(first), 'a new revision follows the one it replaces, even within a millisecond')
  await assert.rejects(put('dynamodb:Scan', first), notFound(
    `Requested update for policy with revision id ${first}, but the policy associated to target table conditional has revision id ${second}.`))
  await assert.rejects(admin.send(new DeleteResourcePolicyCommand({ ResourceArn: table('conditional'), ExpectedRevisionId: 'unknown' })), notFound(
    `Requested update for policy with revision id unknown, but the policy associated to target table conditional has revision id ${second}.`))
  assert.equal((await admin.send(new DeleteResourcePolicyCommand({ ResourceArn: table('conditional'), ExpectedRevisionId: second }))).RevisionId, second)
})

// DDB-TABLE-354 of an API-quirks lab (against AWS): a policy sent without Version reads back as
// 2008-10-17, yet DynamoDB takes it and the same policy with an explicit 2008-10-17 as different.
test('a policy without Version and the same with Version 2008-10-17 are different revisions', async () => {
  const { PutResourcePolicyCommand, GetResourcePolicyCommand } = await import('@aws-sdk/client-dynamodb')
  const admin = client('ADMIN')
  await createIdTable('versions')
  const Statement = [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: table('versions') }]
  const put = async (policy: object) => (await admin.send(new PutResourcePolicyCommand({ ResourceArn: table('versions'), Policy: JSON.stringify(policy) }))).RevisionId!
  const omitted = await put({ Statement })
  assert.equal(JSON.parse((await admin.send(new GetResourcePolicyCommand({ ResourceArn: table('versions') }))).Policy!).Version, '2008-10-17')
  assert.equal(await put({ Statement }), omitted)
  const explicit = await put({ Version: '2008-10-17', Statement })
  assert.notEqual(explicit, omitted)
  assert.equal(await put({ Version: '2008-10-17', Statement }), explicit)
})

test('a policy that would keep its author from changing it again is refused unless the author confirms it', async () => {
  const { PutResourcePolicyCommand, DeleteResourcePolicyCommand } = await import('@aws-sdk/client-dynamodb')
  const admin = client('ADMIN')
  await createIdTable('lockout')
  const lockout = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: { AWS: account }, Action: ['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'], Resource: table('lockout') }],
  })
  await assert.rejects(admin.send(new PutResourcePolicyCommand({ ResourceArn: table('lockout'), Policy: lockout })), (error: Error) => {
    assert.equal(error.name, 'AccessDeniedException')
    assert.equal(error.message, 'The new resource policy will not allow you to update the resource policy in the future.')
    return true
  })
  // Nothing was attached: the key may still attach one, and with ConfirmRemoveSelfResourceAccess the lockout itself.
  await admin.send(new PutResourcePolicyCommand({ ResourceArn: table('lockout'), Policy: lockout, ConfirmRemoveSelfResourceAccess: true }))
  await assert.rejects(admin.send(new DeleteResourcePolicyCommand({ ResourceArn: table('lockout') })), (error: Error) => error.name === 'AccessDeniedException')
})
