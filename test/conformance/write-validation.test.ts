/**
 * PutItem, UpdateItem and DeleteItem report request validation failures (expression problems,
 * placeholder maps, malformed Expected conditions, ReturnValues, bad attribute values) inside the
 * "1 validation error detected: " envelope, and a bad ExpressionAttributeValues value with its
 * reason alone. Failures that need the table (a key attribute in the update, an empty key
 * value) stay bare, as do reads and the transaction and batch write operations.
 * Source: an AWS-validated conformance suite (paritysuite/dynamodb-conformance, error-messages
 * deleteItem, putItem, updateItem and valueLayers cases, eu-west-2 and us-east-1, 2026-10-09).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand,
  UpdateItemCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { localDiffers, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createTable, startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => { ({ server, client, table } = await startKeyTableServer('write-validation')) })
after(async () => { await server?.close() })

const one = (message: string) => `1 validation error detected: ${message}`
const Key = { pk: { S: 'k' } }
const invalid = 'One or more parameter values were invalid: '

test('DeleteItem reports request validation inside the envelope', localDiffers('no "1 validation error detected" envelope'), async () => {
  const del = (input: object) => client.send(new DeleteItemCommand({ TableName: table, Key, ...input }))
  const condition = { ConditionExpression: 'attribute_exists(a)' }
  const cases: Array<[object, string]> = [
    [{ ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'ExpressionAttributeValues can only be specified when using expressions'],
    [{ ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
    [{ ...condition, ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'],
    [{ ...condition, ExpressionAttributeNames: {} }, 'ExpressionAttributeNames must not be empty'],
    [{ ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;'],
    [{ ReturnValues: 'ALL_NEW' }, 'ReturnValues can only be ALL_OLD or NONE'],
    [{ Expected: { a: { Exists: true } } }, `${invalid}Value must be provided when Exists is true for Attribute: a`],
    [{ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'x' }] } } },
      `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
  ]
  for (const [input, message] of cases) await expectError(del(input), 'ValidationException', one(message))
})

test('PutItem and UpdateItem report expression problems inside the envelope', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(client.send(new PutItemCommand({
    TableName: table, Item: Key, ExpressionAttributeValues: { ':v': { S: 'x' } },
  })), 'ValidationException', one('ExpressionAttributeValues can only be specified when using expressions'))
  await expectError(client.send(new UpdateItemCommand({
    TableName: table, Key, UpdateExpression: 'SET b = :w', ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':w': { S: 'x' } },
  })), 'ValidationException',
  one('Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'))
  // Needing the table, these stay bare.
  await expectError(client.send(new UpdateItemCommand({
    TableName: table, Key, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } },
  })), 'ValidationException', `${invalid}Cannot update attribute pk. This attribute is part of the key`)
})

test('attribute values: enveloped in single-item writes, bare elsewhere', localDiffers('no "1 validation error detected" envelope, and its number messages differ'), async () => {
  const bad = { N: 'abc' }
  const reason = 'The parameter cannot be converted to a numeric value: abc'
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { ...Key, n: bad } })), 'ValidationException', one(reason))
  await expectError(client.send(new DeleteItemCommand({ TableName: table, Key: { pk: bad } })), 'ValidationException', one(reason))
  await expectError(client.send(new DeleteItemCommand({
    TableName: table, Key, ConditionExpression: 'n = :v', ExpressionAttributeValues: { ':v': bad },
  })), 'ValidationException', one(reason))
  await expectError(client.send(new UpdateItemCommand({
    TableName: table, Key, AttributeUpdates: { n: { Action: 'PUT', Value: { N: '1e126' } } },
  })), 'ValidationException', one('Number overflow. Attempting to store a number with magnitude larger than supported range'))
  await expectError(client.send(new GetItemCommand({ TableName: table, Key: { pk: bad } })), 'ValidationException', reason)
  await expectError(client.send(new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :p', FilterExpression: 'n = :v', ExpressionAttributeValues: { ':p': Key.pk, ':v': bad },
  })), 'ValidationException', reason)
  await expectError(client.send(new BatchWriteItemCommand({
    RequestItems: { [table]: [{ PutRequest: { Item: { ...Key, n: bad } } }] },
  })), 'ValidationException', reason)
  await expectError(client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Update: { TableName: table, Key, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: { ':v': bad } } }],
  })), 'ValidationException', `ExpressionAttributeValues contains invalid value: ${reason} for key :v`)
})

// An empty TableName fails on its length alone, which is now 1 at least (DynamoDB accepts a table
// ARN there). A write that carries its item or key reports it alone, in DynamoDB's newer words
// (named 'TableName', not echoed), even beside a bad ReturnValues; without the key UpdateItem
// lists it with the other member failures in the older words (same suite, UpdateItem validation
// ordering and PutItem error messages, 2026-10-09, and its cross-region capture: 31 of 33 regions).
test('an empty TableName is shorter than 1 character', localDiffers('it reports any bad name as "Invalid table/index name"'), async () => {
  const newerEmptyName = one("Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1")
  await expectError(client.send(new UpdateItemCommand({ TableName: '', Key: {} })), 'ValidationException', newerEmptyName)
  await expectError(client.send(new PutItemCommand({ TableName: '', Item: Key, ReturnValues: 'INVALID' as never })),
    'ValidationException', newerEmptyName)
  await expectError(client.send(new DeleteItemCommand({ TableName: '', Key: {} })), 'ValidationException', newerEmptyName)
  const emptyName = "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"
  await expectError(client.send(new UpdateItemCommand({
    TableName: '', UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } },
  } as never)), 'ValidationException',
  `2 validation errors detected: ${emptyName}; Value null at 'key' failed to satisfy constraint: Member must not be null`)
  await expectError(client.send(new PutItemCommand({ TableName: 'a'.repeat(256), Item: Key })), 'ValidationException',
    one(`Value '${'a'.repeat(256)}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`))
  await expectError(client.send(new PutItemCommand({ TableName: 'bad table!@#', Item: Key })), 'ValidationException',
    one("Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"))
})

// DynamoDB's newer validation words an unknown ReturnValues without value or member and with its
// own enum (UPDATE_NEW, sic). UpdateItem reports it alone, ahead of an unknown
// ReturnConsumedCapacity; PutItem and DeleteItem list it among the other violations (same suite's
// cross-region capture and registry row update-item-validation-error-aggregation, 31 of 33
// regions). A request with a value nested past about 62 levels is read the older way and gets the
// older words (the same suite's deep-request DeleteItem cases: 40 levels newer, 63 older).
test('an unknown ReturnValues in the newer words', localDiffers('it lists every enum in the older words'), async () => {
  const newerReturnValues = 'Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]'
  const badCapacity = "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
  const invalid = { ReturnValues: 'INVALID' as never, ReturnConsumedCapacity: 'INVALID' as never }
  await expectError(client.send(new UpdateItemCommand({ TableName: table, Key, ...invalid })), 'ValidationException', one(newerReturnValues))
  await expectError(client.send(new DeleteItemCommand({ TableName: table, Key, ...invalid })), 'ValidationException',
    `2 validation errors detected: ${badCapacity}; ${newerReturnValues}`)
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: Key, ...invalid, ReturnItemCollectionMetrics: 'INVALID' as never })),
    'ValidationException', `3 validation errors detected: ${badCapacity}; ${newerReturnValues}; ` +
    "Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]")
  const deleteWith = (depth: number) => {
    let deep: AttributeValue = { S: 'leaf' }
    for (let level = 0; level < depth; level++) deep = { M: { n: deep } }
    return client.send(new DeleteItemCommand({
      TableName: table, Key, ReturnValues: 'BOGUS' as never,
      ConditionExpression: '#d = :deep', ExpressionAttributeNames: { '#d': 'd' }, ExpressionAttributeValues: { ':deep': deep },
    }))
  }
  await expectError(deleteWith(40), 'ValidationException', one(newerReturnValues))
  await expectError(deleteWith(63), 'ValidationException',
    one("Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"))
})

// The current layer (single-item writes, GetItem, BatchGetItem, Query) quotes a duplicate set's
// members, those before the first repeat in byte order, and keeps ': ' after an empty number;
// BatchWriteItem and the transactions keep the older wording (same suite, valueLayers).
test('duplicate set members and empty numbers in each layer', localDiffers('no "1 validation error detected" envelope, and its set messages differ'), async () => {
  const dupes = [
    { SS: ['b', 'a', 'b'] },
    { BS: [Buffer.from('/w==', 'base64'), Buffer.from('AA==', 'base64'), Buffer.from('AA==', 'base64')] },
    { NS: ['2', '1', '2'] },
  ]
  const current = [
    `${invalid}Input collection ["a", "b", "b"] contains duplicates.`,
    `${invalid}Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`,
    `${invalid}Input collection contains duplicates.`,
  ]
  const older = [
    `${invalid}Input collection [b, a, b] contains duplicates.`,
    `${invalid}Input collection [/w==, AA==, AA==]of type BS contains duplicates.`,
    'Input collection contains duplicates',
  ]
  for (const [index, set] of dupes.entries()) {
    await expectError(client.send(new PutItemCommand({ TableName: table, Item: { ...Key, s: set } })), 'ValidationException', one(current[index]!))
    await expectError(client.send(new GetItemCommand({ TableName: table, Key: { pk: set } })), 'ValidationException', current[index])
    await expectError(client.send(new BatchWriteItemCommand({
      RequestItems: { [table]: [{ PutRequest: { Item: { ...Key, s: set } } }] },
    })), 'ValidationException', older[index])
  }
  // The older layer reads 1e2147483647 as Java's BigDecimal does: its adjusted exponent wraps.
  const hugeExponent = { N: '1e2147483647' }
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { ...Key, n: hugeExponent } })), 'ValidationException',
    one('Number overflow. Attempting to store a number with magnitude larger than supported range'))
  await expectError(client.send(new BatchWriteItemCommand({
    RequestItems: { [table]: [{ PutRequest: { Item: { ...Key, n: hugeExponent } } }] },
  })), 'ValidationException', 'Number underflow. Attempting to store a number with magnitude smaller than supported range')
  const emptyNumber = { N: '' }
  await expectError(client.send(new DeleteItemCommand({ TableName: table, Key: { pk: emptyNumber } })), 'ValidationException',
    one('The parameter cannot be converted to a numeric value: '))
  await expectError(client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: table, Item: { ...Key, n: emptyNumber } } }],
  })), 'ValidationException', 'The parameter cannot be converted to a numeric value')
})

// DynamoDB checks an item's index keys index by index in name order, local and global together, so
// an attribute that keys several indexes is reported under the first name: an AWS-validated
// suite's index key messages (nubo-db/dynamodb-conformance, tier3 indexKeyValues, four regions,
// 2026-06) name gsi1 for an attribute keying lsi1, gsi1 and gsi2.
test('an index key problem names the first index, in name order, that the attribute keys', async () => {
  const indexed = await createTable(client, {
    TableName: uniqueTableName('index-key-order'),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'lsi1sk', AttributeType: 'S' },
    ],
    LocalSecondaryIndexes: [{
      IndexName: 'lsi1', Projection: { ProjectionType: 'ALL' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsi1sk', KeyType: 'RANGE' }],
    }],
    GlobalSecondaryIndexes: ['gsi2', 'gsi1'].map((IndexName) => ({
      IndexName, Projection: { ProjectionType: 'KEYS_ONLY' as const }, KeySchema: [{ AttributeName: 'lsi1sk', KeyType: 'HASH' as const }],
    })),
  })
  const TableName = indexed.TableName!
  const item = (lsi1sk: AttributeValue) => ({ pk: { S: 'p' }, sk: { S: 's' }, lsi1sk })
  const mismatch = (actual: string) => `${invalid}Type mismatch for Index Key lsi1sk Expected: S Actual: ${actual} IndexName: gsi1`
  const empty = 'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
    'The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: lsi1sk'
  const batch = (value: AttributeValue) => client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: item(value) } }] } }))

  await expectError(batch({ N: '5' }), 'ValidationException', mismatch('N'))
  await expectError(batch({ L: [{ S: 'x' }] }), 'ValidationException', mismatch('L'))
  await expectError(batch({ S: '' }), 'ValidationException', empty)
  await expectError(client.send(new PutItemCommand({ TableName, Item: item({ N: '5' }) })), 'ValidationException', mismatch('N'))
  const cancelled = await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: item({ N: '5' }) } }] })),
    'TransactionCanceledException')
  assert.deepEqual(cancelled.CancellationReasons, [{ Code: 'ValidationError', Message: mismatch('N') }])
  assert.equal((await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'p' }, sk: { S: 's' } } }))).Item, undefined)
})
