// What may be one attribute of a secondary index key, and why not.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { indexKeyValueProblem } from './index-key-values.js'

test('a value of the defined type within the limit is fine', () => {
  assert.equal(indexKeyValueProblem({ S: 'x'.repeat(2048) }, 'S', 'partition'), undefined)
  assert.equal(indexKeyValueProblem({ S: 'x'.repeat(1024) }, 'S', 'sort'), undefined)
  assert.equal(indexKeyValueProblem({ N: '-1.5e100' }, 'N', 'sort'), undefined)
})

test('type, emptiness and size are reported in that order', () => {
  assert.deepEqual(indexKeyValueProblem({ N: '1' }, 'S', 'partition'), { kind: 'type', actual: 'N' })
  assert.deepEqual(indexKeyValueProblem({ SS: ['a'] }, 'S', 'sort'), { kind: 'type', actual: 'SS' })
  assert.deepEqual(indexKeyValueProblem({ S: '' }, 'S', 'partition'), { kind: 'empty' })
  assert.deepEqual(indexKeyValueProblem({ B: '' }, 'B', 'sort'), { kind: 'empty' })
  assert.deepEqual(indexKeyValueProblem({ S: 'é'.repeat(1025) }, 'S', 'partition'), { kind: 'size', sizeBytes: 2050, limitBytes: 2048 })
  const binary = Buffer.alloc(1025).toString('base64')
  assert.deepEqual(indexKeyValueProblem({ B: binary }, 'B', 'sort'), { kind: 'size', sizeBytes: 1025, limitBytes: 1024 })
})
