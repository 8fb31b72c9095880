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
  const duplicate = 'The KeySchema contains multiple key attributes with the same name'
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'b:HASH', 'a:RANGE')), duplicate)
  // Two HASH elements of one name are a duplicate too.
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'a:HASH')), duplicate)
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'b:RANGE', 'c:HASH')),
    'One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema')
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'b:HASH', 'c:HASH', 'd:HASH', 'e:HASH')),
    'One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of HASH key attributes')
  assert.equal(globalIndexKeySchemaProblem(schema('a:HASH', 'b:RANGE', 'c:RANGE', 'd:RANGE', 'e:RANGE', 'f:RANGE')),
    'One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of RANGE key attributes')
})
