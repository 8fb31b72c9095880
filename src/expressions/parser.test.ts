// Syntax errors and parser bounds. DynamoDB reports a syntax error as the offending token and
// the text from the previous token to the next one; these cases are recorded from DynamoDB
// (dynalite's and Alternator's tests, and error reports quoted in public issues).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ValidationException } from '../errors.js'
import { compileExpressions, type ExpressionParameters } from './index.js'
import { conditionNestingDepthMax } from './limits.js'

function rejects(params: ExpressionParameters, message: string): void {
  assert.throws(() => compileExpressions(params), (error: unknown) => {
    assert.ok(error instanceof ValidationException, String(error))
    assert.equal(error.message, message)
    return true
  })
}

const values = { ':v': { N: '1' } }

test('a syntax error names the token and the text around it', () => {
  rejects({ UpdateExpression: 'ADD hits : incr', ExpressionAttributeValues: { ':incr': { N: '1' } } },
    'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"')
  rejects({ UpdateExpression: 'INVALID SYNTAX HERE' },
    'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"')
  rejects({ ProjectionExpression: '!!!' }, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"')
  rejects({ ProjectionExpression: 'a b' }, 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b"')
  rejects({ ProjectionExpression: 'a,' }, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","')
  rejects({ ConditionExpression: 'attribute_type()' },
    'Invalid ConditionExpression: Syntax error; token: ")", near: "()"')
})

test('update syntax errors: missing operands, unsupported operators, literals', () => {
  rejects({ UpdateExpression: 'ADD numx' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "numx"')
  rejects({ UpdateExpression: 'SET note = :v +', ExpressionAttributeValues: values },
    'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "+"')
  rejects({ UpdateExpression: 'SET numx = numx * :v', ExpressionAttributeValues: values },
    'Invalid UpdateExpression: Syntax error; token: "*", near: "numx * :v"')
  rejects({ UpdateExpression: 'ADD numx 1' }, 'Invalid UpdateExpression: Syntax error; token: "1", near: "numx 1"')
  rejects({ UpdateExpression: 'DELETE setx a' }, 'Invalid UpdateExpression: Syntax error; token: "a", near: "setx a"')
})

test('condition keywords cannot be bare path names', () => {
  rejects({ ConditionExpression: 'a = :v AND and = :v', ExpressionAttributeValues: values },
    'Invalid ConditionExpression: Syntax error; token: "and", near: "AND and ="')
  rejects({ ConditionExpression: 'a BETWEEN :v', ExpressionAttributeValues: values },
    'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":v"')
})

test('empty expressions are rejected before parsing; whitespace alone is a syntax error', () => {
  rejects({ ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;')
  rejects({ UpdateExpression: '   ' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "   "')
  rejects({ ProjectionExpression: ' \t, a' }, 'Invalid ProjectionExpression: Syntax error; token: ",", near: " \t, a"')
  rejects({ ProjectionExpression: 'a b  ' }, 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b  "')
})

test('expressions over 4 KB are rejected; only conditions, key conditions and filters report the size', () => {
  const long = 'a' + 'z'.repeat(4096)
  rejects({ ProjectionExpression: long }, 'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;')
  rejects({ FilterExpression: `${long} = :v`, ExpressionAttributeValues: values },
    'Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4102')
  // As DynamoDB Local 2026-05-28 answers a key condition.
  rejects({ KeyConditionExpression: `${long} = :v`, ExpressionAttributeValues: values },
    'Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4102')
  // Exactly 4096 bytes is allowed.
  assert.deepEqual(compileExpressions({ ProjectionExpression: 'a' + 'z'.repeat(4095) }).projection?.paths, [['a' + 'z'.repeat(4095)]])
})

test('double parentheses are redundant, single ones are fine', () => {
  const names = { '#n': 'name' }
  rejects({ ConditionExpression: '((#n = :v))', ExpressionAttributeNames: names, ExpressionAttributeValues: values },
    'Invalid ConditionExpression: The expression has redundant parentheses;')
  rejects({ ConditionExpression: '((#n)) = :v', ExpressionAttributeNames: names, ExpressionAttributeValues: values },
    'Invalid ConditionExpression: The expression has redundant parentheses;')
  assert.ok(compileExpressions({ ConditionExpression: '(#n = :v)', ExpressionAttributeNames: names, ExpressionAttributeValues: values }).condition)
  assert.ok(compileExpressions({ ConditionExpression: '(#n) = :v', ExpressionAttributeNames: names, ExpressionAttributeValues: values }).condition)
  assert.ok(compileExpressions({ ConditionExpression: '(a = :v) AND (NOT (b = :v) OR c = :v)', ExpressionAttributeValues: values }).condition)
})

// The parser's work is bounded by the input (4 KB at most) and its recursion by the nesting
// bound: thousands of '(' are rejected without exhausting the stack, whatever the machine.
test('deep nesting is rejected at the nesting bound, without exhausting the stack', () => {
  rejects({ ConditionExpression: '('.repeat(10_000) },
    'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 10000')
  rejects({ ConditionExpression: '('.repeat(4000) }, 'Invalid ConditionExpression: The expression has redundant parentheses;')
  rejects({ ConditionExpression: '('.repeat(2000) + 'a = :v' + ')'.repeat(2000), ExpressionAttributeValues: values },
    'Invalid ConditionExpression: The expression has redundant parentheses;')
  const nots = 'NOT '.repeat(1000) + 'a = :v'
  assert.throws(() => compileExpressions({ ConditionExpression: nots, ExpressionAttributeValues: values }), ValidationException)
  const nested = 'NOT ('.repeat(600) + 'a = :v' + ')'.repeat(600)
  assert.throws(() => compileExpressions({ ConditionExpression: nested, ExpressionAttributeValues: values }), ValidationException)
})

test('nesting is accepted up to the bound and rejected one level past it', () => {
  // Each 'NOT (' opens two levels (the NOT and the parenthesis).
  const atBound = 'NOT ('.repeat(conditionNestingDepthMax / 2) + 'a = :v' + ')'.repeat(conditionNestingDepthMax / 2)
  assert.ok(compileExpressions({ ConditionExpression: atBound, ExpressionAttributeValues: values }).condition)
  const pastBound = 'NOT ' + atBound
  assert.throws(() => compileExpressions({ ConditionExpression: pastBound, ExpressionAttributeValues: values }), ValidationException)
})

test('legitimate nesting within the bound parses', () => {
  const nested = 'NOT ('.repeat(50) + 'a = :v' + ')'.repeat(50)
  assert.ok(compileExpressions({ ConditionExpression: nested, ExpressionAttributeValues: values }).condition)
})

test('functions may sit inside deep parentheses; function nesting has its own bound', () => {
  const nested = 'NOT ('.repeat(100) + 'size(a) = :v' + ')'.repeat(100)
  assert.ok(compileExpressions({ ConditionExpression: nested, ExpressionAttributeValues: values }).condition)
  const deepCalls = 'SET a = ' + 'if_not_exists(b, '.repeat(40) + ':v' + ')'.repeat(40)
  assert.throws(() => compileExpressions({ UpdateExpression: deepCalls, ExpressionAttributeValues: values }), ValidationException)
})

test('long AND chains do not recurse', () => {
  // 150 comparisons and 149 ANDs: 299 operators, just under DynamoDB's 300.
  const chain = Array.from({ length: 150 }, (_, index) => `a${index} = :v`).join(' AND ')
  assert.ok(compileExpressions({ ConditionExpression: chain, ExpressionAttributeValues: values }).condition)
})
