/**
 * Condition expressions: the boolean language of ConditionExpression (and FilterExpression). It has
 * the comparators = <> < <= > >=, BETWEEN and IN, the functions attribute_exists,
 * attribute_not_exists, attribute_type, begins_with, contains and size, and AND / OR / NOT with
 * parentheses. A comparison of values of different types is simply false. The legacy form is the
 * Expected map, combined with ConditionalOperator AND / OR.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.Expected.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  PutItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type ExpectedAttributeValue,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string

// One item, rewritten unchanged by every probe, so a condition that holds changes nothing.
const item: Record<string, AttributeValue> = {
  pk: { S: 'subject' }, n: { N: '5' }, s: { S: 'hello world' }, b: { B: Uint8Array.of(1, 2, 3) },
  ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2', '3'] }, l: { L: [{ S: 'x' }, { N: '2' }] },
  m: { M: { inner: { S: 'v' }, deep: { M: { n: { N: '10' } } } } }, t: { BOOL: true }, z: { NULL: true },
  'dotted.x': { S: 'dot' }, accents: { S: 'ééé' },
}

before(async () => {
  server = await startTestServer()
  client = server.client
  table = await createKeyTable(client, 'conditions')
  await client.send(new PutItemCommand({ TableName: table, Item: item }))
})
after(async () => { await server?.close() })

/** Whether the condition holds on `item`: a conditional put succeeds or fails its check. */
async function holds(
  condition: string, values?: Record<string, AttributeValue>, names?: Record<string, string>,
): Promise<boolean> {
  try {
    await client.send(new PutItemCommand({
      TableName: table, Item: item, ConditionExpression: condition,
      ExpressionAttributeValues: values, ExpressionAttributeNames: names,
    }))
    return true
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false
    throw error
  }
}

async function holdsExpected(expected: Record<string, ExpectedAttributeValue>, operator?: 'AND' | 'OR'): Promise<boolean> {
  try {
    await client.send(new PutItemCommand({ TableName: table, Item: item, Expected: expected, ConditionalOperator: operator }))
    return true
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false
    throw error
  }
}

const N = (value: string) => ({ N: value })
const S = (value: string) => ({ S: value })

// Number comparisons are numeric (not textual): 5 < 10 even though "5" > "10" as text.
test('comparators on numbers', async () => {
  assert.equal(await holds('n = :v', { ':v': N('5.0') }), true)
  assert.equal(await holds('n <> :v', { ':v': N('5') }), false)
  assert.equal(await holds('n < :v', { ':v': N('10') }), true)
  assert.equal(await holds('n <= :v', { ':v': N('5') }), true)
  assert.equal(await holds('n > :v', { ':v': N('-1') }), true)
  assert.equal(await holds('n >= :v', { ':v': N('6') }), false)
})

// Strings compare by UTF-8 bytes; binaries by unsigned bytes.
test('comparators on strings and binaries', async () => {
  assert.equal(await holds('s = :v', { ':v': S('hello world') }), true)
  assert.equal(await holds('s < :v', { ':v': S('i') }), true)
  assert.equal(await holds('s > :v', { ':v': S('hello') }), true)
  assert.equal(await holds('b < :v', { ':v': { B: Uint8Array.of(1, 2, 4) } }), true)
  assert.equal(await holds('b > :v', { ':v': { B: Uint8Array.of(0xff) } }), false)
})

// = and <> also work on sets, lists, maps, booleans and null, comparing whole values.
test('equality on documents, sets, BOOL and NULL', async () => {
  assert.equal(await holds('l = :v', { ':v': { L: [S('x'), N('2')] } }), true)
  assert.equal(await holds('m.deep = :v', { ':v': { M: { n: N('10') } } }), true)
  assert.equal(await holds('ss = :v', { ':v': { SS: ['y', 'x'] } }), true)
  assert.equal(await holds('t = :v', { ':v': { BOOL: true } }), true)
  assert.equal(await holds('z = :v', { ':v': { NULL: true } }), true)
  assert.equal(await holds('t <> :v', { ':v': { BOOL: false } }), true)
})

// Comparing values of different types is false, not an error, for every comparator except <>.
test('comparisons across types are false', async () => {
  assert.equal(await holds('n = :v', { ':v': S('5') }), false)
  assert.equal(await holds('n < :v', { ':v': S('9') }), false)
  assert.equal(await holds('n <> :v', { ':v': S('5') }), true)
  assert.equal(await holds('absent = :v', { ':v': N('5') }), false)
})

// BETWEEN is inclusive at both ends.
test('BETWEEN', async () => {
  assert.equal(await holds('n BETWEEN :lo AND :hi', { ':lo': N('5'), ':hi': N('5') }), true)
  assert.equal(await holds('n BETWEEN :lo AND :hi', { ':lo': N('6'), ':hi': N('9') }), false)
  assert.equal(await holds('s BETWEEN :lo AND :hi', { ':lo': S('h'), ':hi': S('i') }), true)
})

// BETWEEN with bounds the wrong way round is a validation error, not false.
test('BETWEEN with lower bound above upper bound is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(holds('n BETWEEN :lo AND :hi', { ':lo': N('9'), ':hi': N('1') }), 'ValidationException',
    '1 validation error detected: Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:9}, upper bound operand: AttributeValue: {N:1}')
})

// IN checks membership in a list of values.
test('IN', async () => {
  assert.equal(await holds('n IN (:a, :b)', { ':a': N('1'), ':b': N('5') }), true)
  assert.equal(await holds('s IN (:a)', { ':a': S('nope') }), false)
})

// attribute_exists / attribute_not_exists on top-level and nested paths and list elements.
test('attribute_exists and attribute_not_exists', async () => {
  assert.equal(await holds('attribute_exists(n) AND attribute_exists(m.deep.n) AND attribute_exists(l[1])'), true)
  assert.equal(await holds('attribute_exists(l[2])'), false)
  assert.equal(await holds('attribute_not_exists(nope) AND attribute_not_exists(m.nope)'), true)
  assert.equal(await holds('attribute_exists(#d)', undefined, { '#d': 'dotted.x' }), true)
  assert.equal(await holds('attribute_exists(dotted.x)'), false)
})

// attribute_type checks the type by its wire name.
test('attribute_type', async () => {
  const typeOf: Array<[string, string]> = [['n', 'N'], ['s', 'S'], ['b', 'B'], ['ss', 'SS'], ['ns', 'NS'], ['l', 'L'],
    ['m', 'M'], ['t', 'BOOL'], ['z', 'NULL']]
  for (const [path, type] of typeOf) assert.equal(await holds(`attribute_type(${path}, :t)`, { ':t': S(type) }), true, path)
  assert.equal(await holds('attribute_type(n, :t)', { ':t': S('S') }), false)
  // A value works too (Alternator's test_update_condition_attribute_type, run against DynamoDB).
  assert.equal(await holds('attribute_type(:v, :t)', { ':v': { N: '0' }, ':t': S('N') }), true)
  assert.equal(await holds('attribute_type(:v, :t)', { ':v': { N: '0' }, ':t': S('S') }), false)
})

// An unknown type name in attribute_type is a validation error. The order of the type list is the
// one dynalite recorded from live DynamoDB; DynamoDB Local lists the same types in another order.
test('attribute_type with an invalid type is rejected', localDiffers('it lists the types as {N,BS,L,B,NULL,M,S,SS,NS,BOOL}'), async () => {
  await expectError(holds('attribute_type(n, :t)', { ':t': S('XX') }), 'ValidationException',
    '1 validation error detected: Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}')
})

// begins_with works on strings and binaries.
test('begins_with', async () => {
  assert.equal(await holds('begins_with(s, :p)', { ':p': S('hello') }), true)
  assert.equal(await holds('begins_with(s, :p)', { ':p': S('world') }), false)
  assert.equal(await holds('begins_with(b, :p)', { ':p': { B: Uint8Array.of(1, 2) } }), true)
  assert.equal(await holds('begins_with(n, :p)', { ':p': S('5') }), false)
})

// contains: substring of a string, member of a set, element of a list.
test('contains', async () => {
  assert.equal(await holds('contains(s, :v)', { ':v': S('lo wo') }), true)
  assert.equal(await holds('contains(ss, :v)', { ':v': S('y') }), true)
  assert.equal(await holds('contains(ns, :v)', { ':v': N('3') }), true)
  assert.equal(await holds('contains(l, :v)', { ':v': N('2') }), true)
  assert.equal(await holds('contains(ss, :v)', { ':v': S('q') }), false)
})

// size: string length in UTF-16 code units, binary length, set/list/map member counts. DynamoDB
// measures a string as Java does: 'ééé' is 3, not its 6 UTF-8 bytes (an AWS-validated suite's
// size() string-encoding case).
test('size', async () => {
  assert.equal(await holds('size(s) = :v', { ':v': N('11') }), true)
  assert.equal(await holds('size(accents) = :v', { ':v': N('3') }), true)
  assert.equal(await holds('size(b) = :v', { ':v': N('3') }), true)
  assert.equal(await holds('size(ns) = :v AND size(l) = :w AND size(m) = :w', { ':v': N('3'), ':w': N('2') }), true)
  assert.equal(await holds('size(s) > :v', { ':v': N('11') }), false)
})

// AND binds tighter than OR; NOT negates; parentheses group.
test('AND, OR, NOT and parentheses', async () => {
  const values = { ':five': N('5'), ':six': N('6') }
  assert.equal(await holds('n = :six OR n = :five AND n = :six', values), false)
  assert.equal(await holds('(n = :six OR n = :five) AND NOT n = :six', values), true)
  assert.equal(await holds('NOT (n = :five)', { ':five': N('5') }), false)
})

// An unknown function name is a validation error.
test('an unknown function is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(holds('nope(n)'), 'ValidationException', '1 validation error detected: Invalid ConditionExpression: Invalid function name; function: nope')
})

// begins_with needs a string or binary operand from the request.
test('begins_with with a number operand is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(holds('begins_with(s, :p)', { ':p': N('1') }), 'ValidationException',
    '1 validation error detected: Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N')
})

// A function that returns a value (size) cannot stand alone as a condition.
test('a bare size() is not a condition', async () => {
  await expectError(holds('size(s)'), 'ValidationException')
})

// Legacy Expected: Value means "equals", Exists false means "absent"; all must hold (AND).
test('legacy Expected with Value and Exists', async () => {
  assert.equal(await holdsExpected({ n: { Value: N('5') }, nope: { Exists: false } }), true)
  assert.equal(await holdsExpected({ n: { Value: N('6') } }), false)
  assert.equal(await holdsExpected({ n: { Exists: false } }), false)
})

// Legacy ComparisonOperator forms, and ConditionalOperator OR.
test('legacy Expected with ComparisonOperator and ConditionalOperator', async () => {
  assert.equal(await holdsExpected({
    n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N('1'), N('9')] },
    s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('hell')] },
    ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('x')] },
    nope: { ComparisonOperator: 'NULL' },
    t: { ComparisonOperator: 'NOT_NULL' },
    l: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('q')] },
  }), true)
  assert.equal(await holdsExpected({ n: { ComparisonOperator: 'GT', AttributeValueList: [N('7')] } }), false)
  assert.equal(await holdsExpected({
    n: { ComparisonOperator: 'GT', AttributeValueList: [N('7')] },
    s: { ComparisonOperator: 'IN', AttributeValueList: [S('a'), S('hello world')] },
  }, 'OR'), true)
})

// Expected and ConditionExpression cannot be combined.
test('Expected together with ConditionExpression is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(client.send(new PutItemCommand({
    TableName: table, Item: item, Expected: { n: { Exists: false } }, ConditionExpression: 'attribute_exists(n)',
  })), 'ValidationException',
  '1 validation error detected: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}')
})

// <, <=, >, >= and BETWEEN order only strings, numbers and binaries. A request value of any other
// type is rejected before the item is read (not a failed check), naming the operator as written.
test('ordering comparisons reject request values that have no order', localDiffers('no "1 validation error detected" envelope'), async () => {
  const cases: Array<[string, string, Record<string, AttributeValue>, string]> = [
    ['t < :v', '<', { ':v': { BOOL: true } }, 'BOOL'],
    ['n >= :v', '>=', { ':v': { NULL: true } }, 'NULL'],
    [':v > n', '>', { ':v': { SS: ['a'] } }, 'SS'],
    ['n <= :v', '<=', { ':v': { L: [] } }, 'L'],
    ['n BETWEEN :v AND :w', 'BETWEEN', { ':v': { M: {} }, ':w': { M: {} } }, 'M'],
  ]
  for (const [condition, operator, values, type] of cases) {
    await expectError(client.send(new PutItemCommand({
      TableName: table, Item: item, ConditionExpression: condition, ExpressionAttributeValues: values,
    })), 'ValidationException',
    `1 validation error detected: Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`)
  }
  await expectError(client.send(new ScanCommand({
    TableName: table, FilterExpression: 'n < :v', ExpressionAttributeValues: { ':v': { NS: ['1'] } },
  })), 'ValidationException',
  'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: NS')
  // A stored attribute of such a type just makes the comparison false.
  assert.equal(await holds('t < n'), false)
})
