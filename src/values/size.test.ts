import { test } from 'node:test'
import assert from 'node:assert/strict'
import { attributeValueSizeBytes, binarySizeBytes, itemSizeBytes, itemSizeBytesMax, numberSizeBytes } from './size.js'

test('scalars follow the developer guide', () => {
  assert.equal(attributeValueSizeBytes({ S: 'abc' }), 3)
  assert.equal(attributeValueSizeBytes({ S: 'é😀' }), 2 + 4)
  assert.equal(attributeValueSizeBytes({ S: '' }), 0)
  assert.equal(attributeValueSizeBytes({ B: 'AAECAwQ=' }), 5)
  assert.equal(attributeValueSizeBytes({ B: '' }), 0)
  assert.equal(attributeValueSizeBytes({ BOOL: false }), 1)
  assert.equal(attributeValueSizeBytes({ NULL: true }), 1)
})

// Digit pairs are aligned on the decimal point: 2.5 needs two pairs (02|5_) where 25 needs one,
// and a negative number takes one more byte (sizes DynamoDB reports in stream records).
test('numbers: digit pairs aligned on the point, plus one, plus one for a sign', () => {
  const cases: Array<[string, number]> = [
    ['0', 1], ['1', 2], ['12', 2], ['123', 3], ['12345', 4], ['-12345', 5], ['1000', 2], ['0.001', 2],
    ['100.5', 4], ['1.2E-5', 2], ['1e125', 2], ['9'.repeat(38), 20], ['-0.000123', 4],
    ['2.5', 3], ['2.50', 3], ['-2.5', 4], ['-5', 3], ['25', 2],
  ]
  for (const [text, size] of cases) assert.equal(numberSizeBytes(text), size, text)
})

test('sets are the sum of their members', () => {
  assert.equal(attributeValueSizeBytes({ SS: ['a', 'bc'] }), 3)
  assert.equal(attributeValueSizeBytes({ NS: ['1', '123'] }), 2 + 3)
  assert.equal(attributeValueSizeBytes({ BS: ['AQ==', 'AQI='] }), 3)
})

test('lists and maps: 3 bytes, plus 1 per element, plus contents', () => {
  assert.equal(attributeValueSizeBytes({ L: [] }), 3)
  assert.equal(attributeValueSizeBytes({ M: {} }), 3)
  assert.equal(attributeValueSizeBytes({ L: [{ S: 'xy' }] }), 3 + 1 + 2)
  assert.equal(attributeValueSizeBytes({ M: { ab: { N: '1' } } }), 3 + 1 + 2 + 2)
  assert.equal(attributeValueSizeBytes({ L: [{ M: { a: { BOOL: true } } }, { NULL: true }] }), 3 + (1 + (3 + 1 + 1 + 1)) + (1 + 1))
})

test('an item is the sum of UTF-8 names and value sizes', () => {
  const item = {
    id: { S: 'abc' }, // 2 + 3
    n: { N: '12345' }, // 1 + 4
    flag: { BOOL: true }, // 4 + 1
    l: { L: [{ S: 'xy' }] }, // 1 + 6
    'ü': { NULL: true as const }, // 2 + 1
  }
  assert.equal(itemSizeBytes(item), 5 + 5 + 5 + 7 + 3)
  assert.equal(itemSizeBytes({}), 0)
  assert.equal(itemSizeBytesMax, 409600)
})

test('binary size is computed from base64 without decoding', () => {
  for (let length = 0; length < 20; length++) {
    const base64 = Buffer.alloc(length, 7).toString('base64')
    assert.equal(binarySizeBytes(base64), length)
  }
})
