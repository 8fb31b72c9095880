import assert from 'node:assert/strict'
import { test } from 'node:test'
import { jsonWithRawMembers } from './json-text.js'

test('raw members are spliced after the serialized ones', () => {
  const text = jsonWithRawMembers({ Count: 1 }, { Items: '[{"a":{"S":"x"}}]' }).text
  assert.deepEqual(JSON.parse(text), { Count: 1, Items: [{ a: { S: 'x' } }] })
})

test('an empty object with only raw members, and undefined raw members left out', () => {
  assert.equal(jsonWithRawMembers({}, { Item: '{"a":{"N":"1"}}', Other: undefined }).text, '{"Item":{"a":{"N":"1"}}}')
  assert.equal(jsonWithRawMembers({}, {}).text, '{}')
})
