/**
 * The rest of IAM's policy language, in keys' policies and tables' resource-based policies:
 * NotAction, NotResource and NotPrincipal; the operators beyond the string ones; the global
 * condition keys (aws:PrincipalAccount, aws:SourceIp, aws:SecureTransport, aws:CurrentTime, ...);
 * policy variables in a 2012-10-17 policy. Each case is one the language allows and AWS accepts,
 * and which EddyDB refused at startup or at PutResourcePolicy before.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateTableCommand, DeleteItemCommand, DeleteTableCommand, GetItemCommand, GetResourcePolicyCommand, ListTablesCommand,
  PutItemCommand, PutResourcePolicyCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import type { RunningServer } from '../../src/server.js'
import { ConfigError } from '../../src/startup-error.js'
import { parseCredentials } from '../../src/security/credentials.js'
import { expectDenied, KeyClients, startSecureServer, policy } from './helpers.js'

const account = '111122223333'
const tableArn = (name: string) => `arn:aws:dynamodb:us-east-1:${account}:table/${name}`

const keys = {
  ADMIN: { secretAccessKey: 'admin', accountId: account },
  // Everything but deleting.
  NODELETE: { secretAccessKey: 'nodelete', accountId: account, policies: policy({ Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: '*' }) },
  // Anything, on the table "notes" only.
  NOTESONLY: {
    secretAccessKey: 'notesonly', accountId: account,
    policies: policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: '*', NotResource: tableArn('notes') }),
  },
  // Only from a loopback address, only after 2020, only without a VPC endpoint: every request here.
  LOOPBACK: {
    secretAccessKey: 'loopback', accountId: account,
    policies: policy({
      Effect: 'Allow', Action: ['dynamodb:ListTables', 'dynamodb:GetItem'], Resource: '*',
      Condition: {
        IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] }, DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
        Null: { 'aws:SourceVpce': true }, NumericGreaterThan: { 'aws:EpochTime': 1577836800 }, StringEquals: { 'aws:RequestedRegion': 'us-east-1' },
      },
    }),
  },
  // The same, from an address no request here comes from.
  ELSEWHERE: {
    secretAccessKey: 'elsewhere', accountId: account,
    policies: policy({ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
  },
  // Refuses everything not sent over TLS: this server serves plain HTTP.
  TLSONLY: {
    secretAccessKey: 'tlsonly', accountId: account,
    policies: policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } }),
  },
  // Its own tables, named after its key: a policy variable in the resource.
  OWNTABLES: {
    secretAccessKey: 'owntables', accountId: account,
    policies: policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:*:*:table/\${aws:username}-*` }),
  },
  // The same policy in the 2008-10-17 language, where ${...} is plain text.
  OLDVERSION: {
    secretAccessKey: 'oldversion', accountId: account,
    policies: [{ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:*:*:table/\${aws:username}-*` }] }],
  },
  READER: { secretAccessKey: 'reader', accountId: account, policies: policy({ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }) },
}

let server: RunningServer
const keyClients = new KeyClients(keys, () => server)
const client = (accessKeyId: keyof typeof keys) => keyClients.client(accessKeyId)

async function createTable(name: string, by: DynamoDBClient = client('ADMIN')): Promise<void> {
  await by.send(new CreateTableCommand({
    TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }))
  await by.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'a' } } }))
}

const get = (table: string) => new GetItemCommand({ TableName: table, Key: { id: { S: 'a' } } })


before(async () => {
  server = await startSecureServer({}, keys)
  for (const name of ['notes', 'secrets']) await createTable(name)
})

after(async () => {
  keyClients.destroy()
  await server.close()
})

test('NotAction allows every action but the ones it names', async () => {
  const key = client('NODELETE')
  assert.equal((await key.send(get('notes'))).Item?.id?.S, 'a')
  await key.send(new PutItemCommand({ TableName: 'notes', Item: { id: { S: 'b' } } }))
  const message = await expectDenied(key.send(new DeleteItemCommand({ TableName: 'notes', Key: { id: { S: 'b' } } })))
  assert.equal(message, `User: arn:aws:iam::${account}:user/NODELETE is not authorized to perform: dynamodb:DeleteItem on resource: ` +
    `${tableArn('notes')} because no identity-based policy allows the dynamodb:DeleteItem action`)
  await expectDenied(key.send(new DeleteTableCommand({ TableName: 'notes' })))
})

test('a Deny with NotResource keeps a key to the one resource it does not name', async () => {
  const key = client('NOTESONLY')
  assert.equal((await key.send(get('notes'))).Item?.id?.S, 'a')
  assert.match(await expectDenied(key.send(get('secrets'))), /with an explicit deny in an identity-based policy$/)
  // ListTables acts on no table ('*'), which is not the table either.
  await expectDenied(key.send(new ListTablesCommand({})))
})

test('global condition keys: the source address, the time, a key no request has, the region, TLS', async () => {
  assert.ok((await client('LOOPBACK').send(new ListTablesCommand({}))).TableNames?.includes('notes'))
  assert.equal((await client('LOOPBACK').send(get('secrets'))).Item?.id?.S, 'a')
  await expectDenied(client('ELSEWHERE').send(new ListTablesCommand({})))
  assert.match(await expectDenied(client('TLSONLY').send(new ListTablesCommand({}))), /with an explicit deny in an identity-based policy$/)
  // The same key in another region: aws:RequestedRegion no longer matches.
  await expectDenied(keyClients.client('LOOPBACK', { region: 'eu-west-1' }).send(new ListTablesCommand({})))
})

test('policy variables in a 2012-10-17 policy stand for the caller; in 2008-10-17 they are text', async () => {
  const own = client('OWNTABLES')
  await createTable('OWNTABLES-drafts', own)
  assert.equal((await own.send(get('OWNTABLES-drafts'))).Item?.id?.S, 'a')
  await expectDenied(own.send(get('notes')))
  await expectDenied(client('OLDVERSION').send(new CreateTableCommand({
    TableName: 'OLDVERSION-drafts', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  })))
})

test('a resource-based policy for every principal of one account (aws:PrincipalAccount), and NotPrincipal', async () => {
  const admin = client('ADMIN')
  const reader = client('READER')
  await expectDenied(reader.send(get('secrets')))
  const adminArn = `arn:aws:iam::${account}:user/ADMIN`
  const document = (exceptions: string[]) => JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'own-account', Effect: 'Allow', Principal: '*', Action: ['dynamodb:GetItem'], Resource: tableArn('secrets'),
        Condition: { StringEquals: { 'aws:PrincipalAccount': [account] } } },
      { Sid: 'only-admin-deletes', Effect: 'Deny', NotPrincipal: { AWS: exceptions }, Action: 'dynamodb:DeleteItem', Resource: tableArn('secrets') },
    ],
  })
  const deleteAs = (key: DynamoDBClient, id: string) => key.send(new DeleteItemCommand({ TableName: 'secrets', Key: { id: { S: id } } }))
  // NotPrincipal naming a user but not its account leaves the account denied, the user with it (IAM User Guide, NotPrincipal).
  await admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn('secrets'), Policy: document([adminArn]) }))
  await admin.send(new PutItemCommand({ TableName: 'secrets', Item: { id: { S: 'gone' } } }))
  assert.match(await expectDenied(deleteAs(admin, 'gone')), /with an explicit deny in a resource-based policy$/)
  await admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn('secrets'), Policy: document([`arn:aws:iam::${account}:root`, adminArn]) }))
  // DynamoDB keeps a condition's list of one value as the value (DDB-TABLE-353 of an API-quirks lab).
  const stored = JSON.parse((await admin.send(new GetResourcePolicyCommand({ ResourceArn: tableArn('secrets') }))).Policy!)
  assert.deepEqual(stored.Statement[0].Condition, { StringEquals: { 'aws:PrincipalAccount': account } })
  assert.deepEqual(stored.Statement[1].NotPrincipal, { AWS: [`arn:aws:iam::${account}:root`, adminArn] })
  assert.equal((await reader.send(get('secrets'))).Item?.id?.S, 'a')
  assert.match(await expectDenied(deleteAs(client('NODELETE'), 'a')), /with an explicit deny in a resource-based policy$/)
  await deleteAs(admin, 'gone')
  // NotPrincipal goes with Deny only, as in IAM.
  await assert.rejects(admin.send(new PutResourcePolicyCommand({
    ResourceArn: tableArn('secrets'),
    Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: adminArn }, Action: 'dynamodb:GetItem', Resource: tableArn('secrets'), Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] }),
  })), (error: Error) => error.name === 'ValidationException' && /"NotPrincipal" must be used with "Effect": "Deny"/.test(error.message))
})

test('a key\'s policies are checked at startup: IAM\'s grammar, not more', () => {
  const withPolicy = (statement: object) => ({ keys: { K: { secretAccessKey: 's', policies: policy(statement) } } })
  const refused = (statement: object, message: RegExp) => assert.throws(() => parseCredentials(withPolicy(statement), 'file', account),
    (error: Error) => error instanceof ConfigError && message.test(error.message))
  refused({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { 'aws:SourceIp': 'x' } } }, /StringEqualz is not a condition operator of IAM/)
  refused({ Effect: 'Allow', Action: '*', NotAction: 'x', Resource: '*' }, /exactly one of "Action" and "NotAction"/)
  refused({ Effect: 'Allow', Resource: '*' }, /exactly one of "Action" and "NotAction"/)
  refused({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }, /"Principal" belongs in resource-based policies/)
  refused({ Effect: 'Maybe', Action: '*', Resource: '*' }, /"Effect" must be Allow or Deny/)
  refused({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': [] } } }, /must be a string or a list of strings/)
})
