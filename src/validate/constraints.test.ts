/**
 * Step 2: declarative constraints, reported together in DynamoDB's member order with Java-style
 * values and lowerCamelCase paths, at most ten of them.
 */
import { test } from 'node:test'
import { assertValidation, violations } from './test-helpers.js'

const notNull = (path: string) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`

test('one violation is singular, several are listed in member order', () => {
  assertValidation('BatchGetItem', {}, violations(notNull('requestItems')))
  assertValidation('PutItem', {}, violations(notNull('tableName'), notNull('item')))
  assertValidation('PutItem', {
    TableName: 'abc;', ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi', ReturnValues: 'hi',
  }, violations(
    "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]',
    "Value 'abc;' at 'tableName' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+',
    notNull('item'),
    "Value 'hi' at 'returnValues' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]',
    "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [SIZE, NONE]',
  ))
})

test('a member reports pattern before length', () => {
  // A data-plane TableName may be 1 character long (it may be an ARN in DynamoDB); an empty one
  // fails on length alone (an AWS-validated suite, 2026-10-09).
  assertValidation('PutItem', { TableName: '' }, violations(
    "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    notNull('item'),
  ))
  assertValidation('ListStreams', { TableName: 'a;' }, violations(
    "Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  ))
  const long = 'a'.repeat(256)
  assertValidation('PutItem', { TableName: long }, violations(
    `Value '${long}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    notNull('item'),
  ))
})

test('numbers, lists and nested paths render the Java way', () => {
  assertValidation('CreateTable', {
    TableName: 'abc', AttributeDefinitions: [], KeySchema: [],
    ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: -1 },
  }, violations(
    "Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 1',
    "Value '-1' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 1',
    "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ))
  assertValidation('CreateTable', {
    TableName: 'abc', AttributeDefinitions: [], BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ KeyType: 'HASH' }, { AttributeName: 'a' }, { KeyType: 'Woop', AttributeName: 'a' }],
  }, violations(
    // KeySchema echoes as DynamoDB's newer model classes print, every field (an AWS-validated
    // suite's cross-region capture, 2026).
    "Value '[KeySchemaElement(attributeName=null, keyType=HASH), KeySchemaElement(attributeName=a, keyType=null), " +
      "KeySchemaElement(attributeName=a, keyType=Woop)]' at 'keySchema' " +
      'failed to satisfy constraint: Member must have length less than or equal to 2',
    notNull('keySchema.1.member.attributeName'),
    notNull('keySchema.2.member.keyType'),
    "Value 'Woop' at 'keySchema.3.member.keyType' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [HASH, RANGE]',
  ))
})

test('map keys and values are checked as a whole, and map entries by key', () => {
  const keyRules = 'Map keys must satisfy constraint: [Member must have length less than or equal to 255, ' +
    'Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]'
  // DynamoDB now answers an empty RequestItems, and an empty Keys, in its newer validation's words,
  // naming the member without echoing it (an AWS-validated suite, 2026), not with the echoed
  // length constraints dynalite recorded. Those come after the checks of the whole map.
  const emptyRequestItems = "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: " +
    'Member must have length greater than or equal to 1'
  assertValidation('BatchGetItem', { RequestItems: {} }, emptyRequestItems)
  assertValidation('BatchWriteItem', { RequestItems: {} }, emptyRequestItems)
  // BatchGetItem echoes its RequestItems as JSON (an AWS-validated suite, two regions).
  assertValidation('BatchGetItem', { RequestItems: { a: { Keys: [] } } }, violations(
    `Value '{"a":{"Keys":[]}}' at 'requestItems' failed to satisfy constraint: ${keyRules}`,
  ))
  assertValidation('BatchGetItem', { RequestItems: { abc: { Keys: [] } } },
    "1 validation error detected: Value at 'RequestItems.abc.member.Keys' failed to satisfy constraint: " +
    'Member must have length greater than or equal to 1')
  assertValidation('BatchWriteItem', { RequestItems: { a: [] } }, violations(
    `Value '{a=[]}' at 'requestItems' failed to satisfy constraint: ${keyRules}`,
    "Value '{a=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: " +
      '[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]',
  ))
  assertValidation('BatchWriteItem', { RequestItems: { 'aa;': [{ PutRequest: {}, DeleteRequest: {} }] } }, violations(
    // So does BatchWriteItem's RequestItems, fields the request cannot set among them.
    "Value '{aa;=[WriteRequest(putRequest=PutRequest(item=null, workloadProfileName=null), " +
      `deleteRequest=DeleteRequest(key=null, workloadProfileName=null))]}' at 'requestItems' failed to satisfy constraint: ${keyRules}`,
    notNull('requestItems.aa;.member.1.member.deleteRequest.key'),
    notNull('requestItems.aa;.member.1.member.putRequest.item'),
  ))
})

test('no more than ten violations are collected or counted', () => {
  const definitions = Array.from({ length: 6 }, () => ({}))
  const lines: string[] = []
  for (let index = 1; index <= 5; index++) {
    lines.push(notNull(`attributeDefinitions.${index}.member.attributeName`))
    lines.push(notNull(`attributeDefinitions.${index}.member.attributeType`))
  }
  assertValidation('CreateTable', { TableName: 'abc', AttributeDefinitions: definitions }, violations(...lines))
})
