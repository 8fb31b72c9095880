/**
 * Data types. DynamoDB numbers are decimals with up to 38 significant digits and magnitudes from
 * 1E-130 to 9.99…E+125, sent as strings and returned in a canonical form (no leading or trailing
 * zeros, no exponent). Binary values travel base64-encoded. Sets (SS, NS, BS) hold unique values and
 * may not be empty; maps and lists nest; NULL must be true; BOOL is true or false.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PutItemCommand, GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createTable, startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => { ({ server, client, table } = await startKeyTableServer('types')) })
after(async () => { await server?.close() })

let itemCounter = 0

/** Puts {pk, v: value} and returns v as read back. */
async function roundTrip(value: AttributeValue): Promise<AttributeValue | undefined> {
  const key = { pk: { S: `t${++itemCounter}` } }
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, v: value } }))
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: key }))
  return Item?.v
}

const put = (value: AttributeValue) =>
  client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `bad${++itemCounter}` }, v: value } }))

// DynamoDB stores numbers, not strings: what comes back is the canonical decimal form.
test('numbers come back in canonical form', async () => {
  const cases: Array<[string, string]> = [
    ['0012.500', '12.5'], ['1e3', '1000'], ['1E-2', '0.01'], ['-0', '0'], ['0.0', '0'],
    ['-00.10', '-0.1'], ['+5', '5'], ['123', '123'], ['1.5E+2', '150'],
  ]
  for (const [sent, expected] of cases) {
    assert.deepEqual(await roundTrip({ N: sent }), { N: expected }, `N ${sent}`)
  }
})

// 38 significant digits are kept exactly, with no floating-point rounding.
test('38 significant digits round-trip exactly', async () => {
  for (const digits of ['12345678901234567890123456789012345678', '-0.12345678901234567890123456789012345678',
    '99999999999999999999999999999999999999']) {
    assert.deepEqual(await roundTrip({ N: digits }), { N: digits })
  }
})

// A 39th significant digit is an error (trailing zeros of an integer are not significant).
test('more than 38 significant digits is rejected', localDiffers('message is "DynamoDB only supports precision up to 38 digits"'), async () => {
  assert.deepEqual(await roundTrip({ N: '1234567890123456789012345678901234567800000' }),
    { N: '1234567890123456789012345678901234567800000' })
  await expectError(put({ N: '123456789012345678901234567890123456789' }), 'ValidationException',
    '1 validation error detected: Attempting to store more than 38 significant digits in a Number')
})

// The largest and smallest magnitudes are accepted, and written out in full without exponents.
test('extreme magnitudes are accepted', async () => {
  const largest = '9.9999999999999999999999999999999999999E+125'
  const largestPlain = '99999999999999999999999999999999999999' + '0'.repeat(88)
  assert.deepEqual(await roundTrip({ N: largest }), { N: largestPlain })
  assert.deepEqual(await roundTrip({ N: '-1E-130' }), { N: '-0.' + '0'.repeat(129) + '1' })
})

// Beyond the range: overflow and underflow have their own messages.
test('too large a magnitude is a number overflow', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(put({ N: '1E+126' }), 'ValidationException',
    '1 validation error detected: Number overflow. Attempting to store a number with magnitude larger than supported range')
})

test('too small a magnitude is a number underflow', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(put({ N: '1E-131' }), 'ValidationException',
    '1 validation error detected: Number underflow. Attempting to store a number with magnitude smaller than supported range')
})

// Zero is held to the range by the exponent it is written with, and an exponent past a 64-bit
// integer cannot be read at all (an AWS-validated suite's numberExponent cases).
test('zero with an exponent out of range, and an exponent past 64 bits', localDiffers('it stores zero whatever its exponent'), async () => {
  assert.deepEqual(await roundTrip({ N: '0e125' }), { N: '0' })
  await expectError(put({ N: '0e126' }), 'ValidationException',
    '1 validation error detected: Number overflow. Attempting to store a number with magnitude larger than supported range')
  await expectError(put({ N: '0e-131' }), 'ValidationException',
    '1 validation error detected: Number underflow. Attempting to store a number with magnitude smaller than supported range')
  await expectError(put({ N: '1e9223372036854775808' }), 'ValidationException',
    '1 validation error detected: The parameter cannot be converted to a numeric value: 1e9223372036854775808')
})

// A string that is not a number at all.
test('a non-numeric N is rejected', localDiffers('message is "A value provided cannot be converted into a number"'), async () => {
  await expectError(put({ N: 'abc' }), 'ValidationException',
    '1 validation error detected: The parameter cannot be converted to a numeric value: abc')
})

// Binary values are arbitrary bytes (base64 on the wire) and come back byte for byte.
test('binary values round-trip every byte', async () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, index) => index)
  const value = await roundTrip({ B: bytes })
  assert.deepEqual(Buffer.from(value!.B!), Buffer.from(bytes))
})

// Sets keep their members (order is not defined); numbers in NS are canonicalized.
test('string, number and binary sets round-trip', async () => {
  const ss = await roundTrip({ SS: ['b', 'a', 'c'] })
  assert.deepEqual(ss!.SS!.slice().sort(), ['a', 'b', 'c'])
  const ns = await roundTrip({ NS: ['1.50', '2', '-3'] })
  assert.deepEqual(ns!.NS!.slice().sort(), ['-3', '1.5', '2'])
  const bs = await roundTrip({ BS: [Uint8Array.of(1), Uint8Array.of(2, 3)] })
  assert.deepEqual(bs!.BS!.map((bytes) => Buffer.from(bytes).toString('hex')).sort(), ['01', '0203'])
})

// A set with duplicate members is rejected; the message lists the collection.
test('a string set with duplicates is rejected', localDiffers('its message lacks the final period'), async () => {
  await expectError(put({ SS: ['a', 'a'] }), 'ValidationException',
    '1 validation error detected: One or more parameter values were invalid: Input collection ["a", "a"] contains duplicates.')
})

// Numbers are compared by value, so 1 and 1.0 are duplicates.
test('a number set with numerically equal members is rejected', async () => {
  await expectError(put({ NS: ['1', '1.0'] }), 'ValidationException')
})

test('a binary set with duplicates is rejected', async () => {
  await expectError(put({ BS: [Uint8Array.of(1), Uint8Array.of(1)] }), 'ValidationException')
})

// Empty sets are not allowed (the messages keep DynamoDB's double space and grammar).
test('an empty string set is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(put({ SS: [] }), 'ValidationException',
    '1 validation error detected: One or more parameter values were invalid: An string set  may not be empty')
})

test('an empty number set is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(put({ NS: [] }), 'ValidationException',
    '1 validation error detected: One or more parameter values were invalid: An number set  may not be empty')
})

test('an empty binary set is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(put({ BS: [] }), 'ValidationException',
    '1 validation error detected: One or more parameter values were invalid: Binary sets should not be empty')
})

// Maps and lists nest freely and keep every type inside them; lists keep order.
test('nested maps and lists round-trip', async () => {
  const nested: AttributeValue = { M: {
    list: { L: [{ N: '1' }, { S: 'two' }, { L: [{ BOOL: true }, { NULL: true }] }, { M: {} }, { L: [] }] },
    map: { M: { deeper: { M: { deepest: { SS: ['x'] } } } } },
    emptyMap: { M: {} },
  } }
  assert.deepEqual(await roundTrip(nested), nested)
})

// Numbers inside maps and lists are canonicalized too: DynamoDB stores every N in its own decimal
// encoding, wherever it sits. (Unverified against live DynamoDB; DynamoDB Local keeps the text.)
test('numbers nested in maps and lists are canonicalized', localDiffers('it returns nested numbers as sent'), async () => {
  assert.deepEqual(await roundTrip({ L: [{ N: '01.0' }, { M: { n: { N: '2.50' } } }] }),
    { L: [{ N: '1' }, { M: { n: { N: '2.5' } } }] })
})

// An update stores what it writes the same way: a number or number set set by an
// UpdateExpression or AttributeUpdates comes back canonical, at the top level and nested, and a
// set's members in DynamoDB's order, exactly as if the item had been put.
test('numbers and sets written by an update come back as a put would', localDiffers('it keeps the text of what an update writes'), async () => {
  const key = { pk: { S: `t${++itemCounter}` } }
  await client.send(new UpdateItemCommand({
    TableName: table, Key: key, UpdateExpression: 'SET a = :n, b = :nested, c = list_append(:list, :list) ADD s :set',
    ExpressionAttributeValues: { ':n': { N: '1E+2' }, ':nested': { M: { x: { N: '2.50' } } }, ':list': { L: [{ N: '007' }] }, ':set': { NS: ['1E+2', '5.0'] } },
  }))
  await client.send(new UpdateItemCommand({ TableName: table, Key: key, AttributeUpdates: { d: { Action: 'PUT', Value: { N: '-0.0' } } } }))
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: key }))
  assert.deepEqual(Item, {
    ...key, a: { N: '100' }, b: { M: { x: { N: '2.5' } } }, c: { L: [{ N: '7' }, { N: '7' }] }, s: { NS: ['5', '100'] }, d: { N: '0' },
  })
})

// NULL and BOOL.
test('NULL true and BOOL values round-trip', async () => {
  assert.deepEqual(await roundTrip({ NULL: true }), { NULL: true })
  assert.deepEqual(await roundTrip({ BOOL: true }), { BOOL: true })
  assert.deepEqual(await roundTrip({ BOOL: false }), { BOOL: false })
})

// NULL: false is meaningless and rejected.
test('NULL false is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(put({ NULL: false }), 'ValidationException',
    '1 validation error detected: One or more parameter values were invalid: Null attribute value types must have the value of true')
})

// Strings are UTF-8 and may hold any Unicode, including astral characters.
test('unicode strings round-trip', async () => {
  const text = 'héllo wörld 日本語 🎉'
  assert.deepEqual(await roundTrip({ S: text }), { S: text })
})

// A number key is compared by value: 1 and 1.0 address the same item.
test('numeric key values are normalized', async () => {
  const numberTable = await createNumberKeyTable()
  await client.send(new PutItemCommand({ TableName: numberTable, Item: { pk: { N: '1.0' }, v: { S: 'x' } } }))
  const { Item } = await client.send(new GetItemCommand({ TableName: numberTable, Key: { pk: { N: '1' } } }))
  assert.deepEqual(Item, { pk: { N: '1' }, v: { S: 'x' } })
})

async function createNumberKeyTable(): Promise<string> {
  const tableName = uniqueTableName('numkey')
  await createTable(client, {
    TableName: tableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' }],
  })
  return tableName
}
