import { test } from 'node:test'
import assert from 'node:assert/strict'
import { jsonNestsDeeperThan } from './json-nesting.js'

test('counts nested arrays and objects, not their siblings', () => {
  assert.equal(jsonNestsDeeperThan('[[[]]]', 3), false)
  assert.equal(jsonNestsDeeperThan('[[[[]]]]', 3), true)
  assert.equal(jsonNestsDeeperThan('{"a":{"b":[1]},"c":{"d":[2]}}', 3), false)
  assert.equal(jsonNestsDeeperThan('{"a":{"b":[{}]}}', 3), true)
})

test('brackets inside strings, escaped quotes included, do not count', () => {
  assert.equal(jsonNestsDeeperThan('{"a":"[[[[{{{{"}', 1), false)
  assert.equal(jsonNestsDeeperThan('{"a":"\\"[[[[\\\\"}', 1), false)
  assert.equal(jsonNestsDeeperThan('{"a":"\\\\",  "b":[[]]}', 2), true)
})
