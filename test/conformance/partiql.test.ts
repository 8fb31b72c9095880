/**
 * PartiQL: ExecuteStatement runs one SELECT / INSERT / UPDATE / DELETE statement;
 * BatchExecuteStatement runs up to 25 (all reads or all writes), each answered on its own;
 * ExecuteTransaction runs up to 100 all-or-nothing. A SELECT with an equality on the partition
 * key reads one partition, any other SELECT scans; UPDATE and DELETE must name the full key.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchExecuteStatementCommand, ExecuteStatementCommand, ExecuteTransactionCommand, GetItemCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { ExecuteStatementCommand as DocumentExecuteStatementCommand } from '@aws-sdk/lib-dynamodb'
import { inProcessOnly, localDiffers, startTestServer, type TestServer } from '../helpers/server.js'
import { createKeyTable, startKeyTableServer } from '../helpers/tables.js'
import { ManualClock } from '../ttl/fixtures.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => { ({ server, client, table } = await startKeyTableServer('partiql', 'N')) })
after(async () => { await server?.close() })

let partitionCounter = 0
const freshPartition = () => `p${++partitionCounter}`
const run = (Statement: string, extra: Record<string, unknown> = {}) => client.send(new ExecuteStatementCommand({ Statement, ...extra }))
/** A string inside `depth` maps, each holding the next under "a". */
const nestedMaps = (depth: number): AttributeValue => {
  let value: AttributeValue = { S: 'x' }
  for (let level = 0; level < depth; level++) value = { M: { a: value } }
  return value
}
const read = async (pk: string, sk: number) =>
  (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { N: String(sk) } }, ConsistentRead: true }))).Item

// INSERT writes a new item; a second INSERT of the same key is refused with DuplicateItemException.
test('INSERT creates an item and refuses an existing key', { ...localDiffers('its __type is DuplicateItem, not DuplicateItemException') }, async () => {
  const pk = freshPartition()
  const output = await run(`INSERT INTO "${table}" VALUE {'pk': ?, 'sk': 1, 'tags': <<'a', 'b'>>, 'doc': {'l': [1, 'x', TRUE, NULL]}}`, { Parameters: [{ S: pk }] })
  assert.deepEqual(output.Items, [])
  assert.deepEqual(await read(pk, 1), {
    pk: { S: pk }, sk: { N: '1' }, tags: { SS: ['a', 'b'] },
    doc: { M: { l: { L: [{ N: '1' }, { S: 'x' }, { BOOL: true }, { NULL: true }] } } },
  })
  await expectError(run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1}`), 'DuplicateItemException', 'Duplicate primary key exists in table')
  await expectError(run(`INSERT INTO "${table}" VALUE {'pk': '${pk}'}`), 'ValidationException', 'Key attribute should be present in the item: Key sk')
})

// SELECT on a partition reads it in sort key order (DESC with ORDER BY); projections and filters apply.
test('SELECT by partition key, with projection, filter and ORDER BY', async () => {
  const pk = freshPartition()
  for (const sk of [1, 2, 3]) await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': ${sk}, 'n': ${sk * 10}, 'm': {'x': ${sk}}}`)
  const all = await run(`SELECT * FROM "${table}" WHERE pk = ?`, { Parameters: [{ S: pk }] })
  assert.deepEqual(all.Items?.map((item) => item.sk), [{ N: '1' }, { N: '2' }, { N: '3' }])
  // A projected document path comes back under its last name.
  const filtered = await run(`SELECT sk, m.x FROM "${table}" WHERE pk = '${pk}' AND n >= 20`)
  assert.deepEqual(filtered.Items, [{ sk: { N: '2' }, x: { N: '2' } }, { sk: { N: '3' }, x: { N: '3' } }])
  const descending = await run(`SELECT * FROM "${table}" WHERE pk = '${pk}' AND n >= 20 ORDER BY sk DESC`)
  assert.deepEqual(descending.Items?.map((item) => item.sk), [{ N: '3' }, { N: '2' }])
  const between = await run(`SELECT sk FROM "${table}" WHERE pk = '${pk}' AND sk BETWEEN 2 AND 5 AND n IS NOT MISSING`)
  assert.deepEqual(between.Items, [{ sk: { N: '2' } }, { sk: { N: '3' } }])
  await expectError(run(`SELECT * FROM "${table}" ORDER BY sk`), 'ValidationException', 'Must have WHERE clause in the statement when using ORDER BY clause.')
})

// ORDER BY over partitions named by IN or OR (the developer guide's own example, `WHERE OrderID
// IN [1, 2, 3] ORDER BY OrderID DESC`) reads them in key order, and pages across them.
test('SELECT with IN or OR on the partition key and ORDER BY reads the partitions in key order', async () => {
  const [first, second, third] = [freshPartition(), freshPartition(), freshPartition()].sort()
  for (const pk of [first, second, third]) for (const sk of [1, 2]) await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': ${sk}}`)
  const keys = (items: Array<Record<string, AttributeValue>> | undefined) => (items ?? []).map((item) => `${item.pk!.S}/${item.sk!.N}`)
  const descending = await run(`SELECT pk, sk FROM "${table}" WHERE pk IN ['${first}', '${third}', '${second}'] ORDER BY pk DESC`)
  assert.deepEqual(keys(descending.Items), [`${third}/2`, `${third}/1`, `${second}/2`, `${second}/1`, `${first}/2`, `${first}/1`])
  // Each partition is a Query of its own, charged as one: three small ones, 0.5 units each.
  const charged = await run(`SELECT pk, sk FROM "${table}" WHERE pk IN ['${first}', '${third}', '${second}'] ORDER BY pk`, { ReturnConsumedCapacity: 'TOTAL' })
  assert.equal(charged.ConsumedCapacity?.CapacityUnits, 1.5)
  const bySortKey = await run(`SELECT pk, sk FROM "${table}" WHERE pk = '${third}' OR pk = '${first}' ORDER BY sk DESC`)
  assert.deepEqual(keys(bySortKey.Items), [`${first}/2`, `${first}/1`, `${third}/2`, `${third}/1`])
  const filtered = await run(`SELECT pk, sk FROM "${table}" WHERE pk IN ['${first}', '${second}'] AND sk > 1 ORDER BY pk`)
  assert.deepEqual(keys(filtered.Items), [`${first}/2`, `${second}/2`])
  // Limit counts the items read over all partitions; each page resumes where the last stopped.
  const paged: string[] = []
  let NextToken: string | undefined
  for (let pages = 0; pages < 10; pages++) {
    const page = await run(`SELECT pk, sk FROM "${table}" WHERE pk IN ['${first}', '${second}', '${third}'] ORDER BY pk DESC`, { Limit: 4, NextToken })
    paged.push(...keys(page.Items))
    NextToken = page.NextToken
    if (!NextToken) break
  }
  assert.deepEqual(paged, keys(descending.Items))
  // A page holding 1 MB after a partition stops there, and the next resumes after its last item.
  const big = [freshPartition(), freshPartition(), freshPartition()].sort()
  for (const pk of big) for (const sk of [1, 2]) await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': ${sk}, 'pad': ?}`, { Parameters: [{ S: 'x'.repeat(300_000) }] })
  const bigPages: string[][] = []
  NextToken = undefined
  for (let pages = 0; pages < 10; pages++) {
    const page = await run(`SELECT pk, sk FROM "${table}" WHERE pk IN ['${big[0]}', '${big[1]}', '${big[2]}'] ORDER BY pk`, { NextToken })
    bigPages.push(keys(page.Items))
    NextToken = page.NextToken
    if (!NextToken) break
  }
  assert.deepEqual(bigPages, [[`${big[0]}/1`, `${big[0]}/2`, `${big[1]}/1`, `${big[1]}/2`], [`${big[2]}/1`, `${big[2]}/2`]])
  await expectError(run(`SELECT * FROM "${table}" WHERE pk > 'a' ORDER BY pk`), 'ValidationException',
    'ORDER BY is supported only with an equality condition on the partition key')
  await expectError(run(`SELECT * FROM "${table}" WHERE pk = '${first}' ORDER BY n`), 'ValidationException',
    'Variable reference n in ORDER BY clause must be part of the primary key')
})

// IS NOT NULL is NOT (IS NULL): true of a missing attribute as of any non-NULL value.
test('IS NOT NULL matches missing attributes, as NOT (x IS NULL) does', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1}`)
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2, 'opt': NULL}`)
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 3, 'opt': 'x'}`)
  const sortKeys = async (where: string) => ((await run(`SELECT sk FROM "${table}" WHERE pk = '${pk}' AND ${where}`)).Items ?? []).map((item) => item.sk!.N)
  assert.deepEqual(await sortKeys('opt IS NOT NULL'), ['1', '3'])
  assert.deepEqual(await sortKeys('NOT (opt IS NULL)'), ['1', '3'])
  assert.deepEqual(await sortKeys('opt IS NULL'), ['2'])
})

// An empty string can no more be a key value in a SELECT than in a GetItem's Key.
test('SELECT refuses an empty string key value', async () => {
  const empty = 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'
  await expectError(run(`SELECT * FROM "${table}" WHERE pk = ''`), 'ValidationException', empty)
  await expectError(run(`SELECT * FROM "${table}" WHERE pk = ? AND sk = 1`, { Parameters: [{ S: '' }] }), 'ValidationException', empty)
  await expectError(run(`SELECT * FROM "${table}" WHERE pk IN ['', 'a'] AND sk = 1`), 'ValidationException', empty)
})

// Without a partition key equality, SELECT scans; Limit bounds the items evaluated and NextToken resumes.
test('a scanning SELECT pages with Limit and NextToken', async () => {
  const pk = freshPartition()
  for (const sk of [1, 2, 3, 4, 5]) await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': ${sk}, 'scan': 'yes'}`)
  const seen: string[] = []
  let NextToken: string | undefined
  for (let pages = 0; pages < 20; pages++) {
    const page = await run(`SELECT sk FROM "${table}" WHERE scan = 'yes' AND begins_with(pk, '${pk}')`, { Limit: 2, NextToken })
    seen.push(...(page.Items ?? []).map((item) => item.sk!.N!))
    NextToken = page.NextToken
    if (!NextToken) break
  }
  assert.deepEqual(seen.sort(), ['1', '2', '3', '4', '5'])
})

// A NextToken belongs to its statement and parameters (an AWS-validated case of the
// dynamodb-conformance suite: a token from one index's read replayed against another is a
// ValidationException); the Limit may change between pages.
test('a NextToken is refused with another statement or other parameters', async () => {
  const pk = freshPartition()
  for (const sk of [1, 2, 3]) await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': ${sk}}`)
  const statement = `SELECT sk FROM "${table}" WHERE pk = ?`
  const first = await run(statement, { Parameters: [{ S: pk }], Limit: 1 })
  assert.ok(first.NextToken)
  const rest = await run(statement, { Parameters: [{ S: pk }], Limit: 5, NextToken: first.NextToken })
  assert.deepEqual(rest.Items?.map((item) => item.sk!.N), ['2', '3'])
  await expectError(run(`SELECT pk FROM "${table}" WHERE pk = ?`, { Parameters: [{ S: pk }], NextToken: first.NextToken }),
    'ValidationException', 'NextToken does not match request')
  await expectError(run(statement, { Parameters: [{ S: `${pk}-other` }], NextToken: first.NextToken }),
    'ValidationException', 'NextToken does not match request')
  await expectError(run(statement, { Parameters: [{ S: pk }], NextToken: 'bm90IGEgdG9rZW4=' }),
    'ValidationException', 'The provided NextToken is invalid')
})

// A NextToken lasts an hour, as in DynamoDB's PartiQL.
test('a NextToken older than an hour has expired', inProcessOnly('it moves the server\'s clock'), async () => {
  const clock = new ManualClock()
  const timed = await startTestServer({ clock })
  try {
    const tableName = await createKeyTable(timed.client, 'partiql-expiry', 'N')
    const send = (Statement: string, extra: Record<string, unknown> = {}) => timed.client.send(new ExecuteStatementCommand({ Statement, ...extra }))
    for (const sk of [1, 2]) await send(`INSERT INTO "${tableName}" VALUE {'pk': 'p', 'sk': ${sk}}`)
    const statement = `SELECT sk FROM "${tableName}" WHERE pk = 'p'`
    const first = await send(statement, { Limit: 1 })
    clock.advanceSeconds(59 * 60)
    assert.deepEqual((await send(statement, { NextToken: first.NextToken })).Items, [{ sk: { N: '2' } }])
    clock.advanceSeconds(60)
    await expectError(send(statement, { NextToken: first.NextToken }), 'ValidationException', 'Given NextToken has already expired')
  } finally {
    await timed.close()
  }
})

// UPDATE needs the full key; it changes an existing item only (a missing one fails the condition).
test('UPDATE sets, increments and removes; conditions and RETURNING', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'n': 1, 'gone': 'x', 'l': [1]}`)
  const updated = await run(`UPDATE "${table}" SET n = n + 1 SET l = list_append(l, [2]) REMOVE gone WHERE pk = '${pk}' AND sk = 1 RETURNING ALL NEW *`)
  assert.deepEqual(updated.Items, [{ pk: { S: pk }, sk: { N: '1' }, n: { N: '2' }, l: { L: [{ N: '1' }, { N: '2' }] } }])
  const failed = await expectError(run(`UPDATE "${table}" SET n = 5 WHERE pk = '${pk}' AND sk = 1 AND n = 100`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
    'ConditionalCheckFailedException', 'The conditional request failed')
  assert.deepEqual((failed.Item as Record<string, unknown>).n, { N: '2' })
  await expectError(run(`UPDATE "${table}" SET n = 5 WHERE pk = '${pk}' AND sk = 99`), 'ConditionalCheckFailedException')
  await expectError(run(`UPDATE "${table}" SET n = 5 WHERE pk = '${pk}'`), 'ValidationException',
    'Where clause does not contain a mandatory equality on all key attributes')
  await expectError(run(`UPDATE "${table}" SET pk = 'z' WHERE pk = '${pk}' AND sk = 1`), 'ValidationException',
    'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key')
})

// The FROM-first form `FROM "t" WHERE <key> SET ... | REMOVE ...` is the same UPDATE with its
// WHERE ahead of its actions: RETURNING, parameters and lowercase keywords work, a missing key
// fails the condition, and ExecuteTransaction and BatchExecuteStatement run it. Without a WHERE
// no item is named; a WHERE after the actions is left over (recorded against DynamoDB:
// paritysuite's FROM-first UPDATE cases, eu-west-2, October 2026).
test('FROM-first UPDATE runs as an UPDATE of the keyed item', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'a': 1, 'b': 'bee'}`)
  assert.deepEqual((await run(`FROM "${table}" WHERE pk = '${pk}' AND sk = 1 SET c = 1`)).Items, [])
  const returned = await run(`from "${table}" where pk = ? and sk = ? set d = ? remove b returning all new *`,
    { Parameters: [{ S: pk }, { N: '1' }, { N: '4' }] })
  assert.deepEqual(returned.Items, [{ pk: { S: pk }, sk: { N: '1' }, a: { N: '1' }, c: { N: '1' }, d: { N: '4' } }])
  await expectError(run(`FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND a = 2 SET e = 1`), 'ConditionalCheckFailedException')
  await expectError(run(`FROM "${table}" WHERE pk = '${pk}' AND sk = 2 SET e = 1`), 'ConditionalCheckFailedException')
  assert.equal(await read(pk, 2), undefined)
  await client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `FROM "${table}" WHERE pk = '${pk}' AND sk = 1 SET e = 5` }] }))
  const batch = await client.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `FROM "${table}" WHERE pk = '${pk}' AND sk = 1 REMOVE a` }] }))
  assert.deepEqual(batch.Responses, [{ TableName: table }])
  assert.deepEqual(await read(pk, 1), { pk: { S: pk }, sk: { N: '1' }, c: { N: '1' }, d: { N: '4' }, e: { N: '5' } })
  const noKey = 'Where clause does not contain a mandatory equality on all key attributes'
  await expectError(run(`FROM "${table}" SET c = 1`), 'ValidationException', noKey)
  await expectError(run(`FROM "${table}" REMOVE c`), 'ValidationException', noKey)
  await expectError(run(`FROM "${table}" WHERE c = 1 SET c = 2`), 'ValidationException', noKey)
  const leftOver = "Statement wasn't well formed, can't be processed: Unexpected token after expression"
  await expectError(run(`FROM "${table}" SET c = 1 WHERE pk = '${pk}' AND sk = 1`), 'ValidationException', leftOver)
  await expectError(run(`FROM "${table}-missing" WHERE pk = '${pk}' AND sk = 1 SET c = 1`), 'ResourceNotFoundException', 'Requested resource not found')
})

// A statement has no UpdateExpression or ConditionExpression, so problems in what it becomes are
// told bare, and in a transaction as the statement's (floci's PartiQL edge cases, recorded
// against DynamoDB, eu-west-2, 2026-09-17).
test('write statement problems do not name the expressions they became', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'n': 1}`)
  const operand = 'Incorrect operand type for operator or function; operator or function: '
  await expectError(run(`UPDATE "${table}" SET n = 'a' + 1 WHERE pk = '${pk}' AND sk = 1`), 'ValidationException', `${operand}+, operand type: S`)
  await expectError(run(`UPDATE "${table}" SET n = n - null WHERE pk = '${pk}' AND sk = 1`), 'ValidationException', `${operand}-, operand type: NULL`)
  const candidates = Array.from({ length: 101 }, (_, index) => `'v${index}'`).join(', ')
  const tooMany = 'The IN operator is provided with too many operands; number of operands: 101'
  await expectError(run(`UPDATE "${table}" SET t = 1 WHERE pk = '${pk}' AND sk = 1 AND flag IN [${candidates}]`), 'ValidationException', tooMany)
  await expectError(run(`DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND flag IN [${candidates}]`), 'ValidationException', tooMany)
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `UPDATE "${table}" SET t = 1 WHERE pk = '${pk}' AND sk = 1` },
    { Statement: `UPDATE "${table}" SET n = n + [1] WHERE pk = '${pk}' AND sk = 1` },
  ] })), 'ValidationException', `Validation failed in TransactStatements[1]: ${operand}+, operand type: L`)
  assert.deepEqual(await read(pk, 1), { pk: { S: pk }, sk: { N: '1' }, n: { N: '1' } })
})

// DELETE of a missing item succeeds; extra conditions guard the delete.
test('DELETE by full key, with a condition', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'v': 'keep'}`)
  await run(`DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 2`)
  // On a missing key the other conditions are never evaluated: a silent no-op, not a failed
  // condition (an AWS-validated suite's ExecuteStatement case).
  await run(`DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 2 AND v = 'other'`)
  assert.equal(await read(pk, 2), undefined)
  await expectError(run(`DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND v = 'other'`), 'ConditionalCheckFailedException')
  await run(`DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND v = 'keep'`)
  assert.equal(await read(pk, 1), undefined)
})

// Statement errors carry DynamoDB's texts; an unknown table is ResourceNotFoundException.
// attribute_exists and attribute_not_exists test one path in WHERE, as IS [NOT] MISSING does,
// alone or compared with a boolean, and guard an UPDATE or DELETE (an AWS-validated suite's
// PartiQL WHERE-function cases, with its messages for operands that are not one path).
test('attribute_exists and attribute_not_exists in WHERE', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'm': {'sub': 1}}`)
  const keys = async (condition: string) =>
    (await run(`SELECT sk FROM "${table}" WHERE pk = '${pk}' AND ${condition}`)).Items!.map((item) => item.sk!.N)
  assert.deepEqual(await keys('attribute_exists(m)'), ['1'])
  assert.deepEqual(await keys('ATTRIBUTE_EXISTS("m")'), ['1'])
  assert.deepEqual(await keys('attribute_exists(m.sub)'), ['1'])
  assert.deepEqual(await keys('attribute_exists(m.nope)'), [])
  assert.deepEqual(await keys('attribute_not_exists(nope)'), ['1'])
  assert.deepEqual(await keys('NOT attribute_exists(nope)'), ['1'])
  assert.deepEqual(await keys('(attribute_exists(nope) OR attribute_exists(m))'), ['1'])
  assert.deepEqual(await keys('attribute_exists(m) = true'), ['1'])
  assert.deepEqual(await keys('attribute_exists(m) = false'), [])
  // IS takes PartiQL type names too (an AWS-validated suite's WHERE-function cases).
  assert.deepEqual(await keys('m IS STRUCT'), ['1'])
  assert.deepEqual(await keys('m IS BOOL'), [])
  assert.deepEqual(await keys('m IS NOT STRING'), ['1'])
  await expectError(run(`UPDATE "${table}" SET v = 1 WHERE pk = '${pk}' AND sk = 1 AND attribute_exists(nope)`), 'ConditionalCheckFailedException')
  await run(`UPDATE "${table}" SET v = 1 WHERE pk = '${pk}' AND sk = 1 AND attribute_not_exists(v)`)
  assert.equal((await read(pk, 1))?.v?.N, '1')
  await expectError(run(`DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND attribute_not_exists(v)`), 'ConditionalCheckFailedException')
  // A statement has no FilterExpression, so a comparison's operand problem does not name one.
  await expectError(run(`SELECT * FROM "${table}" WHERE pk = ? AND v < ?`, { Parameters: [{ S: pk }, { BOOL: true }] }), 'ValidationException',
    'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL')
  const operands = 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: '
  await expectError(run(`SELECT * FROM "${table}" WHERE pk = '${pk}' AND attribute_exists()`), 'ValidationException', `${operands}0`)
  await expectError(run(`SELECT * FROM "${table}" WHERE pk = '${pk}' AND attribute_exists(m, v)`), 'ValidationException', `${operands}2`)
  for (const operand of ["'m'", '?']) {
    await expectError(run(`SELECT * FROM "${table}" WHERE pk = '${pk}' AND attribute_exists(${operand})`, operand === '?' ? { Parameters: [{ S: 'm' }] } : {}),
      'ValidationException', 'Operator or function requires a document path; operator or function: attribute_exists')
  }
})

// A `?` stands for a whole value: top-level, an INSERT attribute's or an IN candidate's. Inside a
// list or map literal it is refused, naming its place in the literal, and nothing is written
// (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
test('a parameter inside a list or map literal is refused', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': ?, 'sk': 1, 'v': ?}`, { Parameters: [{ S: pk }, { S: 'top' }] })
  assert.deepEqual((await run(`SELECT v FROM "${table}" WHERE pk = '${pk}' AND sk IN [?, 2]`, { Parameters: [{ N: '1' }] })).Items, [{ v: { S: 'top' } }])
  const update = `UPDATE "${table}" SET x = [?] WHERE pk = '${pk}' AND sk = 1`
  await expectError(run(update, { Parameters: [{ S: 'v' }] }), 'ValidationException',
    `Unsupported data type: Parameter under key root[0] at 1:${update.indexOf('?') + 1}:1`)
  const insert = `INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2, 'm': {'k': ?}}`
  await expectError(run(insert, { Parameters: [{ S: 'v' }] }), 'ValidationException',
    `Unsupported data type: Parameter under key root.k at 1:${insert.indexOf('?') + 1}:1`)
  assert.equal(await read(pk, 2), undefined)
  assert.equal((await read(pk, 1))?.x, undefined)
})

// A literal nests as deep as an item may: 31 maps around a value are fine, an INSERT attribute's
// too, and 32 are refused at the value, its place spelled out, in a transaction as the
// statement's (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
test('literal nesting is bounded as items are', async () => {
  const pk = freshPartition()
  const maps = (levels: number) => `${"{'a': ".repeat(levels)}1${'}'.repeat(levels)}`
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'd': ${maps(31)}}`)
  await run(`UPDATE "${table}" SET e = ${maps(31)} WHERE pk = '${pk}' AND sk = 1`)
  let value = (await read(pk, 1))?.e
  for (let level = 0; level < 31; level++) value = value?.M?.a
  assert.deepEqual(value, { N: '1' })
  const tooDeep = `Nesting Levels have exceeded supported limits under root${'.a'.repeat(32)}`
  await expectError(run(`UPDATE "${table}" SET f = ${maps(32)} WHERE pk = '${pk}' AND sk = 1`), 'ValidationException', tooDeep)
  await expectError(run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2, 'd': [${maps(31)}]}`), 'ValidationException',
    `Nesting Levels have exceeded supported limits under root[0]${'.a'.repeat(31)}`)
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `UPDATE "${table}" SET f = ${maps(32)} WHERE pk = '${pk}' AND sk = 1` },
  ] })), 'ValidationException', `Validation failed in TransactStatements[0]: ${tooDeep}`)
  assert.equal(await read(pk, 2), undefined)
})

// A number may carry any chain of signs, and a condition's truth is a BOOL that can be compared:
// equal to true or false it is the condition or its negation, to another literal never, to a path
// whatever BOOL the path holds; an ordering comparison refuses the BOOL (floci's PartiQL edge
// cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
test('signed numbers and conditions compared as BOOLs in WHERE', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'n': 1, 'yea': TRUE, 'nay': FALSE}`)
  const keys = async (condition: string) =>
    (await run(`SELECT sk FROM "${table}" WHERE pk = '${pk}' AND ${condition}`)).Items!.map((item) => item.sk!.N)
  for (const condition of ['n = - - 1', 'n < +5', 'n BETWEEN - 2 AND +5', 'true = attribute_exists(n)', '(n BETWEEN 0 AND 5) = true',
    'attribute_exists(n) = yea', 'attribute_exists(nope) = nay', 'attribute_exists(n) <> nay', '(n = 2) = false']) {
    assert.deepEqual(await keys(condition), ['1'], condition)
  }
  for (const condition of ['n = -1', 'attribute_exists(n) = 1', 'attribute_exists(n) = nay', 'attribute_exists(n) = nope', '(n = 1) <> true']) {
    assert.deepEqual(await keys(condition), [], condition)
  }
  await expectError(run(`SELECT sk FROM "${table}" WHERE pk = '${pk}' AND attribute_exists(n) > false`), 'ValidationException',
    'Incorrect operand type for operator or function; operator or function: >, operand type: BOOL')
  await run(`UPDATE "${table}" SET n = n + -1 WHERE pk = '${pk}' AND sk = 1 AND attribute_exists(yea) = true`)
  assert.deepEqual((await read(pk, 1))?.n, { N: '0' })
})

// A number parameter is read as Java's BigDecimal reads it: an exponent, or the scale it makes,
// that does not fit an int cannot be converted at all, while 1e2147483647 underflows. In
// BatchExecuteStatement such a parameter fails only its own statement (an AWS-validated suite's
// PartiQL parameter-number cases).
test('number parameters DynamoDB cannot convert', localDiffers('its message is "A value provided cannot be converted into a number"'), async () => {
  const pk = freshPartition()
  const statement = `SELECT * FROM "${table}" WHERE pk = '${pk}' AND n = ?`
  for (const number of ['1e99999999999', '-1e99999999999', '1e-99999999999', '1e2147483648', '1e-2147483648']) {
    await expectError(run(statement, { Parameters: [{ N: number }] }), 'ValidationException', `The parameter cannot be converted to a numeric value: ${number}`)
    await expectError(run(statement, { Parameters: [{ L: [{ N: '1' }, { N: number }] }] }), 'ValidationException',
      `The parameter cannot be converted to a numeric value: ${number}`)
  }
  await expectError(run(statement, { Parameters: [{ N: '1e2147483647' }] }), 'ValidationException',
    'Number underflow. Attempting to store a number with magnitude smaller than supported range')
  const batch = await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = ?`, Parameters: [{ N: '1e99999999999' }] },
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = ?`, Parameters: [{ N: '1' }] },
  ] }))
  assert.deepEqual(batch.Responses, [
    { Error: { Code: 'ValidationError', Message: 'The parameter cannot be converted to a numeric value: 1e99999999999' } },
    { TableName: table },
  ])
})

// set_add and set_delete, and functions where DynamoDB's PartiQL has none, are refused in
// DynamoDB's words, placed at the token ("at line:column:length"); an EXISTS check must test more
// than the key (an AWS-validated suite's PartiQL function cases).
test('PartiQL function misuse', localDiffers('it words the misuse its own way'), async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'ss': <<'a'>>}`)
  const update = (set: string) => run(`UPDATE "${table}" SET ${set} WHERE pk = '${pk}' AND sk = 1`)
  await update(`ss = set_add(ss, <<'b'>>)`)
  assert.deepEqual((await read(pk, 1))?.ss?.SS?.sort(), ['a', 'b'])
  const statement = (set: string) => `UPDATE "${table}" SET ${set} WHERE pk = '${pk}' AND sk = 1`
  const at = (set: string, token: string, after = 0) => {
    const text = statement(set)
    return `1:${text.indexOf(token, text.indexOf(set) + after) + 1}:${token.length}`
  }
  const cases: Array<[string, string]> = [
    [`t = set_add(ss, <<'x'>>)`, `The first argument to SET_ADD must equal the assignment value at ${at(`t = set_add(ss, <<'x'>>)`, 'set_add')}`],
    [`ss = set_add(ss, 'x')`, `The second argument to SET_ADD must be a value with type SET at ${at(`ss = set_add(ss, 'x')`, 'ss', 5)}`],
    [`ss = set_add(ss)`, `SET_ADD must have exactly two arguments at ${at(`ss = set_add(ss)`, 'set_add')}`],
    [`ss = set_delete(ss, 'x')`, `The second argument to SET_DELETE must be a value with type SET at ${at(`ss = set_delete(ss, 'x')`, 'ss', 5)}`],
    [`ss = set_add(ss, <<>>)`, 'Empty bags are not supported'],
  ]
  for (const [set, message] of cases) await expectError(update(set), 'ValidationException', message)
  const select = `SELECT * FROM "${table}" WHERE pk = '${pk}' AND set_add(ss, <<'x'>>) = ss`
  await expectError(run(select), 'ValidationException', `Unrecognized function: set_add at 1:${select.indexOf('set_add') + 1}:7`)
  const insert = `INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2, 'ss': set_add(<<'a'>>, <<'b'>>)}`
  await expectError(run(insert), 'ValidationException', `Unsupported data type: set_add under key root at 1:${insert.indexOf('set_add') + 1}:7`)
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 1)` },
    { Statement: `UPDATE "${table}" SET z = 1 WHERE pk = '${pk}' AND sk = 1` },
  ] })), 'ValidationException', 'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition')
})

// A SELECT projects document paths only, and a name after a dot must be a name to PartiQL's
// lexer: a function call in the projection is placed at the call, a reserved word such as `inner`
// after a dot is "Invalid path dot component" (an AWS-validated suite's PartiQL function cases).
test('PartiQL projection calls and reserved words after a dot', localDiffers('it calls such statements not well formed'), async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'm': {'inner': 1, 'plain': 2}}`)
  const projection = `SELECT attribute_exists(m) FROM "${table}" WHERE pk = '${pk}'`
  await expectError(run(projection), 'ValidationException', `Unexpected path component at 1:8:16`)
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `SELECT pk, size(m) FROM "${table}" WHERE pk = '${pk}' AND sk = 1` },
  ] })), 'ValidationException', 'Validation failed in TransactStatements[0]: Unexpected path component at 1:12:4')
  const malformed = "Statement wasn't well formed, can't be processed: Invalid path dot component"
  await expectError(run(`SELECT * FROM "${table}" WHERE pk = '${pk}' AND attribute_exists(m.inner)`), 'ValidationException', malformed)
  await expectError(run(`SELECT m.Value FROM "${table}" WHERE pk = '${pk}'`), 'ValidationException', malformed)
  await expectError(run(`UPDATE "${table}" SET m.inner = 3 WHERE pk = '${pk}' AND sk = 1`), 'ValidationException', malformed)
  // Quoted, the same name is a name.
  const quoted = await run(`SELECT m."inner", m.plain FROM "${table}" WHERE pk = '${pk}'`)
  assert.deepEqual(quoted.Items, [{ inner: { N: '1' }, plain: { N: '2' } }])
})

// A list index is an int: `[-0]` is `[0]`, and one below zero or past 2147483647 is refused at its
// digits (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
test('PartiQL list indexes out of range name their place', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'l': ['a', 'b']}`)
  assert.deepEqual((await run(`SELECT l[-0] FROM "${table}" WHERE pk = '${pk}'`)).Items, [{ 'l[0]': { S: 'a' } }])
  const range = 'List index is not within the allowable range; index: '
  await expectError(run(`SELECT l[-1] FROM "${table}" WHERE pk = '${pk}'`), 'ValidationException', `${range}[-1] at 1:11:1`)
  await expectError(run(`SELECT l[2147483648] FROM "${table}" WHERE pk = '${pk}'`), 'ValidationException', `${range}[2147483648] at 1:10:10`)
})

test('malformed statements and unknown tables', { ...localDiffers('DynamoDB Local echoes the statement instead of the parse detail') }, async () => {
  await expectError(run(`SELECT * FROM "${table}" WHERE`), 'ValidationException', "Statement wasn't well formed, can't be processed: Unexpected term")
  // A closing ';' is still the end, and a statement that is a type test parses before it is
  // refused (paritysuite's PartiQL grammar cases, pinned against DynamoDB, eu-west-2, October 2026).
  await expectError(run(`SELECT * FROM "${table}" WHERE;`), 'ValidationException', "Statement wasn't well formed, can't be processed: Unexpected term")
  for (const type of ['INT4', 'INT8', 'DOUBLE PRECISION', 'character varying']) {
    await expectError(run(`x IS ${type}`), 'ValidationException', 'Unsupported operation: IsType')
  }
  await expectError(run('x IS NOT INTEGER;'), 'ValidationException', 'Unsupported operation: IsType')
  await expectError(run(`SELECT * FROM "${table}-missing"`), 'ResourceNotFoundException', 'Requested resource not found')
})

// The document client converts native values both ways, as for any other operation.
test('lib-dynamodb ExecuteStatementCommand', async () => {
  const pk = freshPartition()
  await server.doc.send(new DocumentExecuteStatementCommand({ Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?, 'list': ?}`, Parameters: [pk, 1, [1, 'two']] }))
  const output = await server.doc.send(new DocumentExecuteStatementCommand({ Statement: `SELECT * FROM "${table}" WHERE pk = ? AND sk = ?`, Parameters: [pk, 1] }))
  assert.deepEqual(output.Items, [{ pk, sk: 1, list: [1, 'two'] }])
})

// Each statement of a batch is answered on its own: a failure does not fail the others.
test('BatchExecuteStatement answers each statement', localDiffers('it runs only single-item selects in a batch'), async () => {
  const pk = freshPartition()
  const writes = await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1}` },
    { Statement: `UPDATE "${table}" SET v = 1 WHERE pk = '${pk}' AND sk = 2` },
    { Statement: `INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 3}` },
  ] }))
  assert.equal(writes.Responses?.length, 3)
  assert.equal(writes.Responses?.[0]?.Error, undefined)
  assert.deepEqual(writes.Responses?.[1]?.Error, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' })
  assert.equal(writes.Responses?.[2]?.Error, undefined)
  const reads = await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 1` },
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 2` },
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}'` },
    // Only the key may be named (an AWS-validated suite's BatchExecuteStatement cases).
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND attribute_exists(v)` },
  ] }))
  const keyNeeded = { Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } }
  assert.deepEqual(reads.Responses, [
    { TableName: table, Item: { pk: { S: pk }, sk: { N: '1' } } },
    { TableName: table },
    keyNeeded,
    keyNeeded,
  ])
  await expectError(client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 1` },
    { Statement: `DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1` },
  ] })), 'ValidationException', 'Read and write requests together in the same batch is not supported.')
})

// A batch naming one item twice is refused whole, reads (as BatchGetItem refuses them) and writes
// alike, and 1 and 1.0 name one item; the same key in two tables is two items. DynamoDB Local
// answers every case so.
test('BatchExecuteStatement refuses a batch that names one item twice', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'v': 'x'}`)
  const batch = (...Statements: Array<{ Statement: string; Parameters?: AttributeValue[] }>) =>
    client.send(new BatchExecuteStatementCommand({ Statements }))
  const select = (sk: string) => ({ Statement: `SELECT * FROM "${table}" WHERE pk = ? AND sk = ?`, Parameters: [{ S: pk }, { N: sk }] })
  const duplicates = 'Provided list of item keys contains duplicates'
  await expectError(batch(select('1'), select('1')), 'ValidationException', duplicates)
  await expectError(batch(select('1'), select('2'), select('1.0')), 'ValidationException', duplicates)
  await expectError(batch(
    { Statement: `UPDATE "${table}" SET v = 'y' WHERE pk = '${pk}' AND sk = 1` },
    { Statement: `DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1.0` },
  ), 'ValidationException', duplicates)
  assert.equal((await read(pk, 1))?.v?.S, 'x', 'nothing of the refused batch was written')
  // A member that names no single item is refused on its own, and does not count as a repeat.
  const reads = await batch(select('1'), { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}'` }, select('2'))
  assert.deepEqual(reads.Responses?.map((response) => response.Error?.Code ?? response.Item?.sk?.N ?? 'none'), ['1', 'ValidationError', 'none'])
})

// A batch member's RETURNING is honoured: its values are the response's Item, absent (not {})
// when a MODIFIED projection is empty. A member that ran and failed names its table; one refused
// before it ran does not. DELETE allows only RETURNING ALL OLD *, refused per member in DynamoDB's
// words. An AWS-validated suite's BatchExecuteStatement cases.
test('BatchExecuteStatement honours RETURNING and names the table of a member that ran', async () => {
  const pk = freshPartition()
  for (const sk of [1, 3, 4, 5]) await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': ${sk}, 'v': 'old'}`)
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 7, 'm': {}}`)
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2, 'v': 'gone'}`)
  const batch = await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `UPDATE "${table}" SET v = 'new' WHERE pk = '${pk}' AND sk = 1 RETURNING MODIFIED NEW *` },
    { Statement: `DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 2 RETURNING ALL OLD *` },
    { Statement: `UPDATE "${table}" REMOVE v WHERE pk = '${pk}' AND sk = 3 RETURNING MODIFIED NEW *` },
    { Statement: `UPDATE "${table}" SET v = 'x' WHERE pk = '${pk}' AND sk = 4 AND v = 'wrong'` },
    { Statement: `INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 5}` },
    { Statement: `DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 6 RETURNING MODIFIED OLD *` },
    // Stopped at its table: the value, 32 levels deep once stored, is refused while the item is written.
    { Statement: `UPDATE "${table}" SET m.deep = ? WHERE pk = '${pk}' AND sk = 7`, Parameters: [nestedMaps(31)] },
  ] }))
  assert.deepEqual(batch.Responses, [
    { TableName: table, Item: { v: { S: 'new' } } },
    { TableName: table, Item: { pk: { S: pk }, sk: { N: '2' }, v: { S: 'gone' } } },
    { TableName: table },
    { TableName: table, Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
    { TableName: table, Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
    { Error: { Code: 'ValidationError', Message: 'Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.' } },
    { TableName: table, Error: { Code: 'ValidationError', Message: 'Nesting Levels have exceeded supported limits' } },
  ])
  await expectError(run(`DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1 RETURNING ALL NEW *`), 'ValidationException',
    'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.')
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `UPDATE "${table}" SET v = 'y' WHERE pk = '${pk}' AND sk = 1 RETURNING ALL NEW *` },
  ] })), 'ValidationException', 'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.')
})

// A batch reports the capacity of its members per table, each read rated by its own
// ConsistentRead: half a unit eventually consistent, one unit consistent, the sum when mixed.
test('BatchExecuteStatement reports capacity, each read by its own ConsistentRead', localDiffers('it reports no capacity for a batch'), async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1}`)
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2}`)
  const cost = async (...consistent: Array<boolean | undefined>) => (await client.send(new BatchExecuteStatementCommand({
    Statements: consistent.map((ConsistentRead, index) => ({ Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = ${index + 1}`, ConsistentRead })),
    ReturnConsumedCapacity: 'TOTAL',
  }))).ConsumedCapacity
  assert.deepEqual(await cost(undefined), [{ TableName: table, CapacityUnits: 0.5 }])
  assert.deepEqual(await cost(false), [{ TableName: table, CapacityUnits: 0.5 }])
  assert.deepEqual(await cost(true), [{ TableName: table, CapacityUnits: 1 }])
  assert.deepEqual(await cost(true, undefined), [{ TableName: table, CapacityUnits: 1.5 }])
  const writes = await client.send(new BatchExecuteStatementCommand({
    Statements: [{ Statement: `UPDATE "${table}" SET v = 1 WHERE pk = '${pk}' AND sk = 1` }], ReturnConsumedCapacity: 'INDEXES',
  }))
  assert.deepEqual(writes.ConsumedCapacity, [{ TableName: table, CapacityUnits: 1, Table: { CapacityUnits: 1 } }])
})

// A transaction of writes is all-or-nothing with a cancellation reason per statement.
test('ExecuteTransaction writes all or nothing', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'n': 1}`)
  await client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2}` },
    { Statement: `UPDATE "${table}" SET n = n + 1 WHERE pk = '${pk}' AND sk = 1` },
  ] }))
  assert.deepEqual((await read(pk, 1))?.n, { N: '2' })
  const error = await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 3}` },
    { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND n = 1)` },
  ] })), 'TransactionCanceledException')
  assert.deepEqual((error.CancellationReasons as Array<{ Code: string }>).map((reason) => reason.Code), ['None', 'ConditionalCheckFailed'])
  assert.equal(await read(pk, 3), undefined)
  const reads = await client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `SELECT n FROM "${table}" WHERE pk = '${pk}' AND sk = 1` },
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 9` },
  ] }))
  assert.deepEqual(reads.Responses, [{ Item: { n: { N: '2' } } }, {}])
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `SELECT * FROM "${table}" WHERE pk = '${pk}'` },
  ] })), 'ValidationException',
  'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.')
})

// In a transaction a write statement that names no item of an existing table, or one on a missing
// table, cancels it before anything is written, with that statement's reason and None for the
// others; a read may name its key twice or with a one-value IN (floci's PartiQL edge cases,
// recorded against DynamoDB, eu-west-2, 2026-09-17).
test('ExecuteTransaction statements that name no item', localDiffers('it refuses such statements as the request\'s ValidationException'), async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'flag': 'one'}`)
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2, 'flag': 'two'}`)
  const reasonsOf = async (...statements: string[]) => {
    const error = await expectError(client.send(new ExecuteTransactionCommand({
      TransactStatements: statements.map((Statement) => ({ Statement })),
    })), 'TransactionCanceledException')
    return error.CancellationReasons
  }
  const badKey = { Code: 'ValidationError', Message: 'The provided key element does not match the schema' }
  assert.deepEqual(await reasonsOf(
    `UPDATE "${table}" SET a = 1 WHERE pk = '${pk}'`,
    `UPDATE "${table}" SET a = 1 WHERE pk IN ['${pk}'] AND sk = 1`,
    `UPDATE "${table}" SET a = 1 WHERE pk = '${pk}' AND sk = 1`,
  ), [badKey, badKey, { Code: 'None' }])
  assert.deepEqual(await reasonsOf(`INSERT INTO "${table}" VALUE {'pk': '${pk}'}`, `DELETE FROM "${table}" WHERE pk = '${pk}' AND sk = 1`), [
    { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Missing the key sk in the item' },
    { Code: 'None' },
  ])
  const missing = { Code: 'ResourceNotFound', Message: 'Requested resource not found' }
  assert.deepEqual(await reasonsOf(`UPDATE "${table}-missing" SET a = 1 WHERE pk = 'x' AND sk = 1`, `DELETE FROM "${table}-missing" WHERE pk = 'x' AND sk = 1`),
    [missing, missing])
  // Nothing ran: the good statements of the cancelled transactions wrote nothing.
  assert.deepEqual(await read(pk, 1), { pk: { S: pk }, sk: { N: '1' }, flag: { S: 'one' } })
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk IN ['${pk}'] AND sk = 1 AND flag = 'one')` },
    { Statement: `UPDATE "${table}" SET b = 1 WHERE pk = '${pk}' AND sk = 2` },
  ] })), 'ValidationException', 'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition')
  const reads = await client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `SELECT sk FROM "${table}" WHERE pk IN ['${pk}'] AND sk IN [1]` },
    { Statement: `SELECT flag FROM "${table}" WHERE (sk = 2) AND pk = '${pk}' AND pk = '${pk}'` },
  ] }))
  assert.deepEqual(reads.Responses, [{ Item: { sk: { N: '1' } } }, { Item: { flag: { S: 'two' } } }])
  const batch = await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `SELECT sk FROM "${table}" WHERE pk IN ['${pk}'] AND sk = 1` },
    { Statement: `SELECT sk FROM "${table}" WHERE pk IN ['${pk}', 'other'] AND sk = 1` },
  ] }))
  assert.deepEqual(batch.Responses, [{ TableName: table, Item: { sk: { N: '1' } } },
    { Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } }])
})

// A word PartiQL reserves is no name at the head of a path either: DynamoDB Local refuses each
// (`size` also in a public report against DynamoDB); quoted it is a name.
test('a reserved word bare at the head of a path is refused; quoted it is a name', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'count': 3, 'date': 'today'}`)
  for (const statement of [
    `SELECT count FROM "${table}" WHERE pk = '${pk}'`,
    `SELECT sk FROM "${table}" WHERE pk = '${pk}' AND size IS MISSING`,
    `SELECT sk FROM "${table}" WHERE pk = '${pk}' AND date = 'today'`,
    `UPDATE "${table}" SET count = 4 WHERE pk = '${pk}' AND sk = 1`,
    `UPDATE "${table}" REMOVE key WHERE pk = '${pk}' AND sk = 1`,
  ]) {
    await expectError(run(statement), 'ValidationException', /^Statement wasn't well formed, can't be processed: /)
  }
  const { Items } = await run(`SELECT "count", "date" FROM "${table}" WHERE pk = '${pk}' AND "date" = 'today'`)
  assert.deepEqual(Items, [{ count: { N: '3' }, date: { S: 'today' } }])
  // Words of later PartiQL versions are names (DynamoDB Local takes them so).
  await run(`UPDATE "${table}" SET offset = 7 WHERE pk = '${pk}' AND sk = 1`)
  assert.deepEqual((await run(`SELECT offset FROM "${table}" WHERE pk = '${pk}' AND offset = 7`)).Items, [{ offset: { N: '7' } }])
  await run(`UPDATE "${table}" SET "count" = "count" + 1 WHERE pk = '${pk}' AND sk = 1`)
  assert.deepEqual((await read(pk, 1))?.count, { N: '4' })
})

// Two projected paths that would come back under one name are refused (DynamoDB Local's words),
// not answered with one of them under the name.
test('a SELECT whose paths come back under one name is refused', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'b': 'top', 'm': {'b': 'inner'}}`)
  for (const projection of ['b, m.b', 'm.b, b']) {
    await expectError(run(`SELECT ${projection} FROM "${table}" WHERE pk = '${pk}'`), 'ValidationException', 'Duplicate identifiers in select clause: b')
  }
  assert.deepEqual((await run(`SELECT b, m FROM "${table}" WHERE pk = '${pk}'`)).Items, [{ b: { S: 'top' }, m: { M: { b: { S: 'inner' } } } }])
  await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `SELECT b, m.b FROM "${table}" WHERE pk = '${pk}' AND sk = 1` },
  ] })), 'ValidationException', 'Validation failed in TransactStatements[0]: Duplicate identifiers in select clause: b')
})

// EXISTS is a condition check of ExecuteTransaction: alone, or in a batch, it is refused in
// DynamoDB Local's words, a batch member by its own Error. In a batch it once failed the whole
// request with an InternalServerError after the members before it had committed, so that the
// SDK's retries applied them again.
test('EXISTS outside ExecuteTransaction is refused, in a batch as its own member', async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'n': 0}`)
  const exists = `EXISTS(SELECT * FROM "${table}" WHERE pk = '${pk}' AND sk = 1 AND n = 0)`
  const refusal = 'EXISTS can only be used in ExecuteTransaction write requests.'
  await expectError(run(exists), 'ValidationException', refusal)
  const { Responses } = await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `UPDATE "${table}" SET n = n + 1 WHERE pk = '${pk}' AND sk = 1` },
    { Statement: exists },
  ] }))
  assert.deepEqual(Responses, [{ TableName: table }, { Error: { Code: 'ValidationError', Message: refusal } }])
  assert.deepEqual((await read(pk, 1))?.n, { N: '1' })
})

// A member that fails for a reason that is not the client's (here a storage failure) is answered
// with its own InternalServerError: the members before it have committed, and an error for the
// whole batch would have the client's retry apply them again.
test('a batch member that fails on the server answers its own InternalServerError', inProcessOnly('it breaks the server\'s storage'), async () => {
  const pk = freshPartition()
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 1, 'n': 0}`)
  await run(`INSERT INTO "${table}" VALUE {'pk': '${pk}', 'sk': 2, 'n': 0}`)
  const { storage } = await server.running!.regions.get('us-east-1')
  const transact = storage.transact
  // The second item write fails: counting item writes (by key) only, as background work (a
  // lease renewed on PostgreSQL) may run transactions of its own meanwhile.
  let itemWrites = 0
  storage.transact = ((...args: Parameters<typeof transact>) =>
    args[1]?.byKey === true && ++itemWrites === 2 ? Promise.reject(new Error('the disk is on fire')) : transact.apply(storage, args)) as typeof transact
  try {
    const { Responses } = await client.send(new BatchExecuteStatementCommand({ Statements: [
      { Statement: `UPDATE "${table}" SET n = n + 1 WHERE pk = '${pk}' AND sk = 1` },
      { Statement: `UPDATE "${table}" SET n = n + 1 WHERE pk = '${pk}' AND sk = 2` },
    ] }))
    assert.deepEqual(Responses![0], { TableName: table })
    assert.equal(Responses![1]!.Error!.Code, 'InternalServerError')
    assert.match(Responses![1]!.Error!.Message!, /^Internal server error \(request id /)
  } finally {
    storage.transact = transact
  }
  assert.deepEqual((await read(pk, 1))?.n, { N: '1' })
  assert.deepEqual((await read(pk, 2))?.n, { N: '0' })
})

// A key value longer than a key may hold is refused in PartiQL's own words, by every statement
// that names one item: as the request's error (ExecuteStatement), the statement's
// (BatchExecuteStatement, a SELECT there too), or its cancellation reason (ExecuteTransaction),
// as DynamoDB Local 2026-05-28 answers each. A SELECT of ExecuteStatement reads a key range and
// finds nothing, as there.
test('a key value past its size limit is refused in PartiQL words by every statement naming one item', async () => {
  const sized = await createKeyTable(client, 'partiql-sizes', 'S')
  const tooLong = 'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes'
  const longSort = { S: 's'.repeat(1025) }
  const longPartition = { S: 'p'.repeat(2049) }
  const statements: Array<[string, AttributeValue[]]> = [
    [`INSERT INTO "${sized}" VALUE {'pk': ?, 'sk': ?}`, [{ S: 'a' }, longSort]],
    [`INSERT INTO "${sized}" VALUE {'pk': ?, 'sk': ?}`, [longPartition, { S: 'a' }]],
    [`UPDATE "${sized}" SET x = 1 WHERE pk = ? AND sk = ?`, [{ S: 'a' }, longSort]],
    [`DELETE FROM "${sized}" WHERE pk = ? AND sk = ?`, [longPartition, { S: 'a' }]],
  ]
  for (const [Statement, Parameters] of statements) {
    await expectError(run(Statement, { Parameters }), 'ValidationException', tooLong)
    const { Responses } = await client.send(new BatchExecuteStatementCommand({ Statements: [{ Statement, Parameters }] }))
    assert.deepEqual(Responses?.[0]?.Error, { Code: 'ValidationError', Message: tooLong })
    const cancelled = await expectError(client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement, Parameters }] })),
      'TransactionCanceledException')
    assert.deepEqual((cancelled as { CancellationReasons?: unknown }).CancellationReasons, [{ Code: 'ValidationError', Message: tooLong }])
  }
  const select = `SELECT * FROM "${sized}" WHERE pk = ? AND sk = ?`
  const { Responses } = await client.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: select, Parameters: [{ S: 'a' }, longSort] }] }))
  assert.deepEqual(Responses?.[0]?.Error, { Code: 'ValidationError', Message: tooLong })
  assert.deepEqual((await run(select, { Parameters: [{ S: 'a' }, longSort] })).Items, [])
  // At the limits, written and read back.
  const longest = [{ S: 'p'.repeat(2048) }, { S: 's'.repeat(1024) }]
  await run(`INSERT INTO "${sized}" VALUE {'pk': ?, 'sk': ?}`, { Parameters: longest })
  assert.equal((await run(select, { Parameters: longest })).Items?.length, 1)
})
