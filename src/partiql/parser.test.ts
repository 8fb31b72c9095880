import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ValidationException } from '../errors.js'
import { ExpressionWriter } from './expression-writer.js'
import { parseStatement } from './parser.js'

const malformed = (detail: string) => `Statement wasn't well formed, can't be processed: ${detail}`

function rejects(statement: string, message: string, parameters: Parameters<typeof parseStatement>[1] = []): void {
  assert.throws(() => parseStatement(statement, parameters), (error: unknown) => {
    assert.ok(error instanceof ValidationException, String(error))
    assert.equal(error.message, message)
    return true
  })
}

test('SELECT with projection, index, WHERE and ORDER BY', () => {
  const parsed = parseStatement(`select a.b[2], "c" FROM "tab"."idx" WHERE pk = 'x' AND n >= 3 ORDER BY sk DESC`)
  assert.deepEqual(parsed, {
    kind: 'select', table: 'tab', index: 'idx',
    projection: [{ kind: 'path', steps: ['a', 'b', 2] }, { kind: 'path', steps: ['c'] }],
    where: {
      kind: 'and',
      left: { kind: 'compare', comparator: '=', left: { kind: 'path', steps: ['pk'] }, right: { kind: 'value', value: { S: 'x' } } },
      right: { kind: 'compare', comparator: '>=', left: { kind: 'path', steps: ['n'] }, right: { kind: 'value', value: { N: '3' } } },
    },
    orderBy: [{ path: { kind: 'path', steps: ['sk'] }, descending: true }],
  })
})

test('literals of every type, and parameters bound in order', () => {
  const parsed = parseStatement(
    `INSERT INTO t VALUE {'s': 'it''s', 'n': -1.50, 'b': TRUE, 'z': NULL, 'l': [1, 'x'], 'ss': <<'a', 'b'>>, 'ns': <<1, 2>>, 'q': ?, 'p': ?}`,
    [{ S: 'first' }, { N: '007' }],
  )
  assert.deepEqual(parsed, {
    kind: 'insert', table: 't',
    item: { M: {
      s: { S: "it's" }, n: { N: '-1.5' }, b: { BOOL: true }, z: { NULL: true },
      l: { L: [{ N: '1' }, { S: 'x' }] }, ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] }, q: { S: 'first' }, p: { N: '7' },
    } },
  })
})

test('UPDATE with several SET and REMOVE clauses, set functions and RETURNING', () => {
  const parsed = parseStatement(`UPDATE t SET a = a + 1 REMOVE b SET c = list_append(c, [1]), s = set_add(s, <<'x'>>) WHERE pk = 'k' RETURNING MODIFIED NEW *`)
  assert.equal(parsed.kind, 'update')
  if (parsed.kind !== 'update') return
  assert.equal(parsed.returning, 'UPDATED_NEW')
  const writer = new ExpressionWriter()
  assert.equal(writer.update(parsed.actions), 'SET #n0 = #n0 + :v0, #n2 = list_append(#n2, :v1) REMOVE #n1 ADD #n3 :v2')
  assert.equal(writer.condition(parsed.where), '(#n4 = :v3)')
})

test('conditions become DynamoDB expressions without redundant parentheses', () => {
  const parsed = parseStatement(`SELECT * FROM t WHERE NOT (a IS MISSING OR b IS NOT MISSING) AND begins_with(c, 'x') AND d IN [1, 2] AND e BETWEEN 1 AND 9 AND size(f) > 2`)
  assert.equal(parsed.kind, 'select')
  if (parsed.kind !== 'select') return
  const writer = new ExpressionWriter()
  assert.equal(writer.condition(parsed.where!),
    '(((((NOT (attribute_not_exists(#n0) OR attribute_exists(#n1))) AND begins_with(#n2, :v0)) AND (#n3 IN (:v1, :v2))) AND (#n4 BETWEEN :v3 AND :v4)) AND (size(#n5) > :v5))')
})

// The exact texts DynamoDB gives for statements its parser refuses.
test('malformed statements get DynamoDB parse messages', () => {
  rejects(`SELECT * FROM t WHERE`, malformed('Unexpected term'))
  rejects(`SELECT * FROM t WHERE pk = 'a' AND`, malformed('Missing right-hand side expression of infix operator'))
  rejects(`SELECT * FROM t WHERE ORDER BY pk`, malformed('Unexpected keyword'))
  rejects(`SELECT * FROM t WHERE IS NULL`, malformed('Unexpected operator'))
  rejects(`SELECT * FROM t WHERE pk = 1 foo`, malformed('Unexpected token after expression'))
  rejects(`DELETE FROM t WHERE pk = 1 ORDER BY pk`, malformed('Unexpected token after expression'))
  rejects(`DELETE FROM WHERE pk = 'a'`, malformed('Expected identifier for simple path'))
  rejects(`SELECT * FROM t WHERE pk = 1 /* note`, malformed(''))
  rejects(`SELECT * FROM "t" AS x WHERE pk = 'x'`, 'Aliasing is not supported')
  rejects(`UPDATE "t" x SET a = 3 WHERE pk = 'x'`, 'Aliasing is not supported')
  rejects(`UPDATE t SET a = 1`, 'Where clause does not contain a mandatory equality on all key attributes')
})

// In an INSERT's tuple each attribute's value is a root of its own; a number Java's BigDecimal
// cannot read leaves the statement malformed (an AWS-validated suite's PartiQL grammar cases).
// A set literal that repeats a member (numbers by value) is refused with the members as written and
// its place (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
test('set literals with repeated members', () => {
  const repeated = (members: string, place: string) =>
    `One or more parameter values were invalid: Input collection [${members}] contains duplicates! under ${place}`
  rejects(`UPDATE t SET n = set_add(n, <<2, 2.0>>) WHERE pk = 'b'`, repeated('2, 2.0', 'root'))
  rejects(`INSERT INTO t VALUE {'pk': 'a', 'm': {'x': <<'a', 'b', 'a'>>}}`, repeated('a, b, a', 'root.x'))
  assert.deepEqual(parseStatement(`INSERT INTO t VALUE {'pk': 'a', 's': <<1, 1.5, -1>>}`).kind, 'insert')
})

test('number literals outside DynamoDB limits name their place in the literal', () => {
  const overflow = 'Number overflow. Attempting to store a number with magnitude larger than supported range'
  rejects(`SELECT * FROM t WHERE pk = 1e126`, `${overflow} under root`)
  rejects(`SELECT * FROM t WHERE pk = 1 AND m = {'x': [1e126]}`, `${overflow} under root.x[0]`)
  rejects(`INSERT INTO t VALUE {'pk': 1e126}`, `${overflow} under root`)
  rejects(`INSERT INTO t VALUE {'pk': 1, 'm': {'x': 1e126}}`, `${overflow} under root.x`)
  rejects(`INSERT INTO t VALUE {'pk': 1, 'l': [1, 1e-131]}`, 'Number underflow. Attempting to store a number with magnitude smaller than supported range under root[1]')
  rejects(`INSERT INTO t VALUE {'pk': 'a', 'sk': 3, 'pk': 'b'}`, 'Duplicate keys in tuple. Key: pk under root at 1:42:4')
  for (const number of ['1e2147483648', '1e99999999999', '1.5e-2147483647']) {
    rejects(`SELECT * FROM t WHERE pk = ${number}`, "Statement wasn't well formed, can't be processed: ")
  }
  rejects(`INSERT INTO t x VALUE {'pk': 'x'}`, "Statement wasn't well formed, can't be processed: Unexpected token after expression")
})

test('the number of parameters must match the number of ?', () => {
  const message = "Number of parameters in request and statement don't match."
  rejects(`SELECT * FROM t WHERE pk = ?`, message)
  rejects(`SELECT * FROM t WHERE pk = ?`, message, [{ S: 'a' }, { S: 'b' }])
})

test('deeply nested input is bounded, not a stack overflow', () => {
  rejects(`SELECT * FROM t WHERE ${'('.repeat(200)}a = 1${')'.repeat(200)}`, malformed('Expression nested too deeply'))
  rejects(`INSERT INTO t VALUE ${'['.repeat(40)}${']'.repeat(40)}`, `Nesting Levels have exceeded supported limits under root${'[0]'.repeat(32)}`)
})
