import { test } from 'node:test'
import assert from 'node:assert/strict'
import { wireErrorFrom } from './errors.js'
import { createLogger } from '../../log.js'
import { StorageConflict } from '../../storage/errors.js'

test('on the DAX wire too, a transaction that kept losing races is ThrottlingException (code 50), not an internal error', () => {
  const lines: string[] = []
  const error = wireErrorFrom(new StorageConflict('could not serialize access'), createLogger('warn', (line) => lines.push(line)))
  assert.deepEqual([error.name, error.statusCode, error.codes], ['ThrottlingException', 400, [4, 37, 38, 39, 50]])
  assert.equal(JSON.parse(lines[0]!).level, 'warn')
})
