import { test } from 'node:test'
import assert from 'node:assert/strict'
import { StorageConflict, StorageRowTooLarge, StorageUnavailable } from '../errors.js'
import { mapPostgresError } from './errors.js'

/** An error as node-postgres reports one: a message and its SQLSTATE. */
const postgresError = (code: string, message: string) => Object.assign(new Error(message), { code })

test('SQLSTATEs map to the storage errors the rest of EddyDB handles', () => {
  assert.ok(mapPostgresError(postgresError('40001', 'could not serialize access')) instanceof StorageConflict)
  assert.ok(mapPostgresError(postgresError('57P01', 'terminating connection due to administrator command')) instanceof StorageUnavailable)
  // A database made read-only is an outage of writes, logged as one, not a bug with a stack per write.
  assert.ok(mapPostgresError(postgresError('25006', 'cannot execute INSERT in a read-only transaction')) instanceof StorageUnavailable)
  assert.ok(mapPostgresError(postgresError('54000', 'index row size 3136 exceeds btree version 4 maximum 2704 for index "items_pkey"')) instanceof StorageRowTooLarge)
  const unknown = postgresError('42601', 'syntax error')
  assert.equal(mapPostgresError(unknown), unknown)
})
