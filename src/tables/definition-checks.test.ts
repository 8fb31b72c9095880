/**
 * CreateTable's cross-member checks: each message is DynamoDB's text (learned from dynalite's
 * tests, which were recorded against DynamoDB, and from live reports), and the first failure
 * in DynamoDB's order is the one reported.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkTableDefinition } from './definition-checks.js'
import type { IndexInput, TableDefinitionInput } from './definition-checks.js'
import { ValidationException } from '../errors.js'

const throughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
const hashAndRange = {
  TableName: 'abc',
  AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' as const }, { AttributeName: 'b', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' as const }, { AttributeName: 'b', KeyType: 'RANGE' as const }],
  ProvisionedThroughput: throughput,
}

function index(name: string, keys: [string, 'HASH' | 'RANGE'][], projection: IndexInput['Projection'] = { ProjectionType: 'ALL' }): IndexInput {
  return {
    IndexName: name,
    KeySchema: keys.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
    Projection: projection,
    ProvisionedThroughput: throughput,
  }
}

function rejects(input: TableDefinitionInput, message: string): void {
  assert.throws(() => checkTableDefinition(input), (error: unknown) => {
    assert.ok(error instanceof ValidationException)
    assert.equal(error.message, message)
    return true
  })
}

test('a valid hash-and-range table passes', () => {
  checkTableDefinition(hashAndRange)
})

test('a single key missing from AttributeDefinitions lists both sides', () => {
  rejects({ ...hashAndRange, AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] },
    'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]')
})

test('two keys with a missing definition use the terse KeySchema message', () => {
  rejects({ ...hashAndRange, AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }] },
    'Invalid KeySchema: Some index key attribute have no definition')
})

test('hash and range with the same name', () => {
  rejects({ ...hashAndRange, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'a', KeyType: 'HASH' }] },
    'Both the Hash Key and the Range Key element in the KeySchema have the same name')
})

test('key types out of order', () => {
  rejects({ ...hashAndRange, KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }, { AttributeName: 'b', KeyType: 'HASH' }] },
    'Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
  rejects({ ...hashAndRange, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'HASH' }] },
    'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type')
})

test('billing mode and provisioned throughput must agree', () => {
  rejects({ ...hashAndRange, BillingMode: 'PAY_PER_REQUEST' },
    'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
  rejects({ ...hashAndRange, ProvisionedThroughput: undefined }, 'No provisioned throughput specified for the table')
  checkTableDefinition({ ...hashAndRange, ProvisionedThroughput: undefined, BillingMode: 'PAY_PER_REQUEST' })
})

test('capacity above DynamoDB bound', () => {
  rejects({ ...hashAndRange, ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 1 } },
    'Given value 1000000000001 for ReadCapacityUnits is out of bounds')
})

test('unused attribute definitions without indexes', () => {
  rejects({ ...hashAndRange, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] },
    'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions')
})

test('unused attribute definitions with indexes', () => {
  rejects({
    ...hashAndRange,
    AttributeDefinitions: [...hashAndRange.AttributeDefinitions, { AttributeName: 'c', AttributeType: 'N' }],
    GlobalSecondaryIndexes: [index('byB', [['b', 'HASH']])],
  }, 'One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, c], keys used: [a, b]')
})

test('duplicate attribute definitions', () => {
  rejects({ ...hashAndRange, AttributeDefinitions: [...hashAndRange.AttributeDefinitions, { AttributeName: 'a', AttributeType: 'N' }] },
    'Attribute Name is duplicated: a')
})

test('local secondary index rules', () => {
  rejects({ ...hashAndRange, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], LocalSecondaryIndexes: [index('lsi', [['a', 'HASH'], ['b', 'RANGE']])] },
    'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex')
  rejects({ ...hashAndRange, LocalSecondaryIndexes: [index('abc', [['b', 'HASH']])] },
    'One or more parameter values were invalid: Index KeySchema does not have a range key for index: abc')
  rejects({ ...hashAndRange, LocalSecondaryIndexes: [index('abc', [['b', 'HASH'], ['a', 'RANGE']])] },
    'One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a')
  rejects({ ...hashAndRange, LocalSecondaryIndexes: [] }, 'One or more parameter values were invalid: List of LocalSecondaryIndexes is empty')
  const six = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].map((name) => index(name, [['a', 'HASH'], ['b', 'RANGE']]))
  rejects({ ...hashAndRange, LocalSecondaryIndexes: six },
    'One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5')
})

test('projection rules', () => {
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: [index('abc', [['b', 'HASH']], {})] },
    'One or more parameter values were invalid: Unknown ProjectionType: null')
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: [index('abc', [['b', 'HASH']], { ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['x'] })] },
    'One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified')
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: [index('abc', [['b', 'HASH']], { ProjectionType: 'INCLUDE' })] },
    'One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified')
  const many = Array.from({ length: 101 }, (_, i) => `n${i}`)
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: [index('abc', [['b', 'HASH']], { ProjectionType: 'INCLUDE', NonKeyAttributes: many })] },
    'One or more parameter values were invalid: The sum of all NonKeyAttributes across all secondary indexes exceeds the limit of 100')
})

test('global secondary index rules', () => {
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: [index('abc', [['c', 'HASH']])] },
    'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [c], AttributeDefinitions: [a, b]')
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: [index('abc', [['b', 'HASH']]), index('abc', [['b', 'HASH']])] },
    'One or more parameter values were invalid: Duplicate index name: abc')
  rejects({ ...hashAndRange, LocalSecondaryIndexes: [index('abc', [['a', 'HASH'], ['b', 'RANGE']])], GlobalSecondaryIndexes: [index('abc', [['b', 'HASH']])] },
    'One or more parameter values were invalid: Duplicate index name: abc')
  const many = Array.from({ length: 21 }, (_, i) => index(`g${i}`, [['b', 'HASH']]))
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: many },
    'One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20')
})

test('GSI throughput follows the billing mode', () => {
  const onDemand = { ...hashAndRange, ProvisionedThroughput: undefined, BillingMode: 'PAY_PER_REQUEST' as const }
  rejects({ ...onDemand, GlobalSecondaryIndexes: [index('abc', [['b', 'HASH']])] },
    'One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: abc when BillingMode is PAY_PER_REQUEST')
  rejects({ ...hashAndRange, GlobalSecondaryIndexes: [{ ...index('abc', [['b', 'HASH']]), ProvisionedThroughput: undefined }] },
    'One or more parameter values were invalid: ProvisionedThroughput is not specified for index: abc')
  checkTableDefinition({ ...onDemand, GlobalSecondaryIndexes: [{ ...index('abc', [['b', 'HASH']]), ProvisionedThroughput: undefined }] })
})
