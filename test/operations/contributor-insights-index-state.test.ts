/**
 * Contributor Insights are turned on only for a GSI that is ACTIVE: one still being built is
 * refused in DynamoDB's words (an API-quirks lab, against AWS, 2026-10, DDB-TABLE-116). Called on
 * the operations directly, over a real SQLite engine, with the index held in CREATING.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTable } from '../../src/operations/create-table.js'
import { updateContributorInsights } from '../../src/operations/contributor-insights.js'
import { openSqliteEngine } from '../../src/storage/sqlite/engine.js'
import { operationContext } from '../helpers/operation-context.js'
import type { DynamoError } from '../../src/errors.js'

test('UpdateContributorInsights refuses to enable a GSI still being built, and enables it once ACTIVE', async () => {
  const storage = openSqliteEngine({ inMemory: true })
  try {
    const ctx = await operationContext(storage)
    await createTable(ctx, {
      TableName: 'insights', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    })
    const setIndexStatus = (status: 'CREATING' | 'ACTIVE') => ctx.catalog.update('insights', (draft) => {
      draft.description.GlobalSecondaryIndexes![0]!.IndexStatus = status
    })
    await setIndexStatus('CREATING')
    const enable = { TableName: 'insights', IndexName: 'byG', ContributorInsightsAction: 'ENABLE' as const }
    await assert.rejects(updateContributorInsights(ctx, enable), (error: DynamoError) => error.type === 'ValidationException' &&
      error.message === 'Table or Index is not in a valid state to update Key Access Insights: IndexStatus must be ACTIVE to enable ContributorInsights.')
    // The table itself may be enabled meanwhile.
    assert.equal((await updateContributorInsights(ctx, { TableName: 'insights', ContributorInsightsAction: 'ENABLE' }) as { ContributorInsightsStatus: string }).ContributorInsightsStatus, 'ENABLING')
    await setIndexStatus('ACTIVE')
    assert.equal((await updateContributorInsights(ctx, enable) as { ContributorInsightsStatus: string }).ContributorInsightsStatus, 'ENABLING')
  } finally {
    await storage.close()
  }
})
