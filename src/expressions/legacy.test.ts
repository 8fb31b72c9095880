// The legacy parameters (Expected, QueryFilter/ScanFilter, KeyConditions, AttributeUpdates)
// become the same trees as expressions, with DynamoDB's own messages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ValidationException } from '../errors.js'
import type { Item } from '../values/types.js'
import {
  applyUpdate, conditionFromExpected, conditionFromFilter, evaluateCondition, keyConditionFromKeyConditions,
  updateFromAttributeUpdates,
} from './index.js'

const item: Item = { a: { S: 'apple' }, n: { N: '5' }, ss: { SS: ['x', 'y'] }, l: { L: [{ S: 'x' }] } }

function rejects(action: () => unknown, message: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof ValidationException, String(error))
    assert.equal(error.message, message)
    return true
  })
}

const filter = (attribute: string, ComparisonOperator: string, AttributeValueList?: unknown[]) =>
  evaluateCondition(conditionFromFilter({ [attribute]: { ComparisonOperator, AttributeValueList } }, undefined, 'ScanFilter'), item)

test('Expected with Value and Exists', () => {
  assert.equal(evaluateCondition(conditionFromExpected({ a: { Value: { S: 'apple' } } }), item), true)
  assert.equal(evaluateCondition(conditionFromExpected({ a: { Value: { S: 'pear' }, Exists: true } }), item), false)
  assert.equal(evaluateCondition(conditionFromExpected({ z: { Exists: false } }), item), true)
  assert.equal(evaluateCondition(conditionFromExpected({ a: { Exists: false } }), item), false)
  assert.equal(evaluateCondition(conditionFromExpected({ a: { Exists: false } }), undefined), true)
})

test('Expected combines attributes with ConditionalOperator', () => {
  const expected = { a: { Value: { S: 'apple' } }, n: { Value: { N: '6' } } }
  assert.equal(evaluateCondition(conditionFromExpected(expected), item), false)
  assert.equal(evaluateCondition(conditionFromExpected(expected, 'OR'), item), true)
})

test('Expected validation messages', () => {
  const invalid = 'One or more parameter values were invalid: '
  rejects(() => conditionFromExpected({ a: { Value: { S: 'x' }, AttributeValueList: [{ S: 'x' }] } }),
    `${invalid}Value and AttributeValueList cannot be used together for Attribute: a`)
  rejects(() => conditionFromExpected({ a: { AttributeValueList: [{ S: 'x' }] } }),
    `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`)
  rejects(() => conditionFromExpected({ a: { Exists: false, Value: { S: 'x' } } }),
    `${invalid}Value cannot be used when Exists is false for Attribute: a`)
  rejects(() => conditionFromExpected({ a: { Exists: true } }), `${invalid}Value must be provided when Exists is true for Attribute: a`)
  rejects(() => conditionFromExpected({ a: {} }), `${invalid}Value must be provided when Exists is null for Attribute: a`)
  rejects(() => conditionFromExpected({ a: { Exists: true, ComparisonOperator: 'NULL' } }),
    `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: a`)
  rejects(() => conditionFromExpected({ a: { ComparisonOperator: 'EQ' } }),
    `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`)
})

test('every comparison operator', () => {
  assert.equal(filter('a', 'EQ', [{ S: 'apple' }]), true)
  assert.equal(filter('a', 'NE', [{ S: 'apple' }]), false)
  assert.equal(filter('absent', 'NE', [{ S: 'apple' }]), true)
  assert.equal(filter('n', 'LE', [{ N: '5' }]), true)
  assert.equal(filter('n', 'LT', [{ N: '5' }]), false)
  assert.equal(filter('n', 'GE', [{ N: '6' }]), false)
  assert.equal(filter('n', 'GT', [{ N: '4' }]), true)
  assert.equal(filter('n', 'GT', [{ S: '4' }]), false, 'a stored value of another type')
  assert.equal(filter('a', 'NOT_NULL'), true)
  assert.equal(filter('a', 'NULL'), false)
  assert.equal(filter('absent', 'NULL'), true)
  assert.equal(filter('ss', 'CONTAINS', [{ S: 'y' }]), true)
  assert.equal(filter('a', 'CONTAINS', [{ S: 'ppl' }]), true)
  assert.equal(filter('ss', 'NOT_CONTAINS', [{ S: 'y' }]), false)
  assert.equal(filter('l', 'NOT_CONTAINS', [{ S: 'z' }]), true)
  assert.equal(filter('a', 'BEGINS_WITH', [{ S: 'app' }]), true)
  assert.equal(filter('n', 'IN', [{ N: '1' }, { N: '5' }]), true)
  assert.equal(filter('n', 'BETWEEN', [{ N: '1' }, { N: '4' }]), false)
  assert.equal(filter('n', 'BETWEEN', [{ N: '5' }, { N: '9' }]), true)
})

test('comparison operator arity and types', () => {
  const invalid = 'One or more parameter values were invalid: '
  rejects(() => filter('a', 'NULL', [{ S: 'x' }]), `${invalid}Invalid number of argument(s) for the NULL ComparisonOperator`)
  rejects(() => filter('a', 'BETWEEN', [{ S: 'x' }]), `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`)
  rejects(() => filter('a', 'IN', []), `${invalid}Invalid number of argument(s) for the IN ComparisonOperator`)
  rejects(() => filter('a', 'LT', [{ SS: ['x'] }]), `${invalid}ComparisonOperator LT is not valid for SS AttributeValue type`)
  rejects(() => filter('a', 'BEGINS_WITH', [{ N: '1' }]), `${invalid}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`)
  rejects(() => filter('a', 'BETWEEN', [{ N: '1' }, { S: 'x' }]), `${invalid}AttributeValues inside AttributeValueList must be of same type`)
  rejects(() => filter('a', 'BETWEEN', [{ N: '9' }, { N: '1' }]),
    'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound')
  rejects(() => conditionFromFilter({ a: {} }, undefined, 'QueryFilter'),
    "1 validation error detected: Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null")
})

test('KeyConditions allow only indexable operators', () => {
  assert.deepEqual(keyConditionFromKeyConditions({
    pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] },
    sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] },
  }).conditions, [
    { attribute: 'pk', condition: { op: 'EQ', value: { S: 'p' } } },
    { attribute: 'sk', condition: { op: 'BETWEEN', low: { N: '1' }, high: { N: '2' } } },
  ])
  // Refused later, by matchKeyCondition, once the table and its key are known.
  assert.equal(keyConditionFromKeyConditions({ pk: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'p' }] } }).unindexable, true)
  rejects(() => keyConditionFromKeyConditions({ pk: { ComparisonOperator: 'EQ', AttributeValueList: [] } }),
    'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator')
})

test('AttributeUpdates: PUT, ADD, DELETE', () => {
  const plan = updateFromAttributeUpdates({
    a: { Value: { S: 'new' } }, n: { Action: 'ADD', Value: { N: '1' } }, ss: { Action: 'DELETE', Value: { SS: ['x'] } },
    l: { Action: 'DELETE' }, c: { Action: 'ADD', Value: { NS: ['1'] } },
  })
  assert.deepEqual(applyUpdate(plan, item).item, { a: { S: 'new' }, n: { N: '6' }, ss: { SS: ['y'] }, c: { NS: ['1'] } })
  rejects(() => applyUpdate(updateFromAttributeUpdates({ a: { Action: 'ADD', Value: { N: '1' } } }), item),
    'Type mismatch for attribute to update')
})

test('AttributeUpdates validation messages', () => {
  const invalid = 'One or more parameter values were invalid: '
  rejects(() => updateFromAttributeUpdates({ a: { Action: 'PUT' } }), `${invalid}Only DELETE action is allowed when no attribute value is specified`)
  rejects(() => updateFromAttributeUpdates({ a: { Action: 'ADD', Value: { S: 'x' } } }), `${invalid}ADD action is not supported for the type S`)
  rejects(() => updateFromAttributeUpdates({ a: { Action: 'DELETE', Value: { N: '1' } } }),
    `${invalid}DELETE action with value is not supported for the type N`)
})
