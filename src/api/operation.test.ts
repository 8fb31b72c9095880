/**
 * The registry entry ties a handler's input type to its shape at compile time: each
 * `@ts-expect-error` below fails the build if a mismatched pairing ever compiles again.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SerializationException } from '../errors.js'
import { getItem } from '../operations/get-item.js'
import { putItem } from '../operations/put-item.js'
import { getItemShape } from '../shapes/get-item.js'
import { putItemShape } from '../shapes/put-item.js'
import { describeTableShape } from '../shapes/table-by-name.js'
import { defineOperation } from './operation.js'

test('a handler is registered only with a shape that proves the input it reads', () => {
  // @ts-expect-error GetItem's shape proves Key, not the Item that PutItem's handler reads.
  defineOperation(getItemShape, putItem)
  // @ts-expect-error PutItem's shape proves Item, not GetItem's Key.
  defineOperation(putItemShape, getItem)
  // @ts-expect-error DescribeTable's shape proves only TableName; GetItem's handler reads Key too
  // (this one compiles unless OperationShape is invariant in its input: see `proves`).
  defineOperation(describeTableShape, getItem)
  assert.ok(defineOperation(getItemShape, getItem).input === getItemShape.input)
})

test('an entry validates the body with its own shape before binding the handler', () => {
  const entry = defineOperation(getItemShape, getItem)
  assert.throws(() => entry.accept({ TableName: 'table', Key: 'not a map' }), SerializationException)
})
