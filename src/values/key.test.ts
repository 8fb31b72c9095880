import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import type { KeyRange } from '../storage/engine.js'
import type { AttributeValue, ScalarKeyType } from './types.js'
import { compareScalars } from './attribute-value.js'
import { parseNumber } from './number.js'
import {
  decodeKeyValue,
  encodeIndexKey,
  encodeKeyValue,
  encodePrimaryKey,
  hashSegmentRange,
  partitionPrefix,
  prefixEnd,
  queryRange,
  type SortKeyCondition,
} from './key.js'

// Strings heavy in the characters that matter: NUL, the escape byte's neighbours, surrogate pairs.
const stringValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0001', 'a', '\u00ff', '\uffff', '\ue000', '😀', '\u{10ffff}'), maxLength: 6 }),
).map((text): AttributeValue => ({ S: text }))

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 8 }),
  fc.array(fc.constantFrom(0, 1, 0x7f, 0x80, 0xfe, 0xff), { maxLength: 6 }).map((array) => Uint8Array.from(array)),
)
const binaryValue = bytes.map((array): AttributeValue => ({ B: Buffer.from(array).toString('base64') }))

// Any number DynamoDB accepts: up to 38 digits, first-digit exponent from -130 to 125.
const numberValue = fc.oneof(
  fc.constant<AttributeValue>({ N: '0' }),
  fc.integer({ min: -1000, max: 1000 }).map((n): AttributeValue => ({ N: String(n) })),
  fc.tuple(
    fc.boolean(),
    fc.integer({ min: 1, max: 9 }),
    fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: 37 }),
    fc.integer({ min: -130, max: 125 }),
  ).map(([negative, first, rest, exponent]): AttributeValue => ({
    N: parseNumber(`${negative ? '-' : ''}${first}.${rest}e${exponent}`),
  })),
)

function keyArbitrary(type: ScalarKeyType) {
  return type === 'S' ? stringValue : type === 'N' ? numberValue : binaryValue
}

function sign(value: number): number {
  return value < 0 ? -1 : value > 0 ? 1 : 0
}

for (const type of ['S', 'N', 'B'] as const) {
  test(`${type}: byte order of encodings is DynamoDB order, and decoding round-trips`, () => {
    const value = keyArbitrary(type)
    fc.assert(fc.property(value, value, (a, b) => {
      const encodedA = encodeKeyValue(a)
      const encodedB = encodeKeyValue(b)
      assert.equal(sign(Buffer.compare(encodedA, encodedB)), sign(compareScalars(a, b)!))
      assert.deepEqual(decodeKeyValue(encodedA, 0, type), { value: a, next: encodedA.length })
    }), { numRuns: 3000 })
  })

  test(`${type}: a sort key keeps order inside its partition and components stay separate`, () => {
    const value = keyArbitrary(type)
    fc.assert(fc.property(value, value, value, value, (partition, sortA, sortB, other) => {
      const keyA = encodePrimaryKey(partition, sortA)
      const keyB = encodePrimaryKey(partition, sortB)
      const prefix = partitionPrefix([partition])
      assert.ok(keyA.subarray(0, prefix.length).equals(prefix))
      assert.equal(sign(Buffer.compare(keyA, keyB)), sign(compareScalars(sortA, sortB)!))
      // (a, b) and (a', b') differ in order exactly as their first differing component does.
      const pairA = Buffer.concat([encodeKeyValue(sortA), encodeKeyValue(other)])
      const pairB = Buffer.concat([encodeKeyValue(sortB), encodeKeyValue(partition)])
      const first = sign(compareScalars(sortA, sortB)!)
      const expected = first !== 0 ? first : sign(compareScalars(other, partition)!)
      assert.equal(sign(Buffer.compare(pairA, pairB)), expected)
      const decodedFirst = decodeKeyValue(pairA, 0, type)
      assert.deepEqual(decodeKeyValue(pairA, decodedFirst.next, type).value, other)
    }), { numRuns: 1000 })
  })
}

test('number encodings are compact and fixed examples order correctly', () => {
  const ascending = ['-1e125', '-100', '-12.5', '-1.23', '-1.2', '-1', '-0.001', '0', '1e-130', '0.001', '1', '1.2', '1.23', '9', '10', '100']
  const encoded = ascending.map((text) => encodeKeyValue({ N: parseNumber(text) }))
  for (let index = 1; index < encoded.length; index++) {
    assert.ok(Buffer.compare(encoded[index - 1]!, encoded[index]!) < 0, `${ascending[index - 1]} < ${ascending[index]}`)
  }
  assert.equal(encodeKeyValue({ N: '1' + '2'.repeat(37) }).length, 3 + 19)
  assert.equal(encodeKeyValue({ N: '0' }).length, 1)
})

test('the primary key starts with an 8-byte hash that is stable across versions', () => {
  const key = encodePrimaryKey({ S: 'abc' }, { N: '1' })
  // MD5 of 61 62 63 00 01, first 8 bytes: a changed value breaks every stored database.
  assert.equal(key.subarray(0, 8).toString('hex'), '596b0689caedf163')
  assert.ok(encodePrimaryKey({ S: 'abc' }).equals(partitionPrefix([{ S: 'abc' }])))
  assert.ok(encodePrimaryKey({ S: 'abc' }).subarray(8).equals(Buffer.from('61626300' + '01', 'hex')))
  // A partition value too long for one MD5 block is hashed the same way.
  const long = encodePrimaryKey({ S: 'p'.repeat(200) }, { S: 's' })
  const encodedPartition = Buffer.concat([Buffer.alloc(200, 'p'), Buffer.from('0001', 'hex')])
  assert.ok(long.subarray(0, 8).equals(createHash('md5').update(encodedPartition).digest().subarray(0, 8)))
  assert.ok(long.subarray(8).equals(Buffer.concat([encodedPartition, Buffer.from('730001', 'hex')])))
})

test('a primary key is hash8 + the partition component + the sort component, whatever the values', () => {
  // Long strings too: a partition component over 55 bytes is hashed by node:crypto.
  const longString = fc.string({ unit: 'binary', maxLength: 90 }).map((text): AttributeValue => ({ S: text }))
  const keyValue = fc.oneof(stringValue, longString, numberValue, binaryValue)
  fc.assert(fc.property(keyValue, fc.option(keyValue, { nil: undefined }), (partition, sort) => {
    const encodedPartition = encodeKeyValue(partition)
    const hash = createHash('md5').update(encodedPartition).digest().subarray(0, 8)
    const expected = Buffer.concat([hash, encodedPartition, ...(sort === undefined ? [] : [encodeKeyValue(sort)])])
    assert.ok(encodePrimaryKey(partition, sort).equals(expected))
    assert.ok(partitionPrefix([partition]).equals(expected.subarray(0, 8 + encodedPartition.length)))
  }), { numRuns: 2000 })
})

test('index keys are unique per item and grouped by index partition', () => {
  const a = encodeIndexKey([{ S: 'g' }], [{ N: '1' }], { S: 'item1' }, undefined)
  const b = encodeIndexKey([{ S: 'g' }], [{ N: '1' }], { S: 'item2' }, undefined)
  const c = encodeIndexKey([{ S: 'g' }], [], { S: 'item1' }, { N: '5' })
  assert.ok(!a.equals(b))
  assert.ok(Buffer.compare(a, b) < 0)
  const prefix = partitionPrefix([{ S: 'g' }])
  for (const key of [a, b, c]) assert.ok(key.subarray(0, prefix.length).equals(prefix))
})

test('prefixEnd is the smallest buffer above every extension of the prefix', () => {
  assert.deepEqual(prefixEnd(Buffer.from([1, 2, 3])), Buffer.from([1, 2, 4]))
  assert.deepEqual(prefixEnd(Buffer.from([1, 0xff, 0xff])), Buffer.from([2]))
  assert.equal(prefixEnd(Buffer.from([0xff, 0xff])), undefined)
  assert.equal(prefixEnd(Buffer.alloc(0)), undefined)
})

test('hash segments tile the 8-byte hash space in order', () => {
  assert.deepEqual(hashSegmentRange(0, 1), {})
  const total = 7
  let previousEnd: Buffer | undefined
  for (let segment = 0; segment < total; segment++) {
    const range = hashSegmentRange(segment, total)
    assert.equal(segment === 0, range.start === undefined)
    assert.equal(segment === total - 1, range.end === undefined)
    if (segment > 0) assert.deepEqual(range.start, previousEnd)
    previousEnd = range.end
  }
  assert.deepEqual(hashSegmentRange(1, 2).start, Buffer.from('8000000000000000', 'hex'))
  assert.throws(() => hashSegmentRange(2, 2))
})

function inRange(key: Buffer, range: KeyRange): boolean {
  if (range.start !== undefined) {
    const order = Buffer.compare(key, range.start)
    if (order < 0 || (order === 0 && !range.startInclusive)) return false
  }
  if (range.end !== undefined) {
    const order = Buffer.compare(key, range.end)
    if (order > 0 || (order === 0 && !range.endInclusive)) return false
  }
  return true
}

function holds(sort: AttributeValue, condition: SortKeyCondition): boolean {
  if (condition.op === 'BETWEEN') {
    return compareScalars(sort, condition.low)! >= 0 && compareScalars(sort, condition.high)! <= 0
  }
  if (condition.op === 'BEGINS_WITH') {
    if ('S' in sort && 'S' in condition.value) return Buffer.from(sort.S).subarray(0, Buffer.byteLength(condition.value.S)).equals(Buffer.from(condition.value.S))
    if ('B' in sort && 'B' in condition.value) {
      const prefix = Buffer.from(condition.value.B, 'base64')
      return Buffer.from(sort.B, 'base64').subarray(0, prefix.length).equals(prefix)
    }
    return false
  }
  const order = compareScalars(sort, condition.value)!
  switch (condition.op) {
    case 'EQ': return order === 0
    case 'LT': return order < 0
    case 'LE': return order <= 0
    case 'GT': return order > 0
    case 'GE': return order >= 0
  }
}

for (const type of ['S', 'N', 'B'] as const) {
  test(`${type}: queryRange holds exactly the rows of the partition that satisfy the condition`, () => {
    const value = keyArbitrary(type)
    const ops: Array<SortKeyCondition['op']> = ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN']
    if (type !== 'N') ops.push('BEGINS_WITH')
    const condition = fc.tuple(fc.constantFrom(...ops), value, value).map(([op, first, second]): SortKeyCondition => {
      if (op === 'BETWEEN') return compareScalars(first, second)! <= 0 ? { op, low: first, high: second } : { op, low: second, high: first }
      return { op, value: first }
    })
    fc.assert(fc.property(value, value, value, condition, fc.boolean(), (partition, otherPartition, sort, sortCondition, reverse) => {
      const range = queryRange([partition], [sortCondition], reverse)
      assert.equal(range.reverse === true, reverse)
      assert.equal(inRange(encodePrimaryKey(partition, sort), range), holds(sort, sortCondition))
      if (compareScalars(partition, otherPartition) !== 0) {
        assert.equal(inRange(encodePrimaryKey(otherPartition, sort), range), false)
      }
      const whole = queryRange([partition], [], false)
      assert.ok(inRange(encodePrimaryKey(partition, sort), whole))
      assert.ok(inRange(encodePrimaryKey(partition), whole))
    }), { numRuns: 2000 })
  })
}

test('BEGINS_WITH on a string ending in NUL, and with an empty prefix', () => {
  const partition: AttributeValue = { S: 'p' }
  const range = queryRange([partition], [{ op: 'BEGINS_WITH', value: { S: 'a\u0000' } }], false)
  assert.ok(inRange(encodePrimaryKey(partition, { S: 'a\u0000' }), range))
  assert.ok(inRange(encodePrimaryKey(partition, { S: 'a\u0000\u0000b' }), range))
  assert.ok(!inRange(encodePrimaryKey(partition, { S: 'a' }), range))
  assert.ok(!inRange(encodePrimaryKey(partition, { S: 'a\u0001' }), range))
  const everything = queryRange([partition], [{ op: 'BEGINS_WITH', value: { S: '' } }], false)
  assert.ok(inRange(encodePrimaryKey(partition, { S: '' }), everything))
  assert.ok(inRange(encodePrimaryKey(partition, { S: '\u{10ffff}' }), everything))
})

// Multi-attribute GSI keys: rows of one partition (all partition values equal) sort by the sort
// values left to right, and a run of equalities plus one last condition selects exactly the rows
// that satisfy all of them.
const anyKeyValue = fc.oneof(stringValue, numberValue, binaryValue)
const types = fc.array(fc.constantFrom<ScalarKeyType>('S', 'N', 'B'), { minLength: 1, maxLength: 4 })

test('multi-attribute keys: a single partition value encodes as it always did', () => {
  fc.assert(fc.property(anyKeyValue, anyKeyValue, anyKeyValue, (partition, sort, table) => {
    assert.ok(partitionPrefix([partition]).equals(encodePrimaryKey(partition)))
    const key = encodeIndexKey([partition], [sort], table, undefined)
    assert.ok(key.equals(Buffer.concat([encodePrimaryKey(partition, sort), encodeKeyValue(table)])))
  }), { numRuns: 300 })
})

test('multi-attribute keys: partitions differ when any partition value differs', () => {
  const pair = fc.tuple(stringValue, stringValue)
  fc.assert(fc.property(pair, pair, ([a1, a2], [b1, b2]) => {
    const same = compareScalars(a1, b1) === 0 && compareScalars(a2, b2) === 0
    assert.equal(partitionPrefix([a1, a2]).equals(partitionPrefix([b1, b2])), same)
  }), { numRuns: 500 })
})

test('multi-attribute keys: sort values order rows left to right, each in its type\'s order', () => {
  const sortTuple = types.chain((sortTypes) => fc.tuple(
    fc.tuple(...sortTypes.map(keyArbitrary)), fc.tuple(...sortTypes.map(keyArbitrary))))
  fc.assert(fc.property(sortTuple, ([left, right]) => {
    const partition: AttributeValue[] = [{ S: 'h' }, { N: '1' }]
    const keyA = encodeIndexKey(partition, left, { S: 't' }, undefined)
    const keyB = encodeIndexKey(partition, right, { S: 't' }, undefined)
    let expected = 0
    for (let position = 0; position < left.length && expected === 0; position++) {
      expected = sign(compareScalars(left[position]!, right[position]!)!)
    }
    assert.equal(sign(Buffer.compare(keyA, keyB)), expected)
  }), { numRuns: 2000 })
})

test('multi-attribute keys: equalities then one condition select exactly the matching rows', () => {
  const ops: Array<SortKeyCondition['op']> = ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN', 'BEGINS_WITH']
  const scenario = fc.tuple(fc.array(stringValue, { minLength: 1, maxLength: 3 }), fc.array(stringValue, { minLength: 3, maxLength: 3 }),
    fc.constantFrom(...ops), stringValue, stringValue, fc.boolean())
  fc.assert(fc.property(scenario, ([equalities, rowSort, op, first, second, reverse]) => {
    // The row shares the equalities' values with probability, so both outcomes are exercised.
    const row = rowSort.map((value, position) => (position < equalities.length - 1 && position % 2 === 0 ? equalities[position]! : value))
    const last: SortKeyCondition = op === 'BETWEEN'
      ? (compareScalars(first, second)! <= 0 ? { op, low: first, high: second } : { op, low: second, high: first })
      : { op, value: first }
    const conditions: SortKeyCondition[] = [
      ...equalities.slice(0, -1).map((value): SortKeyCondition => ({ op: 'EQ', value })), last,
    ]
    const partition: AttributeValue[] = [{ S: 'h' }, { B: 'AA==' }]
    const range = queryRange(partition, conditions, reverse)
    const expected = conditions.every((condition, position) => holds(row[position]!, condition))
    assert.equal(inRange(encodeIndexKey(partition, row, { S: 'item' }, { N: '1' }), range), expected)
    assert.equal(inRange(encodeIndexKey([{ S: 'h' }, { B: 'AQ==' }], row, { S: 'item' }, undefined), range), false)
  }), { numRuns: 3000 })
})
