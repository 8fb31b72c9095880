/**
 * The wire protocol, seen through raw HTTP rather than the SDK. DynamoDB speaks JSON 1.0 over HTTP
 * POST: the operation is named by the X-Amz-Target header (DynamoDB_20120810.<Operation>), the body
 * is JSON (application/x-amz-json-1.0; 1.1 also works), the region comes from the SigV4 credential
 * scope, and every reply carries an x-amzn-RequestId and an x-amz-crc32 checksum of its body. Errors
 * are JSON with a namespaced __type. Compression, paths, health, CORS and requests the HTTP layer
 * rejects are in http-surface.test.ts.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
import { randomUUID } from 'node:crypto'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { crc32 } from 'node:zlib'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { sendRaw, errorName, type RawReply } from '../helpers/raw.js'

let server: TestServer
let endpoint: string
before(async () => { server = await startTestServer(); endpoint = server.endpoint })
after(async () => { await server?.close() })

const messageOf = (reply: RawReply) => reply.json?.message ?? reply.json?.Message

// A valid call over raw HTTP: 200, JSON body, request id and CRC32 headers.
// DynamoDB request ids are 52 upper-case letters and digits.
test('a raw ListTables succeeds with request id and CRC32 headers', localDiffers('its request ids are UUIDs'), async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: '{}' })
  assert.equal(reply.status, 200)
  assert.ok(Array.isArray(reply.json?.TableNames))
  assert.equal(reply.headers['content-type'], 'application/x-amz-json-1.0')
  assert.equal(reply.headers['x-amz-crc32'], String(crc32(reply.body)))
  assert.match(String(reply.headers['x-amzn-requestid']), /^[0-9A-Z]{52}$/)
})

// Error replies carry the checksum and request id too.
test('error replies have request id and CRC32 headers', localDiffers('its request ids are UUIDs'), async () => {
  const reply = await sendRaw(endpoint, { target: 'DescribeTable', body: JSON.stringify({ TableName: uniqueTableName('nope') }) })
  assert.equal(reply.status, 400)
  assert.equal(reply.json?.__type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException')
  assert.equal(reply.headers['x-amz-crc32'], String(crc32(reply.body)))
  assert.match(String(reply.headers['x-amzn-requestid']), /^[0-9A-Z]{52}$/)
})

// Length and checksum count the reply's UTF-8 bytes, not its characters, for text outside ASCII
// and for a page whose bytes overflow the buffer the server measures replies in (1 MiB) while
// its characters would fit.
test('Content-Length and x-amz-crc32 cover the UTF-8 bytes of the reply', async () => {
  const table = await createKeyTable(server.client, 'utf8-reply')
  const text = 'é €𝄞 ' + 'ü'.repeat(200)
  for (let item = 0; item < 3; item++) {
    const body = JSON.stringify({ TableName: table, Item: { pk: { S: `k${item}` }, text: { S: text }, pad: { S: 'é'.repeat(190_000) } } })
    assert.equal((await sendRaw(endpoint, { target: 'PutItem', body })).status, 200)
  }
  const small = await sendRaw(endpoint, { target: 'GetItem', body: JSON.stringify({ TableName: table, Key: { pk: { S: 'k0' } }, ProjectionExpression: '#t', ExpressionAttributeNames: { '#t': 'text' } }) })
  const large = await sendRaw(endpoint, { target: 'Scan', body: JSON.stringify({ TableName: table }) })
  for (const reply of [small, large]) {
    assert.equal(reply.status, 200)
    assert.equal(Number(reply.headers['content-length']), reply.body.length)
    assert.equal(reply.headers['x-amz-crc32'], String(crc32(reply.body)))
  }
  assert.equal(small.json?.Item && (small.json.Item as Record<string, { S: string }>).text!.S, text)
  assert.ok(large.body.length > 1024 * 1024, 'the Scan page is larger than the measuring buffer')
})

// An operation DynamoDB does not have: UnknownOperationException, with no message at all.
test('unknown X-Amz-Target is UnknownOperationException', localDiffers('it uses the dynamodb namespace and adds a Message'), async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTable', body: '{}' })
  assert.equal(reply.status, 400)
  assert.deepEqual(reply.json, { __type: 'com.amazon.coral.service#UnknownOperationException' })
})

// A target outside the DynamoDB_20120810 namespace is unknown too.
test('a target without the service prefix is UnknownOperationException', localDiffers('it answers 500 InternalFailure'), async () => {
  const reply = await sendRaw(endpoint, { headers: { 'X-Amz-Target': 'whatever' }, body: '{}' })
  assert.equal(errorName(reply), 'UnknownOperationException')
})

// A body that is not JSON: SerializationException (namespace com.amazon.coral.service).
test('malformed JSON is SerializationException', localDiffers('it answers 500 InternalFailure'), async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: '{"Limit": ' })
  assert.equal(reply.status, 400)
  assert.equal(reply.json?.__type, 'com.amazon.coral.service#SerializationException')
})

// A JSON value of the wrong type for a member is also a SerializationException.
test('a string where a number belongs is SerializationException', localDiffers('it answers 500 InternalFailure'), async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: JSON.stringify({ Limit: 'ten' }) })
  assert.equal(errorName(reply), 'SerializationException')
})

// The resource-policy operations check their members' types first too: a wrong type was stored
// (a map as ConfirmRemoveSelfResourceAccess), printed ("[object Object]") or taken as missing.
test('a wrongly typed member of a resource-policy operation is SerializationException', localDiffers('resource policies are not checked the same'), async () => {
  const tableName = await createKeyTable(server.client, 'policy-types')
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}`
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'dynamodb:GetItem', Resource: arn }] })
  const cases: Array<[string, Record<string, unknown>]> = [
    ['PutResourcePolicy', { ResourceArn: arn, Policy: policy, ConfirmRemoveSelfResourceAccess: { x: 1 } }],
    ['PutResourcePolicy', { ResourceArn: arn, Policy: policy, ExpectedRevisionId: { x: 1 } }],
    ['PutResourcePolicy', { ResourceArn: arn, Policy: 5 }],
    ['GetResourcePolicy', { ResourceArn: 5 }],
    ['DeleteResourcePolicy', { ResourceArn: arn, ExpectedRevisionId: ['1'] }],
  ]
  for (const [target, input] of cases) {
    const reply = await sendRaw(endpoint, { target, body: JSON.stringify(input) })
    assert.equal(errorName(reply), 'SerializationException', `${target} ${JSON.stringify(input)}`)
  }
  const after = await sendRaw(endpoint, { target: 'GetResourcePolicy', body: JSON.stringify({ ResourceArn: arn }) })
  assert.equal(errorName(after), 'PolicyNotFoundException', 'nothing was stored')
})

// No Authorization header: MissingAuthenticationTokenException with a fixed message.
test('missing Authorization is MissingAuthenticationTokenException', localDiffers('its __type is com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken'), async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { Authorization: '' } })
  assert.equal(reply.status, 400)
  assert.equal(reply.json?.__type, 'com.amazon.coral.service#MissingAuthenticationTokenException')
  assert.equal(messageOf(reply), 'Request is missing Authentication Token')
})

// A query string is a presigned signature when it has an X-Amz-Algorithm key, with or without a
// value, and only then (dynalite's recordings of DynamoDB).
test('a presigned query string is told by its X-Amz-Algorithm key', localDiffers('it ignores query strings'), async () => {
  const unsigned = { headers: { Authorization: '' } }
  const withoutAlgorithm = await sendRaw(endpoint, { target: 'ListTables', body: '{}', ...unsigned,
    path: '/?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d' })
  assert.equal(errorName(withoutAlgorithm), 'MissingAuthenticationTokenException')
  const bareKey = await sendRaw(endpoint, { target: 'ListTables', body: '{}', ...unsigned, path: '/?X-Amz-Algorithm' })
  assert.equal(errorName(bareKey), 'IncompleteSignatureException')
  assert.equal(messageOf(bareKey), ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']
    .map((name) => `AWS query-string parameters must include '${name}'. `).join('') + 'Re-examine the query-string parameters.')
  const alongsideHeader = await sendRaw(endpoint, { target: 'ListTables', body: '{}', path: '/?X-Amz-Algorithm' })
  assert.equal(errorName(alongsideHeader), 'InvalidSignatureException')
})

// A content type that is not JSON: DynamoDB does not treat the request as an API call at all and
// answers 404 with an XML-ish UnknownOperationException body.
test('a non-JSON content type is not an API call', localDiffers('it accepts any content type'), async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { 'Content-Type': 'text/plain' } })
  assert.equal(reply.status, 404)
  assert.equal(reply.body.toString('utf8'), '<UnknownOperationException/>\n')
})

// application/x-amz-json-1.1 is accepted like 1.0.
test('application/x-amz-json-1.1 is accepted', async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { 'Content-Type': 'application/x-amz-json-1.1' } })
  assert.equal(reply.status, 200)
  assert.ok(Array.isArray(reply.json?.TableNames))
})

// Regions are separate namespaces: a table created through us-east-1 is not visible to eu-west-1.
test('regions are separate namespaces', async () => {
  const tableName = await createKeyTable(server.client, 'region')
  const europe = server.newClient({ region: 'eu-west-1' })
  const europeTables = await europe.send(new ListTablesCommand({ ExclusiveStartTableName: tableName.slice(0, -1) }))
  assert.ok(!europeTables.TableNames!.includes(tableName))
  const raw = await sendRaw(endpoint, { target: 'DescribeTable', body: JSON.stringify({ TableName: tableName }), region: 'eu-west-1' })
  assert.equal(errorName(raw), 'ResourceNotFoundException')
  const home = await sendRaw(endpoint, { target: 'DescribeTable', body: JSON.stringify({ TableName: tableName }) })
  assert.equal(home.status, 200)
})

test('errors that carry data besides their message, and the token errors, spell it "Message"', async () => {
  const tableName = await createKeyTable(server.client, 'message-case')
  const send = (target: string, input: unknown) => sendRaw(endpoint, { target, body: JSON.stringify(input) })
  await send('PutItem', { TableName: tableName, Item: { pk: { S: 'a' }, body: { S: 'old' } } })
  const put = { TableName: tableName, Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(body)' }
  // Without the item, the usual lower-case member (moto's AWS-verified test of this).
  const bare = await send('PutItem', put)
  assert.deepEqual(Object.keys(bare.json!).sort(), ['__type', 'message'])
  assert.equal(bare.json!.message, 'The conditional request failed')
  const withItem = await send('PutItem', { ...put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })
  assert.equal(errorName(withItem), 'ConditionalCheckFailedException')
  assert.deepEqual(Object.keys(withItem.json!).sort(), ['Item', 'Message', '__type'])
  assert.equal(withItem.json!.Message, 'The conditional request failed')
  assert.deepEqual(withItem.json!.Item, { pk: { S: 'a' }, body: { S: 'old' } })
  const cancelled = await send('TransactWriteItems', { TransactItems: [{ Put: put }] })
  assert.equal(errorName(cancelled), 'TransactionCanceledException')
  assert.deepEqual(Object.keys(cancelled.json!).sort(), ['CancellationReasons', 'Message', '__type'])
  assert.equal(cancelled.json!.Message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]')
  // A token reused for another request: "Message", the member's name in DynamoDB's API model
  // (the AWS SDK for Go v2 of 2022 reads only that spelling).
  const token = randomUUID() // at most 36 characters, a unique token
  await send('TransactWriteItems', { ClientRequestToken: token, TransactItems: [{ Put: { TableName: tableName, Item: { pk: { S: 'b' } } } }] })
  const mismatch = await send('TransactWriteItems', { ClientRequestToken: token, TransactItems: [{ Put: { TableName: tableName, Item: { pk: { S: 'c' } } } }] })
  assert.equal(errorName(mismatch), 'IdempotentParameterMismatchException')
  assert.deepEqual(Object.keys(mismatch.json!).sort(), ['Message', '__type'])
  assert.match(mismatch.json!.Message as string, /same client token/)
})
