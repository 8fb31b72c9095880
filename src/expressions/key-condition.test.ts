// Matching key conditions to a table's or index's key schema, single- and multi-attribute.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ValidationException } from '../errors.js'
import type { AttributeValue } from '../values/types.js'
import { compileExpressions, matchKeyCondition, type KeyAttributeNames, type KeyCondition } from './index.js'

const values = { ':p': { S: 'p' }, ':s': { N: '1' } }
const key: KeyAttributeNames = { partitionKeys: ['pk'], sortKeys: ['sk'] }
/** A GSI with multi-attribute keys: two partition and three sort attributes. */
const composite: KeyAttributeNames = { partitionKeys: ['h1', 'h2'], sortKeys: ['a', 'b', 'c'] }
const compositeValues: Record<string, AttributeValue> = {
  ':h1': { S: 'x' }, ':h2': { N: '2' }, ':a': { S: 'A' }, ':b': { S: 'B' }, ':c': { S: 'C' }, ':d': { S: 'D' },
}

function keyCondition(text: string, used: Record<string, AttributeValue> = values): KeyCondition {
  const names = Object.fromEntries(Object.entries(used).filter(([name]) => text.includes(name)))
  return compileExpressions({ KeyConditionExpression: text, ExpressionAttributeValues: names }).keyCondition!
}

function mismatch(condition: KeyCondition, schema: KeyAttributeNames, message: string): void {
  assert.throws(() => matchKeyCondition(condition, schema), (error: unknown) =>
    error instanceof ValidationException && error.message === message)
}

test('partition equality alone, or with one sort key condition, in either order', () => {
  assert.deepEqual(matchKeyCondition(keyCondition('pk = :p'), key), { partitionValues: [{ S: 'p' }], sort: [] })
  assert.deepEqual(matchKeyCondition(keyCondition('sk < :s AND pk = :p'), key),
    { partitionValues: [{ S: 'p' }], sort: [{ op: 'LT', value: { N: '1' } }] })
  assert.deepEqual(matchKeyCondition(keyCondition('pk = :p AND begins_with(sk, :b)', { ':p': values[':p'], ':b': { S: 'x' } }), key),
    { partitionValues: [{ S: 'p' }], sort: [{ op: 'BEGINS_WITH', value: { S: 'x' } }] })
})

test('DynamoDB\'s messages for conditions that do not fit the key', () => {
  mismatch(keyCondition('sk = :s'), key, 'Query condition missed key schema element: pk')
  mismatch(keyCondition('pk < :p'), key, 'Query key condition not supported')
  mismatch(keyCondition('pk = :p AND extra = :s'), key, 'Query condition missed key schema element: sk')
  mismatch(keyCondition('pk = :p AND sk = :s'), { partitionKeys: ['pk'], sortKeys: [] }, 'Query key condition not supported')
  mismatch({ conditions: [
    { attribute: 'pk', condition: { op: 'EQ', value: { S: 'p' } } },
    { attribute: 'sk', condition: { op: 'EQ', value: { S: 'p' } } },
    { attribute: 'x', condition: { op: 'EQ', value: { S: 'p' } } },
  ] }, key, 'The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)')
})

test('multi-attribute keys: every partition attribute, then a left-to-right run of sort attributes', () => {
  const c = compositeValues
  assert.deepEqual(matchKeyCondition(keyCondition('h2 = :h2 AND h1 = :h1', c), composite),
    { partitionValues: [{ S: 'x' }, { N: '2' }], sort: [] })
  // Clauses may come in any order; the match follows KeySchema order.
  assert.deepEqual(matchKeyCondition(keyCondition('b > :b AND h1 = :h1 AND a = :a AND h2 = :h2', c), composite),
    { partitionValues: [{ S: 'x' }, { N: '2' }], sort: [{ op: 'EQ', value: { S: 'A' } }, { op: 'GT', value: { S: 'B' } }] })
  assert.deepEqual(matchKeyCondition(keyCondition('h1 = :h1 AND h2 = :h2 AND a = :a AND b = :b AND c BETWEEN :c AND :d', c), composite).sort,
    [{ op: 'EQ', value: { S: 'A' } }, { op: 'EQ', value: { S: 'B' } }, { op: 'BETWEEN', low: { S: 'C' }, high: { S: 'D' } }])
})

test('multi-attribute keys: DynamoDB\'s messages for a missing partition attribute and for sort gaps', () => {
  const c = compositeValues
  const hashMessage = (names: string) => `HASH key attributes ${names} must have equality conditions specified in the query`
  const gapMessage = (names: string, on: string) =>
    `RANGE key attributes ${names} must have equality conditions specified in the query because a condition is present on key attribute ${on}`
  // Partition attributes without any condition are named; if all have one, those not `=`.
  mismatch(keyCondition('h1 = :h1', c), composite, hashMessage('h2'))
  mismatch(keyCondition('a = :a', c), composite, hashMessage('h1, h2'))
  mismatch(keyCondition('h1 = :h1 AND h2 > :h2', c), composite, hashMessage('h2'))
  mismatch(keyCondition('h1 > :h1 AND a = :a', c), composite, hashMessage('h2'))
  mismatch(keyCondition('h1 > :h1 AND h2 > :h2', c), composite, hashMessage('h1, h2'))
  // A condition after a skipped sort attribute: the first such, with the skipped ones before it.
  mismatch(keyCondition('h1 = :h1 AND h2 = :h2 AND b = :b', c), composite, gapMessage('a', 'b'))
  mismatch(keyCondition('h1 = :h1 AND h2 = :h2 AND b < :b AND c = :c', c), composite, gapMessage('a', 'b'))
  mismatch(keyCondition('h1 = :h1 AND h2 = :h2 AND a > :a AND c = :c', c), composite, gapMessage('b', 'c'))
  mismatch(keyCondition('h1 = :h1 AND h2 = :h2 AND c = :c', c), composite, gapMessage('a, b', 'c'))
  // Otherwise, conditions other than `=` before the last one.
  mismatch(keyCondition('h1 = :h1 AND h2 = :h2 AND a > :a AND b = :b', c), composite, gapMessage('a', 'b'))
  mismatch(keyCondition('h1 = :h1 AND h2 = :h2 AND a > :a AND b > :b AND c = :c', c), composite, gapMessage('a, b', 'c'))
  mismatch(keyCondition('h1 = :h1 AND h2 = :h2 AND a = :a AND extra = :d', c), composite,
    'Query condition missed key schema element: b')
})
