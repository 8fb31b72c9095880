import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { ValidationException } from '../errors.js'
import { addNumbers, compareNumbers, parseNumber, subtractNumbers } from './number.js'

const syntax = 'The parameter cannot be converted to a numeric value'
const overflow = 'Number overflow. Attempting to store a number with magnitude larger than supported range'
const underflow = 'Number underflow. Attempting to store a number with magnitude smaller than supported range'
const precision = 'Attempting to store more than 38 significant digits in a Number'

function assertRejects(fn: () => unknown, message: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValidationException)
    assert.equal(error.message, message)
    return true
  })
}

test('canonical forms drop signs, zeros and exponents', () => {
  const cases: Array<[string, string]> = [
    ['1.50', '1.5'], ['01', '1'], ['-0', '0'], ['1e3', '1000'], ['1.2E-5', '0.000012'], ['+5', '5'],
    ['.5', '0.5'], ['5.', '5'], ['0001.23', '1.23'], ['1e+5', '100000'], ['0e125', '0'], ['0e-130', '0'], ['-0.0', '0'],
    ['-17.4E37', '-174' + '0'.repeat(36)], ['123', '123'], ['-7.1234', '-7.1234'], ['0.0', '0'],
    ['00', '0'], ['-.5e1', '-5'], ['12.340e-1', '1.234'], ['0', '0'], ['1E0', '1'], ['100', '100'],
  ]
  for (const [input, canonical] of cases) assert.equal(parseNumber(input), canonical, input)
})

test('bad syntax is rejected with the text, or without it when empty', () => {
  for (const text of ['NaN', 'Infinity', '-Infinity', '-NaN', 'dog', '-dog', ' 1', '1 ', '1e', 'e1', '.', '-',
    '+', '1.2.3', '0x10', '1e1.5', '--1', '+-1', '1_000', '١']) {
    assertRejects(() => parseNumber(text), `${syntax}: ${text}`)
  }
  assertRejects(() => parseNumber(''), syntax)
})

test('magnitude limits at the edges', () => {
  assert.equal(parseNumber('1e-130'), '0.' + '0'.repeat(129) + '1')
  assert.equal(parseNumber('-1E-130'), '-0.' + '0'.repeat(129) + '1')
  const largest = '9.9999999999999999999999999999999999999E+125'
  assert.equal(parseNumber(largest), '9'.repeat(38) + '0'.repeat(88))
  assert.equal(parseNumber('1e125'), '1' + '0'.repeat(125))
  assertRejects(() => parseNumber('1e126'), overflow)
  assertRejects(() => parseNumber('-1e126'), overflow)
  assertRejects(() => parseNumber('11e125'), overflow)
  assertRejects(() => parseNumber('1e-131'), underflow)
  assertRejects(() => parseNumber('-1e-131'), underflow)
  assertRejects(() => parseNumber('0.9e-130'), underflow)
  assertRejects(() => parseNumber('1e99999999999999999999'), overflow)
  assertRejects(() => parseNumber('1e-99999999999999999999'), underflow)
  // Zero is held to the range by the exponent it is written with (an AWS-validated suite).
  assertRejects(() => parseNumber('0e126'), overflow)
  assertRejects(() => parseNumber('0e99999999999999999999'), overflow)
  assertRejects(() => parseNumber('0e-131'), underflow)
})

test('38 significant digits are allowed, 39 are not; zeros at the ends do not count', () => {
  assert.equal(parseNumber('3.1415926535897932384626433832795028841'), '3.1415926535897932384626433832795028841')
  assert.equal(parseNumber('31415926535897932384626433832795028841e30'), '31415926535897932384626433832795028841' + '0'.repeat(30))
  assert.equal(parseNumber('1' + '0'.repeat(100)), '1' + '0'.repeat(100))
  assert.equal(parseNumber('0.000' + '1'.repeat(38) + '000'), '0.000' + '1'.repeat(38))
  assertRejects(() => parseNumber('123456789012345678901234567890123456789'), precision)
  assertRejects(() => parseNumber('-1.23456789012345678901234567890123456789'), precision)
  assertRejects(() => parseNumber('3.14159265358979323846264338327950288419'), precision)
})

test('compareNumbers orders by value', () => {
  const ascending = ['-1e125', '-100', '-12.5', '-1.23', '-1.2', '-1', '-0.001', '0', '1e-130', '0.001',
    '1', '1.2', '1.23', '9', '10', '12.5', '100', '123456789012345678', '1e125']
  for (let i = 0; i < ascending.length; i++) {
    for (let j = 0; j < ascending.length; j++) {
      const expected = i < j ? -1 : i > j ? 1 : 0
      assert.equal(compareNumbers(parseNumber(ascending[i]!), parseNumber(ascending[j]!)), expected, `${ascending[i]} vs ${ascending[j]}`)
    }
  }
  assert.equal(compareNumbers('1.0', '1'), 0)
})

test('addition and subtraction are exact', () => {
  assert.equal(addNumbers('0.1', '0.2'), '0.3')
  assert.equal(addNumbers('1', '10000000000000000000000'), '10000000000000000000001')
  assert.equal(subtractNumbers('10000000000000000000000', '1'), '9999999999999999999999')
  assert.equal(addNumbers('-5', '5'), '0')
  assert.equal(subtractNumbers('5', '5'), '0')
  assert.equal(addNumbers('1.5', '-2.25'), '-0.75')
  assert.equal(subtractNumbers('0', '-3.5'), '3.5')
  assert.equal(addNumbers('999999999999999', '999999999999999'), '1999999999999998')
  assert.equal(addNumbers('9'.repeat(37), '1'), '1' + '0'.repeat(37))
  assert.equal(addNumbers('1e-130', '1e-130'), '0.' + '0'.repeat(129) + '2')
  assert.equal(addNumbers('5e125', '-4e125'), '1' + '0'.repeat(125))
})

test('arithmetic results outside the limits are rejected', () => {
  assertRejects(() => addNumbers('9e125', '9e125'), overflow)
  assertRejects(() => subtractNumbers('9e125', '-9e125'), overflow)
  // DynamoDB reports a result that needs more than 38 digits as an overflow too.
  assertRejects(() => addNumbers('1e50', '1'), overflow)
  assertRejects(() => subtractNumbers('1e50', '1'), overflow)
  assertRejects(() => subtractNumbers('1.5e-130', '1.4e-130'), underflow)
})

test('add and subtract agree with BigInt on random integers', () => {
  const integer = fc.bigInt({ min: -(10n ** 37n), max: 10n ** 37n })
  fc.assert(fc.property(integer, integer, (a, b) => {
    assert.equal(addNumbers(a.toString(), b.toString()), (a + b).toString())
    assert.equal(subtractNumbers(a.toString(), b.toString()), (a - b).toString())
    const expected = a < b ? -1 : a > b ? 1 : 0
    assert.equal(compareNumbers(a.toString(), b.toString()), expected)
  }))
})

test('scaling by a power of ten keeps canonical text consistent', () => {
  fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: -60, max: 60 }), (mantissa, exponent) => {
    const canonical = parseNumber(`${mantissa}e${exponent}`)
    assert.equal(parseNumber(canonical), canonical)
    assert.equal(compareNumbers(canonical, `${mantissa}e${exponent}`), 0)
    assert.equal(parseNumber(`-${mantissa}e${exponent}`), `-${canonical}`)
  }))
})
