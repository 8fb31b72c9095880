/**
 * Size and name limits that AWS-validated suites record: BatchGetItem's 16 MB reply, attribute
 * name lengths (255 characters for key and projected names, 65535 bytes for the rest), the
 * expression placeholder limits, and where an ExclusiveStartKey may point.
 * Sources: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html,
 * ScyllaDB Alternator's test_limits.py and test_scan.py, dynalite's query tests, and ExtendDB's
 * dual-target test_expression_attribute_map_validation.py (all run against DynamoDB).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, ExecuteStatementCommand, GetItemCommand, PutItemCommand, ScanCommand,
  TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable, createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
let sortedTable: string
before(async () => {
  server = await startTestServer()
  client = server.client
  table = await createKeyTable(client, 'limits')
  sortedTable = await createKeyTable(client, 'limits-sorted', 'N')
})
after(async () => { await server?.close() })

type Attributes = Record<string, AttributeValue>

// "A single BatchGetItem operation can retrieve up to 16 MB of data": once the next item would
// take the reply past 16 MB, it and the keys after it come back in UnprocessedKeys, and retrying
// them returns the rest (60 items of 390 KB: at most 42 fit in 16 MiB).
test('BatchGetItem returns at most 16 MB and leaves the rest unprocessed', async () => {
  const bigTable = await createKeyTable(client, 'limits-batch')
  const keys = Array.from({ length: 60 }, (_, index) => ({ pk: { S: `big${index}` } }))
  for (const key of keys) {
    await client.send(new PutItemCommand({ TableName: bigTable, Item: { ...key, blob: { S: 'x'.repeat(390 * 1024 - 20) } } }))
  }
  const first = await client.send(new BatchGetItemCommand({ RequestItems: { [bigTable]: { Keys: keys } } }))
  const returned = first.Responses![bigTable]!.length
  const unprocessed = first.UnprocessedKeys![bigTable]!.Keys!
  assert.ok(returned > 0 && returned <= 42, `returned ${returned}`)
  assert.equal(returned + unprocessed.length, 60)
  const second = await client.send(new BatchGetItemCommand({ RequestItems: { [bigTable]: { Keys: unprocessed } } }))
  assert.equal(second.Responses![bigTable]!.length, unprocessed.length)
  assert.deepEqual(second.UnprocessedKeys, {})
  const seen = new Set([...first.Responses![bigTable]!, ...second.Responses![bigTable]!].map((item) => item.pk!.S))
  assert.equal(seen.size, 60)
})

const tooLongName = 'n'.repeat(65536)

// Attribute names may have 65535 bytes; 65536 is rejected wherever a name appears: in an item
// (also inside a nested map), an update, a projection or AttributesToGet (Alternator's
// test_limit_attribute_length_nonkey_good/_bad; the message as ExtendDB measured it).
test('attribute names may have up to 65535 bytes', localDiffers('it answers 500 InternalFailure'), async () => {
  const key = { pk: { S: 'names' } }
  const longestName = tooLongName.slice(1)
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, [longestName]: { N: '1' } } }))
  const { Item } = await client.send(new GetItemCommand({
    TableName: table, Key: key, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': longestName },
  }))
  assert.deepEqual(Item, { [longestName]: { N: '1' } })
  const message = '1 validation error detected: Attribute name is too large, must be less than 65536 bytes'
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { ...key, [tooLongName]: { N: '1' } } })),
    'ValidationException', message)
  for (const request of [
    new PutItemCommand({ TableName: table, Item: { ...key, m: { M: { [tooLongName]: { N: '1' } } } } }),
    new GetItemCommand({ TableName: table, Key: key, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': tooLongName } }),
    new GetItemCommand({ TableName: table, Key: key, AttributesToGet: [tooLongName] }),
    new UpdateItemCommand({ TableName: table, Key: key, AttributeUpdates: { [tooLongName]: { Action: 'PUT', Value: { N: '2' } } } }),
    new UpdateItemCommand({
      TableName: table, Key: key, UpdateExpression: 'SET #n = :v',
      ExpressionAttributeNames: { '#n': tooLongName }, ExpressionAttributeValues: { ':v': { N: '3' } },
    }),
    new UpdateItemCommand({
      TableName: table, Key: key, UpdateExpression: 'SET d = :v', ExpressionAttributeValues: { ':v': { M: { [tooLongName]: { N: '3' } } } },
    }),
  ]) {
    await expectError(client.send(request as never), 'ValidationException', message)
  }
})

function keyedTable(hash: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return {
    TableName: uniqueTableName('limits-names'), BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: hash, KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: hash, AttributeType: 'S' }],
    ...extra,
  }
}

// Key attribute names (table and index keys, and projected attribute names) have 1 to 255
// characters; the length is reported before any mismatch between the key schema and the
// definitions (Alternator's test_limit_attribute_length_key_good/_bad/_bad_incoherent_names
// and _gsi_lsi_projection_bad).
test('key and projected attribute names may have up to 255 characters', localDiffers('its messages differ'), async () => {
  const longest = 'k'.repeat(255)
  const tooLong = 'k'.repeat(256)
  const created = keyedTable(longest)
  await createTable(client, created)
  await client.send(new PutItemCommand({ TableName: created.TableName, Item: { [longest]: { S: 'hi' } } }))
  await expectError(client.send(new CreateTableCommand(keyedTable(tooLong))), 'ValidationException',
    `2 validation errors detected: Value '${tooLong}' at 'attributeDefinitions.1.member.attributeName' failed to satisfy ` +
    `constraint: Member must have length less than or equal to 255; Value '${tooLong}' at 'keySchema.1.member.attributeName' ` +
    'failed to satisfy constraint: Member must have length less than or equal to 255')
  await expectError(client.send(new CreateTableCommand(keyedTable('short', {
    KeySchema: [{ AttributeName: tooLong, KeyType: 'HASH' }],
  }))), 'ValidationException', /at 'keySchema\.1\.member\.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255$/)
  await expectError(client.send(new CreateTableCommand(keyedTable('a', {
    AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'c', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'gsi', KeySchema: [{ AttributeName: 'c', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [tooLong] },
    }],
  }))), 'ValidationException', /nonKeyAttributes.*Member must have length less than or equal to 255/)
  await expectError(client.send(new CreateTableCommand(keyedTable(''))), 'ValidationException',
    /Member must have length greater than or equal to 1/)
})

// A repeated attribute definition is reported as such ("Attribute Name is duplicated", in the
// list of DynamoDB's CreateTable messages), before the key schema is compared with it.
test('CreateTable with a repeated attribute definition is rejected', localDiffers('message is "Cannot have two attributes with the same name"'), async () => {
  await expectError(client.send(new CreateTableCommand(keyedTable('a', {
    AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'a', AttributeType: 'N' }],
  }))), 'ValidationException', 'Attribute Name is duplicated: a')
})

// Placeholders have at most 255 bytes, prefix included, and a #name must not map to an empty
// name (ExtendDB's test_expression_attribute_map_validation.py, captured from DynamoDB).
test('expression placeholders are limited to 255 bytes and names may not be empty', async () => {
  const key = { pk: { S: 'placeholders' } }
  await expectError(client.send(new GetItemCommand({
    TableName: table, Key: key, ProjectionExpression: '#a', ExpressionAttributeNames: { ['#' + 'a'.repeat(255)]: 'foo' },
  })), 'ValidationException',
  'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256')
  await expectError(client.send(new ScanCommand({
    TableName: table, FilterExpression: 'foo = :v', ExpressionAttributeValues: { [':' + 'a'.repeat(255)]: { S: 'x' } },
  })), 'ValidationException', 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;')
  await expectError(client.send(new GetItemCommand({
    TableName: table, Key: key, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': '' },
  })), 'ValidationException', 'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a')
})

// A parallel Scan's ExclusiveStartKey must lie in the requested segment (Alternator's
// test_scan_parallel_with_exclusive_start_key quotes DynamoDB's message).
test('a parallel Scan start key outside its segment is rejected', localDiffers('message is "Exclusive start key must lie within the segment"'), async () => {
  const totalSegments = 1_000_000
  const startKey = { pk: { S: 'segment-key' } }
  let error: Error | undefined
  for (const segment of [0, 1]) {
    try {
      await client.send(new ScanCommand({ TableName: table, Segment: segment, TotalSegments: totalSegments, ExclusiveStartKey: startKey }))
    } catch (caught) { error = caught as Error }
  }
  // With a million segments the key cannot lie in both segment 0 and segment 1.
  assert.ok(error, 'one of the two segments must reject the start key')
  assert.match(error.message, /^The provided starting key is invalid: Invalid ExclusiveStartKey\. Please use ExclusiveStartKey with correct Segment\. TotalSegments: 1000000 Segment: [01]$/)
})

// BatchGetItem's request checks as an AWS-validated suite pins them ("BatchGetItem — exact error
// messages", 2026): an empty RequestItems, one table's Keys empty or past 100 (named, not echoed,
// in DynamoDB's newer validation wording), and projections mixing the expression and legacy forms
// across tables. BatchWriteItem's empty RequestItems is worded the same.
test('BatchGetItem request checks', localDiffers('its messages differ'), async () => {
  const emptyRequestItems = "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: " +
    'Member must have length greater than or equal to 1'
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: {} })), 'ValidationException', emptyRequestItems)
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: {} })), 'ValidationException', emptyRequestItems)
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [] } } })), 'ValidationException',
    `1 validation error detected: Value at 'RequestItems.${table}.member.Keys' failed to satisfy constraint: ` +
    'Member must have length greater than or equal to 1')
  const keys = Array.from({ length: 101 }, (_, index) => ({ pk: { S: `k${index}` } }))
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys } } })), 'ValidationException',
    `1 validation error detected: Value at 'RequestItems.${table}.member.Keys' failed to satisfy constraint: ` +
    'Member must have length less than or equal to 100')
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: {
    [table]: { Keys: [{ pk: { S: 'a' } }], ProjectionExpression: 'pk' },
    [sortedTable]: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }], AttributesToGet: ['pk'] },
  } })), 'ValidationException',
  'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: ' +
  '{AttributesToGet} Expression parameters: {ProjectionExpression}')
})

// Attribute names may not be empty, at the top level or in a nested map; an empty top-level
// name is reported before any value problem (the same suite's "Deep requests" cases).
test('empty attribute names are rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  for (const item of <Attributes[]>[
    { pk: { S: 'empty-name' }, '': { S: 'x' } },
    { pk: { S: 'empty-name' }, m: { M: { '': { S: 'x' } } } },
    { pk: { S: 'empty-name' }, '': { S: 'x' }, bad: { SS: [] } },
  ]) {
    await expectError(client.send(new PutItemCommand({ TableName: table, Item: item })), 'ValidationException', '1 validation error detected: Empty attribute name')
  }
})

// A value nested 100 levels deep is refused in its place among the checks, not ahead of them: an
// enum problem comes first (the same suite's "Deep requests" cases); alone, it is still refused.
test('a value nested 100 levels deep does not jump ahead of other checks', localDiffers('it reports the nesting first'), async () => {
  let deep: AttributeValue = { S: 'leaf' }
  for (let level = 0; level < 100; level++) deep = { M: { n: deep } }
  await expectError(client.send(new PutItemCommand({
    TableName: table, Item: { pk: { S: 'deep' } }, ConditionalOperator: 'XOR' as 'AND', Expected: { a: { Value: deep } },
  })), 'ValidationException',
  "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]")
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'deep' }, d: deep } })), 'ValidationException',
    /Nesting Levels have exceeded supported limits/)
})

// "The maximum number of operators or functions allowed in any expression is 300": 299 pass,
// more are rejected, the count always said as 301, where DynamoDB stops counting (Alternator's
// AWS-checked test_deeply_nested_expression_2 quotes it for 909 operators; DynamoDB Local
// answers 301 for a chain of 301 or 302 NOTs too).
test('a condition may have at most 300 operators', localDiffers('no "1 validation error detected" envelope'), async () => {
  const key = { pk: { S: 'operators' } }
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: { N: '1' }, b: { N: '2' } } }))
  const update = (condition: string) => client.send(new UpdateItemCommand({
    TableName: table, Key: key, UpdateExpression: 'SET z = :v', ConditionExpression: condition, ExpressionAttributeValues: { ':v': { N: '1' } },
  }))
  await update('a<b ' + 'or a<b '.repeat(149))
  const tooMany = '1 validation error detected: Invalid ConditionExpression: The expression contains too many operators; operator count: 301'
  await expectError(update('a<b ' + 'or a<b '.repeat(150)), 'ValidationException', tooMany)
  await expectError(update('a<b ' + 'or a<b '.repeat(454)), 'ValidationException', tooMany)
  await update('NOT '.repeat(298) + 'a<b')
  await expectError(update('NOT '.repeat(300) + 'a<b'), 'ValidationException', tooMany)
  await expectError(update('NOT '.repeat(302) + 'a<b'), 'ValidationException', tooMany)
})

// UpdateItem alone measures what its statement writes (the attributes it names, plus 3 bytes,
// 19 per SET or ADD and 2 per REMOVE or DELETE) as well as the finished item, so at a short key
// its ceiling sits under 409,600; a transaction's Update and PartiQL's UPDATE measure only the
// finished item (an AWS-validated suite's "Item size limit by surface", eu-west-2, 2026).
test('UpdateItem is sized by its statement, other surfaces by the finished item', localDiffers('it sizes UpdateItem by the finished item only'), async () => {
  const max = 400 * 1024
  const sizeTable = await createKeyTable(client, 'limits-update-size')
  // The finished item {pk: <key>, b: <padding>} measures `bytes`.
  const setTo = (key: string, bytes: number, extra: Partial<{ UpdateExpression: string }> = {}) => client.send(new UpdateItemCommand({
    TableName: sizeTable, Key: { pk: { S: key } }, UpdateExpression: 'SET b = :pad',
    ExpressionAttributeValues: { ':pad': { S: 'x'.repeat(bytes - 2 - key.length - 1) } }, ...extra,
  }))
  const message = 'Item size to update has exceeded the maximum allowed size'
  // A one-byte key: 3 key bytes against a 22-byte statement cost.
  await setTo('K', max - 19)
  await expectError(setTo('L', max - 18), 'ValidationException', message)
  // A long key: the finished item binds at exactly 409,600.
  const long = 'k'.repeat(100)
  await setTo(long, max)
  await expectError(setTo(long.replace(/.$/, 'j'), max + 1), 'ValidationException', message)
  // A REMOVE costs 2 more bytes.
  for (const key of ['R', 'S']) await client.send(new PutItemCommand({ TableName: sizeTable, Item: { pk: { S: key }, r: { S: 'z' } } }))
  await setTo('R', max - 21, { UpdateExpression: 'SET b = :pad REMOVE r' })
  await expectError(setTo('S', max - 20, { UpdateExpression: 'SET b = :pad REMOVE r' }), 'ValidationException', message)
  // A transaction's Update accepts the finished item of exactly 409,600 at the short key.
  const padding = (key: string) => ({ S: 'x'.repeat(max - 2 - key.length - 1) })
  await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: {
    TableName: sizeTable, Key: { pk: { S: 'T' } }, UpdateExpression: 'SET b = :pad', ExpressionAttributeValues: { ':pad': padding('T') },
  } }] }))
  await client.send(new PutItemCommand({ TableName: sizeTable, Item: { pk: { S: 'U' } } }))
  await client.send(new ExecuteStatementCommand({ Statement: `UPDATE "${sizeTable}" SET b = ? WHERE pk = ?`, Parameters: [padding('U'), { S: 'U' }] }))
  for (const key of ['T', 'U']) {
    const { Item } = await client.send(new GetItemCommand({ TableName: sizeTable, Key: { pk: { S: key } }, ConsistentRead: true }))
    assert.equal(Item!.b!.S!.length, max - 4)
  }
})

// The statement's charge is checked before the condition: an if_not_exists whose fallback is
// too large is refused though it would keep the stored value, whether the condition holds or not
// (the same suite, "checks the charge before the condition").
test('UpdateItem checks its statement charge before its condition', localDiffers('it sizes UpdateItem by the finished item only'), async () => {
  const sizeTable = await createKeyTable(client, 'limits-charge-order')
  const huge = { S: 'h'.repeat(409_700) }
  for (const condition of ['attribute_exists(nope)', 'attribute_exists(c)', undefined]) {
    const key = { pk: { S: `order-${condition ?? 'none'}` } }
    await client.send(new PutItemCommand({ TableName: sizeTable, Item: { ...key, c: { S: 'x' } } }))
    await expectError(client.send(new UpdateItemCommand({
      TableName: sizeTable, Key: key, UpdateExpression: 'SET c = if_not_exists(c, :huge)', ExpressionAttributeValues: { ':huge': huge },
      ConditionExpression: condition,
    })), 'ValidationException', 'Item size to update has exceeded the maximum allowed size')
  }
})

// A SET through a list index costs one byte more than writing the whole list; a SET through a
// map member costs the same as writing the whole map (the same suite, "through a document path").
test('UpdateItem statement size through document paths', localDiffers('it sizes UpdateItem by the finished item only'), async () => {
  const max = 400 * 1024
  const sizeTable = await createKeyTable(client, 'limits-path-size')
  // With key {pk: 'K'} (3 bytes), `SET d = :whole` is accepted up to 409,578 written bytes.
  const listOf = (bytes: number) => ({ L: [{ S: 'x'.repeat(bytes) }] })
  const mapOf = (bytes: number) => ({ M: { leaf: { S: 'x'.repeat(bytes) } } })
  const largest = async (key: string, wrap: (bytes: number) => AttributeValue) => {
    let low = 409_000; let high = max
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2)
      try {
        await client.send(new UpdateItemCommand({ TableName: sizeTable, Key: { pk: { S: key } }, UpdateExpression: 'SET d = :v', ExpressionAttributeValues: { ':v': wrap(middle) } }))
        low = middle
      } catch { high = middle }
    }
    return low
  }
  const seeded = async (key: string, whole: AttributeValue) => client.send(new PutItemCommand({ TableName: sizeTable, Item: { pk: { S: key }, d: whole } }))
  const throughPath = (key: string, expression: string, bytes: number) => client.send(new UpdateItemCommand({
    TableName: sizeTable, Key: { pk: { S: key } }, UpdateExpression: expression, ExpressionAttributeValues: { ':v': { S: 'x'.repeat(bytes) } },
  }))
  const listReference = await largest('K', listOf)
  await seeded('A', listOf(1))
  await seeded('B', listOf(1))
  await throughPath('A', 'SET d[0] = :v', listReference - 1)
  await expectError(throughPath('B', 'SET d[0] = :v', listReference), 'ValidationException')
  const mapReference = await largest('M', mapOf)
  await seeded('C', mapOf(1))
  await seeded('D', mapOf(1))
  await throughPath('C', 'SET d.leaf = :v', mapReference)
  await expectError(throughPath('D', 'SET d.leaf = :v', mapReference + 1), 'ValidationException')
})

// What each kind of clause adds to UpdateItem's statement charge (the same suite, "UpdateItem
// charges each kind of clause", eu-west-2, 2026-10-09): `SET b = :pad` plus the clause is
// accepted at the predicted padding and refused one byte over.
test('UpdateItem charges each kind of clause', localDiffers('it sizes UpdateItem by the finished item only'), async () => {
  const max = 400 * 1024
  const sizeTable = await createKeyTable(client, 'limits-clause-size')
  const padClause = 3 + 19 + 1
  const ten = { S: 'y'.repeat(10) }
  let counter = 0
  const ceilingHolds = async (clause: string, charge: number, seed: Attributes = {}, values: Attributes = {}) => {
    const padding = max - padClause - charge
    const expression = clause.startsWith('SET ') ? `SET b = :pad, ${clause.slice(4)}` : `SET b = :pad ${clause}`
    const send = async (bytes: number) => {
      const key = { pk: { S: `C${++counter}` } }
      if (Object.keys(seed).length > 0) await client.send(new PutItemCommand({ TableName: sizeTable, Item: { ...key, ...seed } }))
      await client.send(new UpdateItemCommand({
        TableName: sizeTable, Key: key, UpdateExpression: expression,
        ExpressionAttributeValues: { ...values, ':pad': { S: 'x'.repeat(bytes) } },
      }))
    }
    await send(padding).catch((error: Error) => assert.fail(`${clause}: ${error.message}`))
    await expectError(send(padding + 1), 'ValidationException', 'Item size to update has exceeded the maximum allowed size')
  }
  // A path operand: 1, plus 14 and the element per element; the value it copies is free.
  await ceilingHolds('SET c = abcdefghij', 19 + 1 + 1 + 14 + 10, { abcdefghij: ten })
  await ceilingHolds('SET c = m.z', 19 + 1 + 1 + 14 + 1 + 14 + 1, { m: { M: { z: ten } } })
  await ceilingHolds('SET c = l[10]', 19 + 1 + 1 + 14 + 1 + 14 + 2, { l: { L: [...Array.from({ length: 10 }, () => ({ S: 'e' })), ten] } })
  // Functions and arithmetic: a fixed charge plus their operands.
  await ceilingHolds('SET l = list_append(l, :new)', 19 + 1 + 37 + 16 + (3 + 1 + 10), { l: { L: [{ S: 'e' }] } }, { ':new': { L: [ten] } })
  await ceilingHolds('SET c = if_not_exists(c, :v)', 19 + 1 + 39 + 16 + 10, {}, { ':v': ten })
  await ceilingHolds('SET n = n + :one', 19 + 1 + 34 + 16 + 2, { n: { N: '1' } }, { ':one': { N: '1' } })
  await ceilingHolds('SET n = n - :one', 19 + 1 + 37 + 16 + 2, { n: { N: '1' } }, { ':one': { N: '1' } })
  // ADD: the members it adds; REMOVE and DELETE: 1 plus the target (4 and the element per step).
  await ceilingHolds('ADD ss :new', 19 + 2 + 500, { ss: { SS: ['p'.repeat(5)] } }, { ':new': { SS: ['s'.repeat(500), 'p'.repeat(5)] } })
  await ceilingHolds('REMOVE m.yyyyyyyyyy', 1 + 1 + 4 + 10, { m: { M: { x: ten, yyyyyyyyyy: { S: 'r' } } } })
  await ceilingHolds('REMOVE abcdefghij[1]', 1 + 10 + 4 + 1, { abcdefghij: { L: [ten, { S: 'r' }] } })
  await ceilingHolds('DELETE ss :rm', 1 + 2, { ss: { SS: ['p'.repeat(5), 'q'.repeat(20)] } }, { ':rm': { SS: ['q'.repeat(20)] } })
  // AttributeUpdates is sized by the finished item alone: {pk: 'A1', b: padding} at exactly 409,600.
  const legacy = (key: string, bytes: number) => client.send(new UpdateItemCommand({
    TableName: sizeTable, Key: { pk: { S: key } }, AttributeUpdates: { b: { Action: 'PUT', Value: { S: 'x'.repeat(bytes) } } },
  }))
  await legacy('A1', max - 4 - 1)
  await expectError(legacy('A2', max - 4), 'ValidationException')
})
