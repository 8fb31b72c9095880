// A GSI's KeySchema with multi-attribute keys: what is accepted and the first problem reported.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { globalIndexKeySchemaProblem, type KeySchemaEntry } from './index-key-schema.js'

function schema(...elements: string[]): KeySchemaEntry[] {
  return elements.map((element) => {
    const [AttributeName, KeyType] = element.split(':') as [string, string]
    return { AttributeName, KeyType }
  })
}

test('one to four HASH elements followed by up to four RANGE elements are accepted', () => {
  for (const keySchema of [
    schema('a:HASH'), schema('a:HASH', 'b:RANGE'), schema('a:HASH', 'b:HASH'),
    schema('a:HASH', 'b:HASH', 'c:HASH', 'd:HASH', 'e:RANGE', 'f:RANGE', 'g:RANGE', 'h:RANGE'),
  ]) assert.equal(globalIndexKeySchemaProblem(keySchema), undefined)
})

test('the long-standing messages for a two-element schema still apply', () => {
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'a:RANGE')),
    'Both the Hash Key and the Range Key element in the KeySchema have the same name')
  assert.equal(globalIndexKeySchemaProblem(schema('a:RANGE', 'b:HASH')),
    'Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
})

test('duplicates, HASH after RANGE and more than four of a kind are refused', () => {
  assert.match(globalIndexKeySchemaProblem(schema('a:HASH', 'b:HASH', 'a:RANGE'))!, /Duplicate attribute name in KeySchema: a$/)
  // Two HASH elements of one name (Alternator's test_gsi_composite_duplicate_attr_rejected).
  assert.match(globalIndexKeySchemaProblem(schema('a:HASH', 'a:HASH'))!, /Duplicate attribute name in KeySchema: a$/)
  assert.match(globalIndexKeySchemaProblem(schema('a:HASH', 'b:RANGE', 'c:HASH'))!, /HASH key elements must come before/)
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'b:HASH', 'c:HASH', 'd:HASH', 'e:HASH')),
    'Too many partition keys. GSI can have at most 4 partition keys')
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'b:RANGE', 'c:RANGE', 'd:RANGE', 'e:RANGE', 'f:RANGE')),
    'Too many sort keys. GSI can have at most 4 sort keys')
})
