/**
 * The reply of a single-item write: returned attributes, consumed capacity and, for tables
 * with local secondary indexes, item collection metrics. DynamoDB reports an item collection's
 * size as an estimate range in GB; collections here are far below the 10 GB limit, so the
 * estimate is the lowest range DynamoDB reports.
 */
import type { TableSchema } from '../tables/schema.js'
import type { Item } from '../values/types.js'
import type { CapacityMeter } from './capacity.js'
import type { PrimaryKey } from './keys.js'
import { memberOrAdd } from '../values/members.js'

export function itemCollectionMetrics(table: TableSchema, key: Item, requested: string | undefined): Record<string, unknown> | undefined {
  if (requested !== 'SIZE' || !table.indexes.some((index) => index.kind === 'local')) return undefined
  return {
    ItemCollectionKey: { [table.key.partitionKey]: key[table.key.partitionKey] },
    SizeEstimateRangeGB: [0, 1],
  }
}

/**
 * ItemCollectionMetrics of a multi-item write (BatchWriteItem, TransactWriteItems): each table
 * with local indexes, with one entry per item collection written to, in the order the request
 * first names them (the AWS CLI's batch-write-item example: three puts to two collections
 * answer two entries).
 */
export function itemCollectionMetricsByTable(writes: ReadonlyArray<{ table: TableSchema; key: PrimaryKey }>): Record<string, unknown[]> {
  const metrics: Record<string, unknown[]> = {}
  const seen = new Set<string>()
  for (const write of writes) {
    const entry = itemCollectionMetrics(write.table, write.key.attributes, 'SIZE')
    if (!entry) continue
    const collection = JSON.stringify([write.table.name, entry.ItemCollectionKey])
    if (seen.has(collection)) continue
    seen.add(collection)
    memberOrAdd(metrics, write.table.name, () => []).push(entry)
  }
  return metrics
}

export interface WriteReplyRequest {
  ReturnConsumedCapacity?: 'NONE' | 'TOTAL' | 'INDEXES'
  ReturnItemCollectionMetrics?: string
}

export function writeReply(
  table: TableSchema, key: PrimaryKey, input: WriteReplyRequest, meter: CapacityMeter, attributes: Item | undefined,
): Record<string, unknown> {
  const output: Record<string, unknown> = {}
  if (attributes && Object.keys(attributes).length > 0) output.Attributes = attributes
  const consumed = meter.report(input.ReturnConsumedCapacity)
  if (consumed) output.ConsumedCapacity = consumed
  const metrics = itemCollectionMetrics(table, key.attributes, input.ReturnItemCollectionMetrics)
  if (metrics) output.ItemCollectionMetrics = metrics
  return output
}
