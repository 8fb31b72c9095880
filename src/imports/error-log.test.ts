import { test } from 'node:test'
import assert from 'node:assert/strict'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { errorLogPath } from './error-log.js'

const importArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/import/01700000000000-abcdef12'

test('an import error log goes to the data directory, or to the temporary one for a server without one', () => {
  assert.equal(errorLogPath({ dataDir: 'data', inMemory: false }, importArn), join(resolve('data'), 'imports', '01700000000000-abcdef12', 'error.log'))
  const temporary = join(tmpdir(), 'eddydb-imports', '01700000000000-abcdef12', 'error.log')
  assert.equal(errorLogPath({ dataDir: 'data', inMemory: true }, importArn), temporary)
  // On PostgreSQL the data directory option is only its default, which no node should write into.
  assert.equal(errorLogPath({ dataDir: './eddydb-data', inMemory: false, storageUrl: 'postgresql://eddydb@127.0.0.1/db' }, importArn), temporary)
})
