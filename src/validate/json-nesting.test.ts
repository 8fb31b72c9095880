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

test('a quote after an even run of backslashes ends its string; after an odd run it does not', () => {
  assert.equal(jsonNestsDeeperThan('["\\\\\\\\"[[]]]', 2), true)
  assert.equal(jsonNestsDeeperThan('["\\\\\\"[[]]]"]', 2), false)
  assert.equal(jsonNestsDeeperThan('["unterminated [[[[', 1), false)
})
