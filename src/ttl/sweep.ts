/**
 * Deleting a table's expired items. The expiry index (ReadView.expiredItems) names candidates
 * earliest first without scanning the table; each candidate is then judged again against the
 * item as it is inside the deleting transaction, because a write may have extended or removed
 * its TTL since (DynamoDB honours such updates to expired-but-not-yet-deleted items).
 *
 * A TTL delete is an ordinary delete through the one write path, so it leaves the indexes and
 * appends a REMOVE change record, with the service as the one who made it; it consumes no
 * capacity (no meter is passed).
 */
import type { RegionContext } from '../api/context.js'
import type { PrimaryKey } from '../items/keys.js'
import { applyWrite } from '../items/write-item.js'
import { byKeyTransaction, type ChangeIdentity, type Row, type StoredItem, type Transaction } from '../storage/engine.js'
import type { TableSchema } from '../tables/schema.js'
import type { Item } from '../values/types.js'
import { honouredExpiryOf, isExpired } from './expiry.js'
import { setMember } from '../values/members.js'

/** Who makes a TTL delete, as stream records show it in userIdentity. */
export const ttlDeleteIdentity: ChangeIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' }

/** Candidates per delete transaction. */
export const sweepPageItems = 100

export interface SweepPageResult {
  /** Candidates the expiry index named. */
  examined: number
  deleted: number
}

/**
 * Deletes the expired items among the next page of candidates, in one transaction. Every
 * candidate leaves the index: deleted, re-indexed under its current expiry, or (expiry more than
 * five years old, or no longer a Number) unindexed, so the next page moves on.
 */
export function sweepPage(ctx: RegionContext, table: TableSchema, ttlAttribute: string, nowSeconds: number): Promise<SweepPageResult> {
  return ctx.storage.transact(async (tx) => {
    const rows = await tx.expiredItems(table.tableId, nowSeconds, sweepPageItems)
    // Every candidate as it is now, in one read that (by key, on PostgreSQL) also locks them all
    // before anything is written, rather than one read, and lock, per candidate.
    const current = await tx.getStoredItems(table.tableId, rows.map((row) => row.key))
    let deleted = 0
    for (const [index, row] of rows.entries()) {
      if (await expireCandidate(tx, ctx, table, ttlAttribute, row, current[index] ?? null, nowSeconds)) deleted++
    }
    return { examined: rows.length, deleted }
  }, byKeyTransaction)
}

async function expireCandidate(
  tx: Transaction, ctx: RegionContext, table: TableSchema, ttlAttribute: string, row: Row, current: StoredItem | null, nowSeconds: number,
): Promise<boolean> {
  const key = storedKeyOf(table, row)
  const result = await applyWrite(tx, ctx, table, key, (item) => {
    // Pure, as applyWrite requires: re-checked against the item as it is now.
    if (!item) return null
    return isExpired(item, ttlAttribute, nowSeconds) ? null : item
  }, { identity: ttlDeleteIdentity, current })
  if (result.changed) return true
  if (result.previous) await tx.setExpiry(table.tableId, key.encoded, honouredExpiryOf(result.previous, ttlAttribute, nowSeconds))
  return false
}

/** The primary key of a stored item row: its encoded key and its key attributes. */
function storedKeyOf(table: TableSchema, row: Row): PrimaryKey {
  const item = JSON.parse(row.json) as Item
  const attributes: Item = { [table.key.partitionKey]: item[table.key.partitionKey]! }
  if (table.key.sortKey !== undefined) setMember(attributes, table.key.sortKey, item[table.key.sortKey]!)
  return { attributes, encoded: row.key }
}
