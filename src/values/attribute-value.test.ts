import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import type { AttributeValue, Item } from './types.js'
import {
  attributeValueProblem,
  attributeValueSerializationProblem,
  attributeValuesEqual,
  base64Problem,
  compareScalars,
  compareUtf8,
  normalizeAttributeValue,
  normalizeItem,
} from './attribute-value.js'

const invalid = 'One or more parameter values were invalid: '
const empty = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'
const nesting = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit'

function nestedMaps(wraps: number): AttributeValue {
  let value: AttributeValue = { S: 'leaf' }
  for (let level = 0; level < wraps; level++) value = { M: { n: value } }
  return value
}

test('well-formed values have no problem', () => {
  const values: unknown[] = [
    { S: '' }, { S: 'a' }, { N: '1' }, { B: '' }, { B: 'Yg==' }, { BOOL: false }, { NULL: true },
    { SS: ['a', ''] }, { NS: ['1', '2'] }, { BS: ['Yg==', ''] }, { M: {} }, { L: [] },
    { L: [{ S: 'a' }, { M: { b: { N: '-1.5e3' } } }] }, { S: 'a', N: null },
  ]
  for (const value of values) assert.equal(attributeValueProblem(value), undefined, JSON.stringify(value))
})

test('empty and multi-typed values', () => {
  for (const value of [{}, { a: '' }, { M: { a: {} } }, { L: [{}] }, { L: [{ a: {} }] }, null, 'x', { S: null }]) {
    assert.equal(attributeValueProblem(value), empty, JSON.stringify(value))
  }
  assert.equal(attributeValueProblem({ S: 'a', N: '1' }),
    'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes')
  // A bad member is reported before the second type is noticed.
  assert.equal(attributeValueProblem({ S: 'a', N: 'b' }), 'The parameter cannot be converted to a numeric value: b')
  assert.equal(attributeValueProblem({ S: '', N: '' }), 'The parameter cannot be converted to a numeric value')
})

test('invalid members, with DynamoDB texts and prefixes', () => {
  const cases: Array<[unknown, string]> = [
    [{ NULL: false }, `${invalid}Null attribute value types must have the value of true`],
    [{ SS: [] }, `${invalid}An string set  may not be empty`],
    [{ NS: [] }, `${invalid}An number set  may not be empty`],
    [{ BS: [] }, `${invalid}Binary sets should not be empty`],
    [{ SS: ['a', 'a'] }, `${invalid}Input collection [a, a] contains duplicates.`],
    [{ BS: ['Yg==', 'Yg=='] }, `${invalid}Input collection [Yg==, Yg==]of type BS contains duplicates.`],
    [{ NS: ['1', '1'] }, 'Input collection contains duplicates'],
    [{ NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    [{ NS: ['1', ''] }, 'The parameter cannot be converted to a numeric value'],
    [{ NS: ['1', 'b'] }, 'The parameter cannot be converted to a numeric value: b'],
    [{ N: '123456789012345678901234567890123456789' }, 'Attempting to store more than 38 significant digits in a Number'],
    [{ N: '1e126' }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    [{ N: '-1e-131' }, 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    [{ M: { a: { L: [{ NS: [] }] } } }, `${invalid}An number set  may not be empty`],
  ]
  for (const [value, message] of cases) assert.equal(attributeValueProblem(value), message, JSON.stringify(value))
})

test('32 levels of nesting are allowed, 33 are not', () => {
  assert.equal(attributeValueProblem(nestedMaps(31)), undefined)
  assert.equal(attributeValueProblem(nestedMaps(32)), nesting)
  let list: AttributeValue = { N: '1' }
  for (let level = 0; level < 40; level++) list = { L: [list] }
  assert.equal(attributeValueProblem(list), nesting)
})

test('serialization problems: JSON types and base64', () => {
  const cases: Array<[unknown, string]> = [
    [{ S: 5 }, 'NUMBER_VALUE cannot be converted to String'],
    [{ N: 1.5 }, 'DECIMAL_VALUE cannot be converted to String'],
    [{ S: true }, 'TRUE_VALUE cannot be converted to String'],
    [{ S: [] }, 'Unrecognized collection type class java.lang.String'],
    [{ S: {} }, 'Start of structure or map found where not expected'],
    [{ BOOL: 'true' }, 'Unexpected token received from parser'],
    [{ NULL: 1 }, 'NUMBER_VALUE cannot be converted to Boolean'],
    [{ B: 5 }, 'only base-64-encoded strings are convertible to bytes'],
    [{ B: '23456' }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
    [{ B: '=+/=' }, 'Invalid last non-pad Base64 character dectected'],
    [{ B: '+/+=' }, 'Invalid last non-pad Base64 character dectected'],
    [{ BS: ['Yg==', 'abc'] }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 3'],
    [{ SS: 'a' }, 'Unexpected field type'],
    [{ L: {} }, 'Start of structure or map found where not expected'],
    [{ L: ['x'] }, 'Unexpected value type in payload'],
    [{ L: [[]] }, 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue'],
    [{ M: [] }, 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'],
    [{ M: { a: { M: { b: { B: '!!!!' } } } } }, 'Invalid last non-pad Base64 character dectected'],
  ]
  for (const [value, message] of cases) assert.equal(attributeValueSerializationProblem(value), message, JSON.stringify(value))
  assert.equal(attributeValueSerializationProblem({ S: 'a', B: 'Yg==', L: [{ N: '1' }], M: { x: { NULL: true } } }), undefined)
  assert.equal(base64Problem(''), undefined)
  assert.equal(base64Problem('AAECAwQ='), undefined)
  assert.equal(base64Problem('YR=='), 'Invalid last non-pad Base64 character dectected')
})

test('normalization makes numbers canonical and keeps unchanged objects', () => {
  const plain: Item = { a: { S: 'x' }, b: { N: '12' }, c: { L: [{ N: '3' }] }, d: { NS: ['1', '2'] } }
  assert.equal(normalizeItem(plain), plain)
  const value: AttributeValue = { M: { a: { N: '1.50' }, b: { L: [{ NS: ['01', '2'] }, { S: 's' }] } } }
  const normalized = normalizeAttributeValue(value)
  assert.deepEqual(normalized, { M: { a: { N: '1.5' }, b: { L: [{ NS: ['1', '2'] }, { S: 's' }] } } })
  assert.deepEqual(value, { M: { a: { N: '1.50' }, b: { L: [{ NS: ['01', '2'] }, { S: 's' }] } } })
  const item: Item = { keep: { S: 'x' }, change: { N: '+7' } }
  const normalizedItem = normalizeItem(item)
  assert.deepEqual(normalizedItem, { keep: { S: 'x' }, change: { N: '7' } })
  assert.equal(normalizedItem.keep, item.keep)
})

test('equality: numbers by value, sets ignore order, deep M and L', () => {
  const equal: Array<[AttributeValue, AttributeValue]> = [
    [{ N: '1' }, { N: '1.0' }], [{ NS: ['1', '2'] }, { NS: ['2.0', '1'] }], [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }],
    [{ BS: ['AQ==', 'Ag=='] }, { BS: ['Ag==', 'AQ=='] }], [{ B: 'AQ==' }, { B: 'AQ==' }], [{ NULL: true }, { NULL: true }],
    [{ M: { a: { N: '1' }, b: { L: [] } } }, { M: { b: { L: [] }, a: { N: '1.00' } } }],
    [{ L: [{ S: 'a' }, { BOOL: true }] }, { L: [{ S: 'a' }, { BOOL: true }] }],
  ]
  for (const [a, b] of equal) assert.ok(attributeValuesEqual(a, b), JSON.stringify([a, b]))
  const different: Array<[AttributeValue, AttributeValue]> = [
    [{ N: '1' }, { S: '1' }], [{ S: 'a' }, { SS: ['a'] }], [{ NS: ['1'] }, { NS: ['1', '2'] }],
    [{ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { N: '1' } } }], [{ M: { a: { N: '1' } } }, { M: { b: { N: '1' } } }],
    [{ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }], [{ BOOL: true }, { BOOL: false }],
    [{ B: 'AQ==' }, { B: 'Ag==' }],
  ]
  for (const [a, b] of different) assert.ok(!attributeValuesEqual(a, b), JSON.stringify([a, b]))
})

test('scalar order: S by UTF-8 bytes, N by value, B unsigned; other pairs are unordered', () => {
  assert.equal(compareScalars({ S: 'a' }, { S: 'b' }), -1)
  assert.equal(compareScalars({ S: 'B' }, { S: 'a' }), -1)
  // U+FF5E is below U+1F600 in UTF-8 even though its UTF-16 unit is above the surrogate.
  assert.equal(compareScalars({ S: '\uff5e' }, { S: '😀' }), -1)
  assert.ok('\uff5e' > '😀', 'JavaScript order differs, which is the point of the test')
  assert.equal(compareScalars({ N: '-10' }, { N: '9' }), -1)
  assert.equal(compareScalars({ N: '10' }, { N: '9' }), 1)
  assert.ok(compareScalars({ B: 'gA==' }, { B: 'fw==' })! > 0, '0x80 is above 0x7f unsigned')
  assert.equal(compareScalars({ B: 'AQ==' }, { B: 'AQ==' }), 0)
  assert.equal(compareScalars({ S: '1' }, { N: '1' }), undefined)
  assert.equal(compareScalars({ BOOL: true }, { BOOL: true }), undefined)
})

test('compareUtf8 matches Buffer.compare of the UTF-8 bytes', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 })
  fc.assert(fc.property(text, text, (a, b) => {
    assert.equal(compareUtf8(a, b), Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
  }), { numRuns: 2000 })
})
