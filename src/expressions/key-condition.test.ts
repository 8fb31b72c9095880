// Matching key conditions to a table's or index's key schema.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ValidationException } from '../errors.js'
import type { AttributeValue } from '../values/types.js'
import { compileExpressions, matchKeyCondition, type KeyCondition } from './index.js'

const values = { ':p': { S: 'p' }, ':s': { N: '1' } }
const key = { partitionKey: 'pk', sortKey: 'sk' }

function keyCondition(text: string, used: Record<string, AttributeValue> = values): KeyCondition {
  return compileExpressions({ KeyConditionExpression: text, ExpressionAttributeValues: used }).keyCondition!
}

function mismatch(condition: KeyCondition, schema: { partitionKey: string; sortKey?: string }, message: string): void {
  assert.throws(() => matchKeyCondition(condition, schema), (error: unknown) =>
    error instanceof ValidationException && error.message === message)
}

test('partition equality alone, or with one sort key condition, in either order', () => {
  assert.deepEqual(matchKeyCondition(keyCondition('pk = :p', { ':p': values[':p'] }), key), { partitionValue: { S: 'p' } })
  assert.deepEqual(matchKeyCondition(keyCondition('sk < :s AND pk = :p'), key),
    { partitionValue: { S: 'p' }, sort: { op: 'LT', value: { N: '1' } } })
  assert.deepEqual(matchKeyCondition(keyCondition('pk = :p AND begins_with(sk, :b)', { ':p': values[':p'], ':b': { S: 'x' } }), key),
    { partitionValue: { S: 'p' }, sort: { op: 'BEGINS_WITH', value: { S: 'x' } } })
})

test('DynamoDB\'s messages for conditions that do not fit the key', () => {
  mismatch(keyCondition('sk = :s', { ':s': values[':s'] }), key, 'Query condition missed key schema element: pk')
  mismatch(keyCondition('pk < :p', { ':p': values[':p'] }), key, 'Query key condition not supported')
  mismatch(keyCondition('pk = :p AND extra = :s'), key, 'Query condition missed key schema element: sk')
  mismatch(keyCondition('pk = :p AND sk = :s'), { partitionKey: 'pk' }, 'Query key condition not supported')
  mismatch({ conditions: [
    { attribute: 'pk', condition: { op: 'EQ', value: { S: 'p' } } },
    { attribute: 'sk', condition: { op: 'EQ', value: { S: 'p' } } },
    { attribute: 'x', condition: { op: 'EQ', value: { S: 'p' } } },
  ] }, key, 'Conditions can be of length 1 or 2 only')
})
