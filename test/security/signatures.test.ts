/**
 * Signature verification with a credentials file, through the real SDK's signer: right and
 * wrong secrets, unknown keys, clocks off by more than 5 minutes, presigned requests, session
 * tokens, another service's scope and a body changed after signing, each with DynamoDB's error.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams'
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda'
import type { RunningServer } from '../../src/server.js'
import { alice, clientFor, errorType, operator, signedCall, startSecureServer, temporary } from './helpers.js'

let server: RunningServer
const clients: { destroy(): void }[] = []

before(async () => {
  server = await startSecureServer()
})

after(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

function client(credentials: Parameters<typeof clientFor>[1], overrides: Parameters<typeof clientFor>[2] = {}): DynamoDBClient {
  const made = clientFor(server, credentials, overrides)
  clients.push(made)
  return made
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise
  } catch (error: any) {
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode }
  }
  assert.fail('expected the request to be refused')
}

test('the right secret is served', async () => {
  const reply = await client(alice).send(new ListTablesCommand({}))
  assert.deepEqual(reply.TableNames, [])
})

test('a wrong secret gets InvalidSignatureException with DynamoDB\'s message', async () => {
  const error = await rejection(client({ ...alice, secretAccessKey: 'wrong' }).send(new ListTablesCommand({})))
  assert.equal(error.name, 'InvalidSignatureException')
  assert.equal(error.status, 400)
  assert.equal(error.message, 'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.')
})

test('an unknown access key gets UnrecognizedClientException', async () => {
  const error = await rejection(client({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' }).send(new ListTablesCommand({})))
  assert.equal(error.name, 'UnrecognizedClientException')
  assert.equal(error.message, 'The security token included in the request is invalid.')
})

// DynamoDB allows 5 minutes of clock skew, and says so: "(… - 5 min.)" (aws-sdk-js-v3#7605).
test('a clock 6 minutes slow or fast is refused with DynamoDB\'s 5-minute words; 4 minutes is within the window', async () => {
  const slow = await rejection(client(alice, { systemClockOffset: -6 * 60_000 }).send(new ListTablesCommand({})))
  assert.equal(slow.name, 'InvalidSignatureException')
  assert.match(slow.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/)
  const fast = await rejection(client(alice, { systemClockOffset: 6 * 60_000 }).send(new ListTablesCommand({})))
  assert.equal(fast.name, 'InvalidSignatureException')
  assert.match(fast.message, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/)
  await client(alice, { systemClockOffset: -4 * 60_000 }).send(new ListTablesCommand({}))
  await client(alice, { systemClockOffset: 4 * 60_000 }).send(new ListTablesCommand({}))
})

test('temporary credentials need their session token', async () => {
  await client(temporary).send(new ListTablesCommand({}))
  const missing = await rejection(client({ ...temporary, sessionToken: undefined }).send(new ListTablesCommand({})))
  assert.equal(missing.name, 'UnrecognizedClientException')
  const wrong = await rejection(client({ ...temporary, sessionToken: 'token-2' }).send(new ListTablesCommand({})))
  assert.equal(wrong.name, 'UnrecognizedClientException')
  const unexpected = await rejection(client({ ...alice, sessionToken: 'token-1' }).send(new ListTablesCommand({})))
  assert.equal(unexpected.name, 'UnrecognizedClientException')
})

test('an unsigned request gets MissingAuthenticationTokenException', async () => {
  const reply = await fetch(server.url, {
    method: 'POST', body: '{}', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
  })
  assert.equal(reply.status, 400)
  assert.match((await reply.json() as any).__type, /#MissingAuthenticationTokenException$/)
})

test('a scope for another service or for no known region is refused', async () => {
  const otherService = await signedCall({ endpoint: server.url, credentials: alice, service: 's3', target: 'ListTables' })
  assert.equal(otherService.status, 400)
  assert.equal(errorType(otherService), 'InvalidSignatureException')
  assert.equal(otherService.json.message, "Credential should be scoped to correct service: 'dynamodb'. ")
  const badRegion = await signedCall({ endpoint: server.url, credentials: alice, region: 'us-east1', target: 'ListTables' })
  assert.equal(errorType(badRegion), 'InvalidSignatureException')
  assert.equal(badRegion.json.message, "Credential should be scoped to a valid region, not 'us-east1'. ")
})

// DynamoDB's order and words for a malformed scope (recorded by dynalite): the shape first, then
// every wrong part named in one message; the signing time comes before all of it and the key after.
test('a malformed credential scope is refused in DynamoDB\'s words and order', async () => {
  const scoped = (rewrite: (scope: string) => string, extra: Partial<Parameters<typeof signedCall>[0]> = {}) => signedCall({
    endpoint: server.url, credentials: alice, target: 'ListTables', ...extra,
    rewriteAuthorization: (authorization) => authorization.replace(/Credential=([^,]+)/, (_, scope: string) => `Credential=${rewrite(scope)}`),
  })
  const fourParts = await scoped((scope) => scope.split('/').slice(0, 4).join('/'))
  assert.equal(errorType(fourParts), 'IncompleteSignatureException')
  assert.match(fourParts.json.message, /^Credential must have exactly 5 slash-delimited elements, e.g\. keyid\/date\/region\/service\/term, got '[^/]+\/\d{8}\/us-east-1\/dynamodb'$/)
  const terminator = await scoped((scope) => scope.replace(/aws4_request$/, 'aws5_request'))
  assert.equal(errorType(terminator), 'InvalidSignatureException')
  assert.equal(terminator.json.message, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ")
  const everything = await scoped((scope) => scope.replace(/\/\d{8}\/us-east-1\/dynamodb\/aws4_request$/, '/20200101/us-east-1/s3/aws5_request'))
  assert.match(everything.json.message, /^Credential should be scoped to correct service: 'dynamodb'\. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'\. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20200101' != '(\d{8})', from '\1T\d{6}Z'\.$/)
  // A trailing slash is ignored: the scope is whole, and the request goes on to the signature check.
  const trailing = await scoped((scope) => `${scope}/`)
  assert.equal(errorType(trailing), 'InvalidSignatureException')
  assert.match(trailing.json.message, /^The request signature we calculated does not match/)
  // The signing time is checked before the key: an unknown key signed too long ago is "expired".
  const oldAndUnknown = await signedCall({
    endpoint: server.url, credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' }, target: 'ListTables', signingDate: new Date(Date.now() - 16 * 60_000),
  })
  assert.match(oldAndUnknown.json.message, /^Signature expired/)
  const both = await signedCall({ endpoint: server.url, credentials: alice, target: 'ListTables', unsignedQuery: { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' } })
  assert.equal(errorType(both), 'InvalidSignatureException')
  assert.equal(both.json.message, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
})

// Alternator's tests, run against DynamoDB, send parameters separated by spaces alone, signed
// long ago or far ahead: DynamoDB answers with the date's problem. The verifier read such a header
// differently from the shape check and failed with a server error.
test('an Authorization header with spaces between its parameters gets the date\'s answer, not a server error', async () => {
  const spaced = (signingDate: Date) => signedCall({
    endpoint: server.url, credentials: alice, target: 'ListTables', signingDate,
    rewriteAuthorization: (authorization) => authorization.replaceAll(', ', ' '),
  })
  const expired = await spaced(new Date(Date.now() - 16 * 60_000))
  assert.equal(expired.status, 400)
  assert.equal(errorType(expired), 'InvalidSignatureException')
  assert.match(expired.json.message, /^Signature expired/)
  const future = await spaced(new Date(Date.now() + 16 * 60_000))
  assert.equal(future.status, 400)
  assert.equal(errorType(future), 'InvalidSignatureException')
  assert.match(future.json.message, /^Signature not yet current/)
})

test('the body is covered by the signature', async () => {
  const reply = await signedCall({ endpoint: server.url, credentials: alice, target: 'ListTables', body: '{}', sentBody: '{"Limit":1}' })
  assert.equal(reply.status, 400)
  assert.equal(errorType(reply), 'InvalidSignatureException')
})

test('presigned requests are verified like signed ones', async () => {
  const good = await signedCall({ endpoint: server.url, credentials: alice, target: 'ListTables', presign: true })
  assert.equal(good.status, 200, good.text)
  assert.deepEqual(good.json, { TableNames: [] })
  const wrong = await signedCall({ endpoint: server.url, credentials: { ...alice, secretAccessKey: 'wrong' }, target: 'ListTables', presign: true })
  assert.equal(errorType(wrong), 'InvalidSignatureException')
  const old = await signedCall({
    endpoint: server.url, credentials: alice, target: 'ListTables', presign: true, signingDate: new Date(Date.now() - 10 * 60_000),
  })
  assert.equal(errorType(old), 'InvalidSignatureException')
  assert.match(old.json.message, /^Signature expired/)
})

test('DynamoDB Streams and the Lambda event-source-mapping routes verify signatures too', async () => {
  const streams = (secretAccessKey: string) => {
    const made = new DynamoDBStreamsClient({ endpoint: server.url, region: 'us-east-1', credentials: { ...alice, secretAccessKey }, maxAttempts: 1 })
    clients.push(made)
    return made
  }
  assert.deepEqual((await streams(alice.secretAccessKey).send(new ListStreamsCommand({}))).Streams, [])
  assert.equal((await rejection(streams('wrong').send(new ListStreamsCommand({})))).name, 'InvalidSignatureException')
  const lambda = (secretAccessKey: string) => {
    const made = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: { ...alice, secretAccessKey }, maxAttempts: 1 })
    clients.push(made)
    return made
  }
  assert.deepEqual((await lambda(alice.secretAccessKey).send(new ListEventSourceMappingsCommand({}))).EventSourceMappings, [])
  assert.equal((await rejection(lambda('wrong').send(new ListEventSourceMappingsCommand({})))).name, 'InvalidSignatureException')
})

test('EddyDB\'s admin routes need the operator\'s signature when credentials are configured', async () => {
  const unsigned = await fetch(new URL('/_eddydb/status', server.url))
  assert.equal(unsigned.status, 400)
  assert.match(((await unsigned.json()) as any).__type, /MissingAuthenticationTokenException/)
  const signed = await signedCall({ endpoint: server.url, credentials: operator, method: 'GET', path: '/_eddydb/status' })
  assert.equal(signed.status, 200, signed.text)
  // The routes span every account: another account's key is refused.
  const otherAccount = await signedCall({ endpoint: server.url, credentials: alice, method: 'GET', path: '/_eddydb/status' })
  assert.equal(errorType(otherAccount), 'AccessDeniedException')
  const wrong = await signedCall({ endpoint: server.url, credentials: { ...alice, secretAccessKey: 'x' }, method: 'DELETE', path: '/_aws/dynamodb/expired' })
  assert.equal(errorType(wrong), 'InvalidSignatureException')
})

test('a verified caller works in its own account: ARNs carry its account id', async () => {
  const reply = await client(alice).send(new CreateTableCommand({
    TableName: 'owned', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }))
  assert.equal(reply.TableDescription?.TableArn, `arn:aws:dynamodb:us-east-1:${alice.accountId}:table/owned`)
})
