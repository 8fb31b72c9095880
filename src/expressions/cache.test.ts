// The parse cache: a bounded LRU keyed by expression kind and text.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ParseCache } from './cache.js'
import { compileExpressions } from './index.js'

test('a hit returns the cached value without parsing again', () => {
  const cache = new ParseCache<number>(2)
  let parses = 0
  const parse = () => ++parses
  assert.equal(cache.getOrParse('a', parse), 1)
  assert.equal(cache.getOrParse('a', parse), 1)
  assert.equal(parses, 1)
})

test('the least recently used entry is evicted first', () => {
  const cache = new ParseCache<string>(2)
  cache.getOrParse('a', () => 'a1')
  cache.getOrParse('b', () => 'b1')
  cache.getOrParse('a', () => 'a2') // 'a' is now the most recently used
  cache.getOrParse('c', () => 'c1') // evicts 'b'
  assert.equal(cache.size, 2)
  assert.equal(cache.getOrParse('a', () => 'a3'), 'a1')
  assert.equal(cache.getOrParse('b', () => 'b2'), 'b2')
})

test('the same text with different placeholders resolves independently', () => {
  const text = 'SET #a = :v'
  const first = compileExpressions({ UpdateExpression: text, ExpressionAttributeNames: { '#a': 'x' }, ExpressionAttributeValues: { ':v': { S: '1' } } })
  const second = compileExpressions({ UpdateExpression: text, ExpressionAttributeNames: { '#a': 'y' }, ExpressionAttributeValues: { ':v': { S: '2' } } })
  assert.deepEqual(first.update?.actions, [{ kind: 'SET', path: ['x'], value: { kind: 'value', value: { S: '1' } } }])
  assert.deepEqual(second.update?.actions, [{ kind: 'SET', path: ['y'], value: { kind: 'value', value: { S: '2' } } }])
})
