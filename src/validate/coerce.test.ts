/**
 * Step 1: JSON types. Each case pins a SerializationException message recorded from live
 * DynamoDB (dynalite's test suite), by where the wrong type sits.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertSerialization } from './test-helpers.js'
import { validateRequest } from './index.js'
import { getItemShape } from '../shapes/get-item.js'
import { listTablesShape } from '../shapes/list-tables.js'
import { scanShape } from '../shapes/scan.js'

const parameterizedCast =
  'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
  '(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base ' +
  "of loader 'bootstrap')"

test('a String member rejects every other JSON type with a Java-style message', () => {
  assertSerialization('PutItem', { TableName: true }, 'TRUE_VALUE cannot be converted to String')
  assertSerialization('PutItem', { TableName: false }, 'FALSE_VALUE cannot be converted to String')
  assertSerialization('PutItem', { TableName: 23 }, 'NUMBER_VALUE cannot be converted to String')
  assertSerialization('PutItem', { TableName: 2147483648 }, 'NUMBER_VALUE cannot be converted to String')
  assertSerialization('PutItem', { TableName: 34.56 }, 'DECIMAL_VALUE cannot be converted to String')
  assertSerialization('PutItem', { TableName: [] }, 'Unrecognized collection type class java.lang.String')
  assertSerialization('PutItem', { TableName: {} }, 'Start of structure or map found where not expected')
})

test('a Boolean member rejects strings, numbers, lists and objects', () => {
  assertSerialization('GetItem', { ConsistentRead: '23' }, 'Unexpected token received from parser')
  assertSerialization('GetItem', { ConsistentRead: 23 }, 'NUMBER_VALUE cannot be converted to Boolean')
  assertSerialization('GetItem', { ConsistentRead: 34.56 }, 'DECIMAL_VALUE cannot be converted to Boolean')
  assertSerialization('GetItem', { ConsistentRead: [] }, 'Unrecognized collection type class java.lang.Boolean')
  assertSerialization('GetItem', { ConsistentRead: {} }, 'Start of structure or map found where not expected')
})

test('Integer and Long members reject strings, booleans, lists and objects', () => {
  assertSerialization('Query', { Limit: '23' }, 'STRING_VALUE cannot be converted to Integer')
  assertSerialization('Query', { Limit: true }, 'TRUE_VALUE cannot be converted to Integer')
  assertSerialization('Query', { Limit: [] }, 'Unrecognized collection type class java.lang.Integer')
  assertSerialization('Query', { Limit: {} }, 'Start of structure or map found where not expected')
  assertSerialization('CreateTable', { ProvisionedThroughput: { ReadCapacityUnits: false } },
    'FALSE_VALUE cannot be converted to Long')
})

test('a Blob member needs canonical base64 text', () => {
  const blob = (value: unknown) => ({ TableName: 'abc', Key: { a: { B: value } } })
  assertSerialization('GetItem', blob(true), 'only base-64-encoded strings are convertible to bytes')
  assertSerialization('GetItem', blob(23), 'only base-64-encoded strings are convertible to bytes')
  assertSerialization('GetItem', blob([]), 'Unrecognized collection type class java.nio.ByteBuffer')
  assertSerialization('GetItem', blob({}), 'Start of structure or map found where not expected')
  assertSerialization('GetItem', blob('23456'), 'Base64 encoded length is expected a multiple of 4 bytes but found: 5')
  assertSerialization('GetItem', blob('=+/='), 'Invalid last non-pad Base64 character dectected')
  assertSerialization('GetItem', blob('+/+='), 'Invalid last non-pad Base64 character dectected')
})

test('a List member: field type errors at top level, a reflection error when nested in a map', () => {
  assertSerialization('GetItem', { AttributesToGet: '23' }, 'Unexpected field type')
  assertSerialization('GetItem', { AttributesToGet: 23 }, 'Unexpected field type')
  assertSerialization('GetItem', { AttributesToGet: {} }, 'Start of structure or map found where not expected')
  assertSerialization('BatchWriteItem', { RequestItems: { abc: true } }, parameterizedCast)
  assertSerialization('BatchWriteItem', { RequestItems: { abc: {} } }, 'Start of structure or map found where not expected')
})

test('a Map member names its Java type when given a list', () => {
  assertSerialization('PutItem', { Item: 'x' }, 'Unexpected field type')
  assertSerialization('PutItem', { Item: [] },
    'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>')
  assertSerialization('PutItem', { ExpressionAttributeNames: [] },
    'Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>')
  assertSerialization('BatchWriteItem', { RequestItems: [] },
    'Unrecognized collection type java.util.Map<java.lang.String, ' +
    'java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>')
  assertSerialization('BatchGetItem', { RequestItems: { abc: { Keys: [23] } } }, parameterizedCast)
  assertSerialization('BatchGetItem', { RequestItems: { abc: { Keys: [[]] } } },
    'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>')
})

test('a structure: field type as a member, value type as a list or map element', () => {
  assertSerialization('CreateTable', { ProvisionedThroughput: 23 }, 'Unexpected field type')
  assertSerialization('CreateTable', { ProvisionedThroughput: [] },
    'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput')
  assertSerialization('CreateTable', { KeySchema: ['a'] }, 'Unexpected value type in payload')
  assertSerialization('CreateTable', { KeySchema: [[]] },
    'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement')
  assertSerialization('PutItem', { Item: { a: 'x' } }, 'Unexpected value type in payload')
  assertSerialization('PutItem', { Expected: { a: { Value: 'x' } } }, 'Unexpected field type')
  assertSerialization('PutItem', { Item: { a: { L: [{ M: { b: { SS: [1] } } }] } } },
    'NUMBER_VALUE cannot be converted to String')
})

test('the first type error in document order wins', () => {
  assertSerialization('PutItem', { ReturnValues: 1, TableName: true }, 'NUMBER_VALUE cannot be converted to String')
  assertSerialization('PutItem', { TableName: true, ReturnValues: 1 }, 'TRUE_VALUE cannot be converted to String')
})

test('null and unknown members are dropped, whole numbers truncated, before any other check', () => {
  const body: Record<string, unknown> = {
    TableName: 'abc', Key: { a: { S: 'x', Q: 1 } }, ConsistentRead: null, Surprise: { any: 'thing' },
  }
  validateRequest(getItemShape, body)
  assert.deepEqual(body, { TableName: 'abc', Key: { a: { S: 'x' } } })
  const scan: Record<string, unknown> = { TableName: 'abc', Limit: 2.9 }
  validateRequest(scanShape, scan)
  assert.equal(scan.Limit, 2)
})

test('a missing body counts as empty', () => {
  assert.deepEqual(validateRequest(listTablesShape, undefined), {})
})
