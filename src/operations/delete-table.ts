/**
 * DeleteTable: answers with the description in DELETING state, and removes the table's catalog
 * row and all its item and index rows in one transaction, so the table is gone from the next
 * request on (SDK waiters for "table not exists" see ResourceNotFoundException at once).
 * The change log is kept, and the table's stream becomes DISABLED: stream readers may still read
 * the last records until the retention period ends.
 */
import type { OperationHandler, RegionContext } from '../api/context.js'
import { ResourceInUseException, ValidationException } from '../errors.js'
import { describeRecord } from '../tables/describe.js'
import { syncStreams } from '../streams/lifecycle.js'
import { leaveGroup, protectedReplicaMessage } from '../replication/group-changes.js'
import { checkNotRecentSource } from '../replication/source-rule.js'
import { singleReplicaDeletionMessage } from '../replication/strong-consistency.js'
import { isStrong } from '../replication/replica-set.js'
import { refuseWhileBackingUp } from '../backups/take-backup.js'
import { keepSystemBackup } from '../backups/system-backup.js'
import type { Transaction } from '../storage/engine.js'
import type { TableRecord } from '../tables/record.js'

export const deleteTable: OperationHandler<{ TableName: string }> = async (ctx, input) => {
  const name = input.TableName
  const record = ctx.catalog.requireRecord(name)
  const stats = await ctx.catalog.describedStats(record)
  // The table's stream becomes DISABLED and stays readable for the retention period; with PITR
  // on, a system backup takes over the table's items.
  const removed = await ctx.catalog.remove(name, async (tx, current) => {
    // Checked on the record and the backups as they are in the deleting transaction: an
    // UpdateTable (deletion protection, an index) or a CreateBackup that committed since this
    // request began must refuse it, not be acknowledged and then undone by it.
    await checkDeletable(ctx, tx, current)
    await syncStreams(tx, current.description, undefined, ctx.clock.now())
    return keepSystemBackup(tx, ctx, current)
  })
  await leaveGroup(ctx, removed)
  return { TableDescription: deletedTableDescription(describeRecord(removed, stats, 'DELETING')) }
}

async function checkDeletable(ctx: RegionContext, tx: Transaction, record: TableRecord): Promise<void> {
  const name = record.description.TableName
  if (record.description.TableStatus === 'CREATING') {
    throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being created: ${name}`)
  }
  // An index being added, changed or deleted must finish first (an AWS-validated suite, eu-west-2, 2026-08-21, for
  // vector indexes; DDB-TABLE-150 of an API-quirks lab, against AWS, 2026-10, for GSIs).
  if (record.description.VectorIndexes?.some((index) => index.IndexStatus === 'CREATING') ||
    record.description.GlobalSecondaryIndexes?.some((index) => index.IndexStatus !== 'ACTIVE')) {
    throw new ResourceInUseException('Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.')
  }
  if (record.description.DeletionProtectionEnabled) {
    // A global table's replica is refused in the words a Delete from another member gets.
    throw new ValidationException(record.replication
      ? protectedReplicaMessage(name, ctx.region)
      : 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.')
  }
  // A strongly consistent group loses its replicas all at once, by UpdateTable, or none.
  if (isStrong(record.replication)) throw new ValidationException(singleReplicaDeletionMessage)
  checkNotRecentSource(record.replication, ctx.region, ctx.clock.now())
  await refuseWhileBackingUp(tx, record)
}

/**
 * DeleteTable's description leaves out what DescribeTable adds about the table's shape: its
 * creation time, key schema, attribute definitions and indexes (Alternator's
 * test_delete_table_description and _with_si, which its authors run against DynamoDB), and its
 * warm throughput (DDB-TABLE-363 of an API-quirks lab, against AWS, 2026-10).
 */
function deletedTableDescription(described: Record<string, unknown>): Record<string, unknown> {
  for (const member of ['CreationDateTime', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'WarmThroughput']) {
    delete described[member]
  }
  return described
}
