/**
 * The operation registries (src/api/operation.ts) carry each operation's shape with its handler,
 * and the dispatcher validates a request with the shape of the entry its X-Amz-Target names.
 * These tests walk the DynamoDB and DynamoDB Streams registries over raw HTTP: every action with
 * a shape must answer a wrongly typed member with SerializationException before its handler runs
 * (a handler given unvalidated input would answer ResourceNotFoundException, a ValidationException
 * or a 500 instead). Action names shared by two services (DescribeStream is both a Streams and a
 * Kinesis action) must each be validated by their own service's rules.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { dynamoDbOperations } from '../../src/api/operations.js'
import type { ServiceOperations } from '../../src/api/dispatch.js'
import type { Shape, StructureShape } from '../../src/shapes/shape.js'
import { dynamoDbStreamsOperations } from '../../src/streams/operations.js'
import { kinesisTargetPrefix } from '../../src/kinesis/operations.js'
import { startTestServer, inProcessOnly, type TestServer } from '../helpers/server.js'
import { authorizationFor, errorName, sendRaw } from '../helpers/raw.js'

let server: TestServer
before(async () => { server = await startTestServer() })
after(async () => { await server?.close() })

const registries: Array<[prefix: string, operations: ServiceOperations]> = [
  ['DynamoDB_20120810', dynamoDbOperations],
  ['DynamoDBStreams_20120810', dynamoDbStreamsOperations],
]

/** A JSON value of the wrong type for a member of this shape: an object for a scalar or a list, a string otherwise. */
function wrongValueFor(shape: Shape): unknown {
  return shape.kind === 'Structure' || shape.kind === 'Map' ? 'not a structure' : {}
}

/** A body whose first member has the wrong JSON type, or undefined when the input has no members. */
function wronglyTypedBody(input: StructureShape): Record<string, unknown> | undefined {
  const first = Object.entries(input.members)[0]
  return first === undefined ? undefined : { [first[0]]: wrongValueFor(first[1]) }
}

test('every action with a shape rejects a wrongly typed member with SerializationException', inProcessOnly('walks the in-process registries'), async () => {
  let checked = 0
  for (const [prefix, operations] of registries) {
    for (const [action, operation] of Object.entries(operations)) {
      if (operation.input === undefined) continue
      const body = wronglyTypedBody(operation.input)
      if (body === undefined) continue
      const reply = await sendRaw(server.endpoint, { headers: { 'X-Amz-Target': `${prefix}.${action}` }, body: JSON.stringify(body) })
      assert.equal(reply.status, 400, `${prefix}.${action} ${JSON.stringify(body)}: ${reply.body.toString()}`)
      assert.equal(errorName(reply), 'SerializationException', `${prefix}.${action} ${JSON.stringify(body)}: ${reply.body.toString()}`)
      checked += 1
    }
  }
  // Nearly all of DynamoDB's 50-odd actions and the 4 Streams actions have members to mistype.
  assert.ok(checked >= 50, `only ${checked} actions checked`)
})

// An action no registry holds, including names that exist in another service or on Object.prototype.
test('an action missing from the target service\'s registry is UnknownOperationException', async () => {
  for (const target of ['DynamoDB_20120810.NoSuchAction', 'DynamoDB_20120810.ListStreams', 'DynamoDB_20120810.constructor',
    'DynamoDBStreams_20120810.PutItem', 'DynamoDB_20120810.PutRecord']) {
    const reply = await sendRaw(server.endpoint, { headers: { 'X-Amz-Target': target }, body: '{}' })
    assert.equal(reply.status, 400, target)
    assert.equal(errorName(reply), 'UnknownOperationException', target)
  }
})

// DescribeStream is a DynamoDB Streams action (StreamArn) and a Kinesis action (StreamName): each
// target is validated by its own registry entry, never by the other service's shape.
test('an action name shared by two services is validated by the targeted service', inProcessOnly('calls Kinesis on the same port'), async () => {
  const streams = await sendRaw(server.endpoint, {
    headers: { 'X-Amz-Target': 'DynamoDBStreams_20120810.DescribeStream' }, body: JSON.stringify({ StreamArn: {} }),
  })
  assert.equal(errorName(streams), 'SerializationException')
  const kinesis = await sendRaw(server.endpoint, {
    headers: {
      'X-Amz-Target': `${kinesisTargetPrefix}.DescribeStream`,
      'Content-Type': 'application/x-amz-json-1.1',
      Authorization: authorizationFor().replace('/dynamodb/', '/kinesis/'),
    },
    body: JSON.stringify({ StreamName: 'no-such-stream' }),
  })
  // A Streams shape would have required StreamArn (ValidationException); Kinesis looks the stream up.
  assert.equal(errorName(kinesis), 'ResourceNotFoundException', kinesis.body.toString())
})
