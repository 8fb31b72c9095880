import { test } from 'node:test'
import assert from 'node:assert/strict'
import { conditionHolds, parseConditionOperator } from './policy-conditions.js'

/** Whether `operator` with the statement's `values` holds for a request with `request` (undefined: key absent). */
function holds(operator: string, values: string[], request: string[] | undefined): boolean {
  const parsed = parseConditionOperator(operator)
  assert.ok(parsed, `${operator} is an operator`)
  return conditionHolds(parsed, values, request)
}

test('operators IAM does not have are refused, in any form', () => {
  for (const name of ['StringEqualz', 'stringequals', 'ForSomeValues:StringEquals', 'NullIfExists', 'NumericNotLessThan', 'StringEqualsIfExistsIfExists', '']) {
    assert.equal(parseConditionOperator(name), undefined, name)
  }
})

test('string operators: exact, ignoring case, and globs; a negated one holds for a value matching none', () => {
  assert.equal(holds('StringEquals', ['a', 'b'], ['b']), true)
  assert.equal(holds('StringEquals', ['a'], ['A']), false)
  assert.equal(holds('StringEqualsIgnoreCase', ['a'], ['A']), true)
  assert.equal(holds('StringNotEqualsIgnoreCase', ['a'], ['A']), false)
  assert.equal(holds('StringNotEquals', ['a', 'b'], ['c']), true)
  assert.equal(holds('StringNotEquals', ['a', 'b'], ['b']), false)
  assert.equal(holds('StringLike', ['tenant-*'], ['tenant-42']), true)
  assert.equal(holds('StringLike', ['tenant-?'], ['tenant-42']), false)
  assert.equal(holds('StringNotLike', ['tenant-*'], ['other']), true)
})

test('a missing key: positive operators fail, negated ones and IfExists hold, Null says which', () => {
  assert.equal(holds('StringEquals', ['a'], undefined), false)
  assert.equal(holds('StringNotEquals', ['a'], undefined), true)
  assert.equal(holds('StringEqualsIfExists', ['a'], undefined), true)
  assert.equal(holds('StringEqualsIfExists', ['a'], ['b']), false)
  assert.equal(holds('NumericLessThanIfExists', ['5'], undefined), true)
  assert.equal(holds('Null', ['true'], undefined), true)
  assert.equal(holds('Null', ['true'], ['x']), false)
  assert.equal(holds('Null', ['false'], ['x']), true)
  assert.equal(holds('Null', ['false'], undefined), false)
})

test('qualifiers over keys with several values', () => {
  assert.equal(holds('ForAllValues:StringEquals', ['a', 'b'], ['a', 'b']), true)
  assert.equal(holds('ForAllValues:StringEquals', ['a', 'b'], ['a', 'c']), false)
  assert.equal(holds('ForAllValues:StringEquals', ['a'], undefined), true, 'no values: every one of them matches')
  assert.equal(holds('ForAnyValue:StringEquals', ['a'], ['c', 'a']), true)
  assert.equal(holds('ForAnyValue:StringEquals', ['a'], undefined), false)
  assert.equal(holds('ForAllValues:StringNotEquals', ['secret'], ['a', 'b']), true)
  assert.equal(holds('ForAllValues:StringNotEquals', ['secret'], ['a', 'secret']), false)
  assert.equal(holds('ForAnyValue:StringNotLike', ['s*'], ['secret', 'a']), true)
  // Without a qualifier every value must satisfy the operator.
  assert.equal(holds('StringEquals', ['a'], ['a', 'b']), false)
})

test('numbers, dates and booleans compare as IAM reads them', () => {
  assert.equal(holds('NumericLessThan', ['10'], ['9.5']), true)
  assert.equal(holds('NumericLessThan', ['10'], ['10']), false)
  assert.equal(holds('NumericLessThanEquals', ['10'], ['10']), true)
  assert.equal(holds('NumericGreaterThan', ['1e3'], ['1001']), true)
  assert.equal(holds('NumericEquals', ['3'], ['three']), false, 'a value that is not a number matches no number')
  assert.equal(holds('NumericNotEquals', ['3'], ['4']), true)
  assert.equal(holds('DateGreaterThan', ['2020-01-01T00:00:00Z'], ['2026-12-06T10:00:00Z']), true)
  assert.equal(holds('DateLessThan', ['2020-01-01T00:00:00Z'], ['2026-12-06T10:00:00Z']), false)
  assert.equal(holds('DateEquals', ['1577836800'], ['2020-01-01T00:00:00Z']), true, 'epoch seconds and ISO 8601 are the same instant')
  assert.equal(holds('DateLessThanEquals', ['not a date'], ['2020-01-01T00:00:00Z']), false)
  assert.equal(holds('Bool', ['false'], ['false']), true)
  assert.equal(holds('Bool', ['true'], ['false']), false)
  assert.equal(holds('BoolIfExists', ['true'], undefined), true)
})

test('addresses in CIDR blocks, of either family', () => {
  assert.equal(holds('IpAddress', ['127.0.0.0/8'], ['127.0.0.1']), true)
  assert.equal(holds('IpAddress', ['10.0.0.0/8', '192.168.1.7'], ['192.168.1.7']), true)
  assert.equal(holds('IpAddress', ['10.0.0.0/8'], ['127.0.0.1']), false)
  assert.equal(holds('NotIpAddress', ['10.0.0.0/8'], ['127.0.0.1']), true)
  assert.equal(holds('IpAddress', ['::1/128'], ['::1']), true)
  assert.equal(holds('IpAddress', ['127.0.0.0/8'], ['::1']), false, 'an IPv6 address is in no IPv4 block')
  assert.equal(holds('IpAddress', ['127.0.0.0/33'], ['127.0.0.1']), false, 'a prefix too long names no block')
})

test('ARNs match part by part: a wildcard does not reach across a colon', () => {
  const arn = 'arn:aws:iam::111122223333:user/AKIDALICE'
  assert.equal(holds('ArnLike', ['arn:aws:iam::*:user/*'], [arn]), true)
  assert.equal(holds('ArnEquals', ['arn:aws:iam::111122223333:user/AKID*'], [arn]), true)
  assert.equal(holds('ArnLike', ['arn:aws:*'], [arn]), false, 'arn:aws:* has too few parts to be an ARN pattern')
  assert.equal(holds('ArnLike', ['arn:aws:iam::444455556666:*'], [arn]), false)
  assert.equal(holds('ArnNotLike', ['arn:aws:iam::444455556666:*'], [arn]), true)
  assert.equal(holds('ArnLike', ['arn:aws:iam::*:user/*'], ['not-an-arn']), false)
})
