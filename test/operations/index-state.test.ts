/**
 * What UpdateTable and DeleteTable do around a GSI that is not ACTIVE, and the GSI rules an
 * API-quirks lab recorded against AWS (2026-10): DeleteTable waits for indexes being built
 * (DDB-TABLE-150), the index being built may itself be deleted (DDB-TABLE-149), a GSI may be
 * created with a switch to on-demand (DDB-TABLE-174), on-demand maxima go with a switch to
 * provisioned (DDB-TABLE-153), and a GSI Update that asks nothing is refused (DDB-TABLE-456).
 * Called on the operations directly, over a real SQLite engine, with the index held in CREATING.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTable } from '../../src/operations/create-table.js'
import { deleteTable } from '../../src/operations/delete-table.js'
import { updateTable } from '../../src/operations/update-table.js'
import { describeTable } from '../../src/operations/describe-table.js'
import type { DynamoError } from '../../src/errors.js'
import { openSqliteEngine } from '../../src/storage/sqlite/engine.js'
import { operationContext } from '../helpers/operation-context.js'

const refusedWith = (type: string, message: string) => (error: DynamoError) => {
  assert.equal(error.type, type)
  assert.equal(error.message, message)
  return true
}

test('GSI rules around an index being built, billing switches and empty updates', async () => {
  const storage = openSqliteEngine({ inMemory: true })
  try {
    const ctx = await operationContext(storage)
    const definitions = [{ AttributeName: 'pk', AttributeType: 'S' as const }, { AttributeName: 'g', AttributeType: 'S' as const }]
    await createTable(ctx, {
      TableName: 'indexed', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: definitions,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, OnDemandThroughput: { MaxReadRequestUnits: 100 } }],
      OnDemandThroughput: { MaxReadRequestUnits: 200 },
    })
    const invalid = 'One or more parameter values were invalid: '
    await assert.rejects(updateTable(ctx, { TableName: 'indexed', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG' } }] }),
      refusedWith('ValidationException', `${invalid}The only Updates for index: byG when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`))
    await assert.rejects(updateTable(ctx, { TableName: 'indexed', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'ghost', WarmThroughput: {} } }] }),
      refusedWith('ValidationException', `${invalid}WarmThroughput must have at least one of ReadUnitsPerSecond or WriteUnitsPerSecond specified for index: ghost`))

    await ctx.catalog.update('indexed', (draft) => { draft.description.GlobalSecondaryIndexes![0]!.IndexStatus = 'CREATING' })
    await assert.rejects(deleteTable(ctx, { TableName: 'indexed' }), refusedWith('ResourceInUseException',
      'Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.'))
    await updateTable(ctx, { TableName: 'indexed', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] })
    assert.equal(ctx.catalog.record('indexed')!.description.GlobalSecondaryIndexes, undefined)

    // A switch to provisioned takes the on-demand maxima away; a GSI may come with a switch back.
    await updateTable(ctx, { TableName: 'indexed', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })
    assert.equal(ctx.catalog.record('indexed')!.description.OnDemandThroughput, undefined)
    await updateTable(ctx, {
      TableName: 'indexed', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: definitions,
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG2', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    })
    const described = (await describeTable(ctx, { TableName: 'indexed' }) as { Table: { BillingModeSummary: { BillingMode: string }; GlobalSecondaryIndexes: Array<{ IndexName: string }> } }).Table
    assert.equal(described.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST')
    assert.deepEqual(described.GlobalSecondaryIndexes.map((index) => index.IndexName), ['byG2'])
  } finally {
    await storage.close()
  }
})
