/** Validation of table-level operations: the TableName pre-check and CreateTable's key rules. */
import { test } from 'node:test'
import { assertValid, assertValidation, violations } from './test-helpers.js'

const invalid = 'One or more parameter values were invalid: '
const table = {
  TableName: 'abc',
  AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'N' }],
  KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }],
  BillingMode: 'PAY_PER_REQUEST',
}

test('control-plane operations check TableName presence and length before anything else', () => {
  for (const operation of ['CreateTable', 'DeleteTable', 'DescribeTable', 'UpdateTable', 'DescribeTimeToLive']) {
    assertValidation(operation, {}, "The parameter 'TableName' is required but was not present in the request")
    // Only TableName's own violations, ahead of every other member's (an AWS-validated suite).
    assertValidation(operation, { TableName: 'a;' }, violations(
      "Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    ))
  }
  assertValidation('CreateTable', { TableName: 'abc;' }, violations(
    "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
    "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    "Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
  ))
  assertValid('DescribeTable', { TableName: 'abc' })
})

test('CreateTable: billing mode and throughput', () => {
  const { BillingMode: _billing, ...provisioned } = table
  assertValidation('CreateTable', provisioned,
    `${invalid}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`)
  assertValidation('CreateTable', { ...table, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
    `${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`)
  assertValidation('CreateTable', { ...provisioned,
    ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 1000000000001 } },
  'Given value 1000000000001 for ReadCapacityUnits is out of bounds')
  assertValid('CreateTable', table)
})

test('CreateTable: key schema against attribute definitions', () => {
  assertValidation('CreateTable', { ...table, AttributeDefinitions: [] },
    'Invalid KeySchema: Some index key attribute have no definition')
  assertValidation('CreateTable', { ...table, KeySchema: [{ AttributeName: 'c', KeyType: 'HASH' }] },
    `${invalid}Some index key attributes are not defined in AttributeDefinitions. Keys: [c], AttributeDefinitions: [a, b]`)
  assertValidation('CreateTable', { ...table, KeySchema: [table.KeySchema[1], table.KeySchema[0]] },
    'Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
  assertValidation('CreateTable', { ...table, KeySchema: [table.KeySchema[0]] },
    `${invalid}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`)
})

test('CreateTable: secondary indexes', () => {
  const index = { IndexName: 'idx', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }
  assertValidation('CreateTable', { ...table, GlobalSecondaryIndexes: [] }, `${invalid}List of GlobalSecondaryIndexes is empty`)
  assertValidation('CreateTable', { ...table, GlobalSecondaryIndexes: [index, index] }, `${invalid}Duplicate index name: idx`)
  assertValidation('CreateTable', { ...table, GlobalSecondaryIndexes: [{ ...index, Projection: {} }] },
    `${invalid}Unknown ProjectionType: null`)
  assertValidation('CreateTable', { ...table, LocalSecondaryIndexes: [index] },
    `${invalid}Index KeySchema does not have a range key for index: idx`)
  assertValid('CreateTable', { ...table, GlobalSecondaryIndexes: [index] })
  // A GSI's violations come before an LSI's, whatever the request's order (an AWS-validated suite).
  const tooShort = (name: string, list: string) =>
    `Value '${name}' at '${list}.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3`
  assertValidation('CreateTable', { ...table, LocalSecondaryIndexes: [{ ...index, IndexName: 'aa' }], GlobalSecondaryIndexes: [{ ...index, IndexName: 'zz' }] },
    violations(tooShort('zz', 'globalSecondaryIndexes'), tooShort('aa', 'localSecondaryIndexes')))
})

test('UpdateTable needs something to change; GSI updates name one action per index', () => {
  assertValidation('UpdateTable', { TableName: 'abc' },
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ' +
    'ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, ' +
    'OnDemandThroughput, WarmThroughput or TableClass is required')
  assertValidation('UpdateTable', { TableName: 'abc', GlobalSecondaryIndexUpdates: [{}] },
    `${invalid}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, ` +
    'GlobalSecondaryIndexUpdate.Delete must not be null')
  assertValidation('UpdateTable', { TableName: 'abc', GlobalSecondaryIndexUpdates: [
    { Delete: { IndexName: 'idx' } }, { Delete: { IndexName: 'idx' } }] },
  `${invalid}Only one global secondary index update per index is allowed simultaneously. Index: idx`)
  assertValid('UpdateTable', { TableName: 'abc', BillingMode: 'PAY_PER_REQUEST' })
})

test('ListTables, TTL and tags', () => {
  assertValidation('ListTables', { Limit: 101, ExclusiveStartTableName: 'a;' }, violations(
    "Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+',
    "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: " +
      'Member must have length greater than or equal to 3',
  ))
  assertValidation('UpdateTimeToLive', { TableName: 'abc' }, violations(
    "Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null"))
  assertValidation('UpdateTimeToLive', { TableName: 'abc', TimeToLiveSpecification: { AttributeName: '', Enabled: true } },
    "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1")
  assertValidation('TagResource', {}, 'Invalid TableArn')
  const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/abc'
  assertValidation('TagResource', { ResourceArn: arn },
    "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
  assertValidation('TagResource', { ResourceArn: arn, Tags: [] }, 'Atleast one Tag needs to be provided as Input.')
  assertValidation('ListTagsOfResource', { ResourceArn: 'arn:aws:dynamodb:us-east-1:1:tablex/abc' },
    'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:1:tablex/abc')
  assertValid('DescribeLimits', {})
  assertValid('DescribeEndpoints', {})
})

// An index projects at most 20 NonKeyAttributes, a constraint of the list itself (an API-quirks
// lab finding verified against DynamoDB, 2026); the sum over all indexes has its own limit of 100.
test('an index projects at most 20 NonKeyAttributes', () => {
  const index = (count: number) => ({
    ...table,
    GlobalSecondaryIndexes: [{
      IndexName: 'byB', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: Array.from({ length: count }, (_, i) => `n${i}`) },
    }],
  })
  assertValid('CreateTable', index(20))
  assertValidation('CreateTable', index(21), violations(
    `Value '[${Array.from({ length: 21 }, (_, i) => `n${i}`).join(', ')}]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' ` +
    'failed to satisfy constraint: Member must have length less than or equal to 20',
  ))
})
