// Projections keep the structure of nested paths and return picked list elements in their
// original order.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Item } from '../values/types.js'
import { applyProjection, compileExpressions, projectionFromAttributesToGet, projectPaths, topLevelAttributes } from './index.js'

const item: Item = {
  a: { S: 'x' }, b: { N: '1' },
  m: { M: { p: { S: 'p' }, q: { M: { r: { S: 'r' }, s: { S: 's' } } } } },
  l: { L: [{ S: 'zero' }, { M: { k: { S: 'one' }, j: { S: 'uno' } } }, { S: 'two' }, { S: 'three' }] },
}

function project(text: string, names?: Record<string, string>): Item {
  const { projection } = compileExpressions({ ProjectionExpression: text, ...(names ? { ExpressionAttributeNames: names } : {}) })
  return applyProjection(projection!, item)
}

test('top-level attributes; missing ones are left out', () => {
  assert.deepEqual(project('a, absent'), { a: { S: 'x' } })
  assert.deepEqual(project('#b', { '#b': 'b' }), { b: { N: '1' } })
})

test('nested map members keep their structure and merge', () => {
  assert.deepEqual(project('m.q.r, m.p'), { m: { M: { q: { M: { r: { S: 'r' } } }, p: { S: 'p' } } } })
  assert.deepEqual(project('m.q.absent'), {})
  assert.deepEqual(project('a.b'), {}, 'a string has no members')
})

test('list elements come back as a shorter list in their original order', () => {
  assert.deepEqual(project('l[3], l[0]'), { l: { L: [{ S: 'zero' }, { S: 'three' }] } })
  assert.deepEqual(project('l[1].k, l[9]'), { l: { L: [{ M: { k: { S: 'one' } } }] } })
})

test('overlapping and conflicting projection paths are rejected', () => {
  assert.throws(() => project('m, m.p'), {
    message: 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, p]',
  })
  assert.throws(() => project('l[0], l.k'), {
    message: 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, k]',
  })
})

test('projectPaths serves ReturnValues UPDATED_OLD / UPDATED_NEW', () => {
  assert.deepEqual(projectPaths(item, [['m', 'q', 's'], ['b']]), { m: { M: { q: { M: { s: { S: 's' } } } } }, b: { N: '1' } })
  assert.deepEqual(topLevelAttributes([['m', 'q'], ['b'], ['m']]), ['m', 'b'])
})

test('AttributesToGet is a projection of top-level names', () => {
  assert.deepEqual(applyProjection(projectionFromAttributesToGet(['a', 'absent', 'm']), item), { a: item.a, m: item.m })
})
