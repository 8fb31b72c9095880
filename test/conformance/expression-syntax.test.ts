/**
 * How DynamoDB reports a syntax error in an expression: `Syntax error; token: "<t>", near: "<text>"`,
 * where the text runs from the start of the token before the offending one to the end of the token
 * after it. At the edges of the expression it runs to the very beginning or end, whitespace
 * included, and an expression of whitespace alone is such a syntax error at <EOF> (only '' is "can
 * not be empty"). Recorded against DynamoDB Local 2026-05-28, whose expression messages are the
 * service's. The reads used here report expression errors without the write operations' envelope.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
import { test, before, after } from 'node:test'
import { GetItemCommand, QueryCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { TestServer } from '../helpers/server.js'
import { startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string

before(async () => { ({ server, client, table } = await startKeyTableServer('expression-syntax')) })
after(async () => { await server?.close() })

const project = (expression: string) =>
  client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'k' } }, ProjectionExpression: expression }))
const filter = (expression: string) => client.send(new ScanCommand({ TableName: table, FilterExpression: expression }))

// '' is empty; '   ' is not: it parses to nothing and fails at <EOF>, quoting the whitespace.
test('an expression of whitespace alone is a syntax error at <EOF>', async () => {
  await expectError(filter(''), 'ValidationException', 'Invalid FilterExpression: The expression can not be empty;')
  await expectError(filter('   '), 'ValidationException', 'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "   "')
  await expectError(project(' \t'), 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: " \t"')
  await expectError(client.send(new QueryCommand({ TableName: table, KeyConditionExpression: '\n' })),
    'ValidationException', 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "\n"')
})

// With no token before the offending one, "near" starts at the beginning of the text; with none
// after it, it runs to the end.
test('the text near a syntax error keeps the whitespace at the edges', async () => {
  await expectError(project('   , a'), 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: ",", near: "   , a"')
  await expectError(filter(' \t ) a'), 'ValidationException', 'Invalid FilterExpression: Syntax error; token: ")", near: " \t ) a"')
  await expectError(project('a b  '), 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b  "')
  await expectError(filter('m.a a  '), 'ValidationException', 'Invalid FilterExpression: Syntax error; token: "a", near: "a a  "')
  // In the middle, the whitespace around the neighbours is left out.
  await expectError(project('x,  a b  c'), 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b  c"')
})
