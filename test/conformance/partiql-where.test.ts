/**
 * PartiQL WHERE clauses that DynamoDB plans as key reads, and the statements it refuses for what
 * their WHERE says about the key: reads that overlap, are too many or mistype a key, and writes
 * that give a key two values.
 * A SELECT's OR branches that each fix the partition key and narrow the sort key by a range are
 * separate key reads, which must not be able to find the same item.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ExecuteStatementCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { TestServer } from '../helpers/server.js'
import { startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => {
  ({ server, client, table } = await startKeyTableServer('partiql-where', 'S'))
  for (const sk of ['1', '2', '3']) {
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { S: sk }, x: { S: sk } } }))
  }
})
after(async () => { await server?.close() })

const run = (Statement: string) => client.send(new ExecuteStatementCommand({ Statement, ConsistentRead: true }))
const sortKeys = async (where: string) =>
  ((await run(`SELECT sk FROM "${table}" WHERE ${where}`)).Items ?? []).map((item) => item.sk!.S!).sort()

// Two key reads that could find the same item are refused, whether a branch narrows the sort key
// or not: a branch that only filters reads its whole partition (the first two are pinned against
// DynamoDB by paritysuite, eu-west-2, October 2026; the others recorded by floci's PartiQL edge
// cases, eu-west-2, 2026-09-17).
test('overlapping key reads in a SELECT are refused', async () => {
  for (const where of [
    "pk = 'a' AND x = '1' OR pk = 'a' AND sk = '2'",
    "pk = 'a' AND x <> '1' OR pk = 'a' AND sk = '2'",
    "pk IN ['a', 'a']",
    "pk = 'a' OR pk = 'a'",
    "pk = 'a' AND (sk > '0' OR sk < '5')",
    "pk = 'a' AND (begins_with(sk, '1') OR sk BETWEEN '0' AND '15')",
  ]) {
    await expectError(run(`SELECT sk FROM "${table}" WHERE ${where}`), 'ValidationException',
      'Overlapping conditions with range keys are not supported in where clause')
  }
})

// A negated or <> sort key condition is no key range: the statement is not decomposed into key
// reads, so nothing overlaps and it returns the union of its branches (paritysuite's WHERE-overlap
// cases, eu-west-2, October 2026). Branches that cannot meet, and ORs that filter only, run too.
test('SELECT branches that cannot overlap, or are no key ranges, run', async () => {
  const beside = " OR pk = 'a' AND sk = '2'"
  assert.deepEqual(await sortKeys(`pk = 'a' AND NOT sk = '1'${beside}`), ['2', '3'])
  assert.deepEqual(await sortKeys(`pk = 'a' AND sk <> '1'${beside}`), ['2', '3'])
  assert.deepEqual(await sortKeys(`pk = 'a' AND NOT begins_with(sk, 'x')${beside}`), ['1', '2', '3'])
  assert.deepEqual(await sortKeys(`pk = 'a' AND NOT sk IN ['1', '3']${beside}`), ['2'])
  assert.deepEqual(await sortKeys(`pk = 'a' AND NOT sk > '5'${beside}`), ['1', '2', '3'])
  assert.deepEqual(await sortKeys(`pk = 'a' AND NOT (sk = '1')${beside}`), ['2', '3'])
  assert.deepEqual(await sortKeys("pk = 'a' OR pk = 'a' AND NOT sk = '1'"), ['1', '2', '3'])
  assert.deepEqual(await sortKeys("pk = 'a' AND sk = '1' OR pk = 'a' AND sk > '1'"), ['1', '2', '3'])
  assert.deepEqual(await sortKeys("pk = 'a' AND (sk < '2' OR begins_with(sk, '3'))"), ['1', '3'])
  assert.deepEqual(await sortKeys("pk IN ['a', 'b'] AND sk IN ['1', '2']"), ['1', '2'])
  assert.deepEqual(await sortKeys("pk = 'a' AND (x = '1' OR x = '3')"), ['1', '3'])
  assert.deepEqual(await sortKeys("pk = 'a' OR x = '2'"), ['1', '2', '3'])
})

// DynamoDB decomposes a SELECT into at most 50 key reads: more is refused, counting every pair of
// a partition and a sort key value; conditions on other attributes do not count, and a branch
// without the partition key makes the statement a scan (floci's PartiQL edge cases, recorded
// against DynamoDB, eu-west-2, 2026-09-17).
test('a SELECT of more than 50 key reads is refused', async () => {
  const values = (count: number, prefix = 'v') => Array.from({ length: count }, (_, index) => `'${prefix}${index}'`).join(', ')
  const tooMany = 'Too many decomposed read operations for a given query.'
  for (const where of [
    `pk IN [${values(51)}]`,
    `pk = 'a' AND sk IN [${values(51)}]`,
    `pk IN [${values(26)}] AND sk IN ['1', '2']`,
    `pk IN [${values(26)}] AND (sk = '1' OR sk = '2')`,
  ]) {
    await expectError(run(`SELECT sk FROM "${table}" WHERE ${where}`), 'ValidationException', tooMany)
  }
  assert.deepEqual(await sortKeys(`pk IN ['a', ${values(49)}]`), ['1', '2', '3'])
  assert.deepEqual(await sortKeys(`pk IN ['a', ${values(49)}] AND x IN [${values(99, '')}]`), ['1', '2', '3'])
  assert.deepEqual(await sortKeys(`pk IN ['a', ${values(50)}] OR x = '2'`), ['1', '2', '3'])
})

// A key read names its key in the table's types: a value of another type is refused rather than
// read as nothing (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17,
// for the OR and IN forms; the single equality is the same key read). A statement that is no key
// read, such as one with a <> on the sort key, still filters and finds nothing.
test('a SELECT key read with a value of the wrong type is refused', async () => {
  const mistyped = (key: string) => `Key attribute's data type should match its data type in table's schema: Key ${key}`
  await expectError(run(`SELECT sk FROM "${table}" WHERE pk = 1 OR pk = 'a'`), 'ValidationException', mistyped('pk'))
  await expectError(run(`SELECT sk FROM "${table}" WHERE pk = 'a' AND sk IN ['1', 2]`), 'ValidationException', mistyped('sk'))
  await expectError(run(`SELECT sk FROM "${table}" WHERE pk = 'a' AND sk > 1`), 'ValidationException', mistyped('sk'))
  assert.deepEqual(await sortKeys("pk = 'a' AND sk <> 1"), ['1', '2', '3'])
})

// An UPDATE or DELETE names one item, so a key attribute given two values is refused as a
// ValidationException before anything is read (floci's PartiQL edge cases, recorded against
// DynamoDB, eu-west-2, 2026-09-17); the same value twice names the item.
test('a write whose WHERE gives a key two values is refused', async () => {
  const refused = 'Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported'
  await expectError(run(`UPDATE "${table}" SET y = 1 WHERE pk = 'a' AND sk = '1' AND pk = 'b'`), 'ValidationException', refused)
  await expectError(run(`DELETE FROM "${table}" WHERE pk = 'a' AND sk = '1' AND pk = 'b'`), 'ValidationException', refused)
  await expectError(run(`UPDATE "${table}" SET y = 1 WHERE pk = 'a' AND sk = '1' AND sk = '2'`), 'ValidationException',
    'Multiple conditions on same key sk. Only single item Update/Insert/Delete are supported')
  await run(`UPDATE "${table}" SET y = 1 WHERE pk = 'a' AND sk = '1' AND pk = 'a'`)
  assert.deepEqual((await run(`SELECT sk, y FROM "${table}" WHERE pk = 'a' AND y = 1`)).Items, [{ sk: { S: '1' }, y: { N: '1' } }])
})
