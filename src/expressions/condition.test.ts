// Evaluating conditions: every comparator and function, true and false, and stored values of
// the wrong type (which make a condition false rather than an error).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AttributeValue, Item } from '../values/types.js'
import { compileExpressions, evaluateCondition } from './index.js'

const item: Item = {
  s: { S: 'hello' }, n: { N: '10' }, b: { B: Buffer.from('abc').toString('base64') },
  ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2.5'] }, bs: { BS: [Buffer.from('k').toString('base64')] },
  l: { L: [{ S: 'first' }, { N: '2' }, { M: { deep: { S: 'down' } } }] },
  m: { M: { nested: { S: 'value' }, lst: { L: [{ N: '7' }] } } },
  t: { BOOL: true }, z: { NULL: true }, e: { S: 'é' },
}

/** Evaluates `text` against `target` with ExpressionAttributeValues `values`. */
/** `target` null stands for "no item" (undefined would select the default). */
function holds(text: string, values: Record<string, AttributeValue> = {}, target: Item | null = item): boolean {
  const condition = compileExpressions({
    ConditionExpression: text, ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  }).condition!
  return evaluateCondition(condition, target ?? undefined)
}

test('comparators on strings, numbers and binaries', () => {
  assert.equal(holds('s = :v', { ':v': { S: 'hello' } }), true)
  assert.equal(holds('s = :v', { ':v': { S: 'help' } }), false)
  assert.equal(holds('s <> :v', { ':v': { S: 'help' } }), true)
  assert.equal(holds('n < :v', { ':v': { N: '9.99' } }), false)
  assert.equal(holds('n <= :v', { ':v': { N: '10.0' } }), true)
  assert.equal(holds('n > :v', { ':v': { N: '-1e2' } }), true)
  assert.equal(holds('n >= :v', { ':v': { N: '1E1' } }), true)
  assert.equal(holds('s < :v', { ':v': { S: 'i' } }), true)
  assert.equal(holds('b > :v', { ':v': { B: Buffer.from('abb').toString('base64') } }), true)
  assert.equal(holds('n = :v', { ':v': { N: '10.000' } }), true, 'numbers compare by value')
})

test('comparisons across types or with absent attributes are false; <> is then true', () => {
  assert.equal(holds('n = :v', { ':v': { S: '10' } }), false)
  assert.equal(holds('n < :v', { ':v': { S: 'z' } }), false)
  assert.equal(holds('ss < :v', { ':v': { S: 'z' } }), false)
  assert.equal(holds('absent = :v', { ':v': { S: 'z' } }), false)
  assert.equal(holds('absent < :v', { ':v': { S: 'z' } }), false)
  assert.equal(holds('absent <> :v', { ':v': { S: 'z' } }), true)
  assert.equal(holds('n <> :v', { ':v': { S: '10' } }), true)
  assert.equal(holds('s = :v', { ':v': { S: 'hello' } }, null), false, 'no item at all')
})

test('equality of sets, lists and maps', () => {
  assert.equal(holds('ss = :v', { ':v': { SS: ['y', 'x'] } }), true, 'sets are unordered')
  assert.equal(holds('l[1] = :v', { ':v': { N: '2' } }), true)
  assert.equal(holds('m = :v', { ':v': { M: { lst: { L: [{ N: '7' }] }, nested: { S: 'value' } } } }), true)
  assert.equal(holds('m = :v', { ':v': { M: { nested: { S: 'value' } } } }), false)
})

test('nested paths and list indexes', () => {
  assert.equal(holds('m.nested = :v', { ':v': { S: 'value' } }), true)
  assert.equal(holds('m.lst[0] = :v', { ':v': { N: '7' } }) , true)
  assert.equal(holds('l[2].deep = :v', { ':v': { S: 'down' } }), true)
  assert.equal(holds('l[3] = :v', { ':v': { S: 'down' } }), false, 'index past the end')
  assert.equal(holds('s.nested = :v', { ':v': { S: 'value' } }), false, 'a string has no members')
  assert.equal(holds('m[0] = :v', { ':v': { S: 'value' } }), false, 'a map has no elements')
})

test('BETWEEN and IN', () => {
  assert.equal(holds('n BETWEEN :a AND :b', { ':a': { N: '10' }, ':b': { N: '11' } }), true)
  assert.equal(holds('n BETWEEN :a AND :b', { ':a': { N: '11' }, ':b': { N: '12' } }), false)
  assert.equal(holds('s BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '12' } }), false, 'wrong stored type')
  assert.equal(holds('absent BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '12' } }), false)
  assert.equal(holds('n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '10' } }), true)
  assert.equal(holds('n IN (:a, :b)', { ':a': { N: '1' }, ':b': { S: '10' } }), false)
  assert.equal(holds('absent IN (:a)', { ':a': { N: '1' } }), false)
})

test('AND, OR, NOT and parentheses', () => {
  const values = { ':yes': { S: 'hello' }, ':no': { S: 'nope' } }
  assert.equal(holds('s = :yes AND s = :no', values), false)
  assert.equal(holds('s = :no OR s = :yes', values), true)
  assert.equal(holds('NOT s = :no AND s = :yes', values), true)
  assert.equal(holds('NOT (s = :yes OR s = :no)', values), false)
  // AND binds tighter than OR.
  assert.equal(holds('s = :yes OR s = :no AND s = :no', values), true)
  assert.equal(holds('(s = :yes OR s = :no) AND s = :no', values), false)
})

test('attribute_exists, attribute_not_exists and attribute_type', () => {
  assert.equal(holds('attribute_exists(m.nested)'), true)
  assert.equal(holds('attribute_exists(m.nada)'), false)
  assert.equal(holds('attribute_not_exists(nada)'), true)
  assert.equal(holds('attribute_not_exists(s)'), false)
  assert.equal(holds('attribute_not_exists(s)', {}, null), true)
  for (const [path, type] of [['s', 'S'], ['n', 'N'], ['b', 'B'], ['ss', 'SS'], ['ns', 'NS'], ['bs', 'BS'], ['l', 'L'], ['m', 'M'], ['t', 'BOOL'], ['z', 'NULL']]) {
    assert.equal(holds(`attribute_type(${path}, :t)`, { ':t': { S: type! } }), true, `${path} is ${type}`)
    assert.equal(holds(`attribute_type(${path}, :t)`, { ':t': { S: type === 'S' ? 'N' : 'S' } }), false)
  }
  assert.equal(holds('attribute_type(absent, :t)', { ':t': { S: 'S' } }), false)
})

test('begins_with on strings and binaries; other types are false', () => {
  assert.equal(holds('begins_with(s, :p)', { ':p': { S: 'he' } }), true)
  assert.equal(holds('begins_with(s, :p)', { ':p': { S: 'lo' } }), false)
  assert.equal(holds('begins_with(b, :p)', { ':p': { B: Buffer.from('ab').toString('base64') } }), true)
  assert.equal(holds('begins_with(b, :p)', { ':p': { B: Buffer.from('abcd').toString('base64') } }), false)
  assert.equal(holds('begins_with(s, :p)', { ':p': { B: Buffer.from('he').toString('base64') } }), false)
  assert.equal(holds('begins_with(ss, :p)', { ':p': { S: 'x' } }), false)
  assert.equal(holds('begins_with(absent, :p)', { ':p': { S: 'x' } }), false)
})

test('contains on strings, binaries, sets and lists', () => {
  assert.equal(holds('contains(s, :v)', { ':v': { S: 'ell' } }), true)
  assert.equal(holds('contains(s, :v)', { ':v': { S: 'xyz' } }), false)
  assert.equal(holds('contains(b, :v)', { ':v': { B: Buffer.from('bc').toString('base64') } }), true)
  assert.equal(holds('contains(ss, :v)', { ':v': { S: 'y' } }), true)
  assert.equal(holds('contains(ss, :v)', { ':v': { S: 'q' } }), false)
  assert.equal(holds('contains(ns, :v)', { ':v': { N: '2.50' } }), true)
  assert.equal(holds('contains(ns, :v)', { ':v': { S: '1' } }), false)
  assert.equal(holds('contains(bs, :v)', { ':v': { B: Buffer.from('k').toString('base64') } }), true)
  assert.equal(holds('contains(l, :v)', { ':v': { N: '2' } }), true)
  assert.equal(holds('contains(l, :v)', { ':v': { M: { deep: { S: 'down' } } } }), true)
  assert.equal(holds('contains(l, :v)', { ':v': { S: '2' } }), false)
  assert.equal(holds('contains(n, :v)', { ':v': { N: '1' } }), false, 'numbers contain nothing')
  assert.equal(holds('contains(absent, :v)', { ':v': { N: '1' } }), false)
  assert.equal(holds('contains(:v, s)', { ':v': { S: 'say hello!' } }), true, 'operands may be literals')
})

test('size of strings, binaries, sets, lists and maps; other types make the comparison false', () => {
  assert.equal(holds('size(s) = :v', { ':v': { N: '5' } }), true)
  assert.equal(holds('size(e) = :v', { ':v': { N: '1' } }), true, 'strings are measured in UTF-16 code units')
  assert.equal(holds('size(b) = :v', { ':v': { N: '3' } }), true)
  assert.equal(holds('size(ss) = :v', { ':v': { N: '2' } }), true)
  assert.equal(holds('size(l) > :v', { ':v': { N: '2' } }), true)
  assert.equal(holds('size(m) = :v', { ':v': { N: '2' } }), true)
  assert.equal(holds('size(m.lst) = :v', { ':v': { N: '1' } }), true)
  assert.equal(holds('size(n) = :v', { ':v': { N: '2' } }), false)
  assert.equal(holds('size(t) <> :v', { ':v': { N: '2' } }), true)
  assert.equal(holds('size(absent) < :v', { ':v': { N: '2' } }), false)
  assert.equal(holds('size(:s) = :v', { ':s': { S: 'abc' }, ':v': { N: '3' } }), true)
})

test('filters evaluate the same way', () => {
  const { filter } = compileExpressions({ FilterExpression: 'n > :v', ExpressionAttributeValues: { ':v': { N: '3' } } })
  assert.equal(evaluateCondition(filter!, item), true)
})
