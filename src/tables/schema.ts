/**
 * A table as the data plane sees it: key names and types, and its secondary indexes.
 * Derived from the stored TableDescription (the wire shape DescribeTable returns), which the
 * catalog keeps; data-plane operations read only this.
 */
import type { ScalarKeyType } from '../values/types.js'
import type { TableId } from '../storage/engine.js'
import type { VectorIndexSchema } from '../vectors/index-definition.js'

export interface KeyNames {
  partitionKey: string
  sortKey?: string
}

/**
 * A secondary index's key: its partition and sort attributes in KeySchema order. LSIs have one
 * of each; a GSI has one partition attribute and at most one sort attribute, or up to four of
 * each with multi-attribute keys (whose rows are hashed on all the partition attributes
 * together and sorted by the sort attributes left to right).
 */
export interface IndexKeyNames {
  partitionKeys: string[]
  sortKeys: string[]
}

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE'

export interface IndexSchema {
  name: string
  kind: 'global' | 'local'
  key: IndexKeyNames
  projectionType: ProjectionType
  /** For INCLUDE: the non-key attributes copied into the index. */
  nonKeyAttributes: string[]
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING'
  /** A GSI added to an existing table and still being filled from its items: it cannot be read yet. */
  backfilling: boolean
}

export interface TableSchema {
  name: string
  tableId: TableId
  arn: string
  key: KeyNames
  /** Types of every attribute named in AttributeDefinitions (table and index keys). */
  attributeTypes: Record<string, ScalarKeyType>
  indexes: IndexSchema[]
  /** Vector indexes: searched by SearchVectors, never by Query or Scan, and keeping no rows. */
  vectorIndexes: VectorIndexSchema[]
  /** Stream settings; the change log is written whatever they are. */
  streamEnabled: boolean
  streamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'
  /** Billing: PAY_PER_REQUEST or PROVISIONED (affects only descriptions and capacity reporting). */
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED'
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING'
  /** The attribute holding the expiry time when TTL is enabled. */
  ttlAttribute?: string
  /** A global table's replica: its writes carry last-writer-wins versions (src/replication/versions.ts). */
  replicated?: boolean
  /** A replica of a multi-Region strongly consistent global table: its writes are claimed and replicated before they are answered (replication/strong-writes.ts). */
  strongConsistency?: boolean
  /** The version of the record this schema was derived from: what writes fence on (definition-version.ts). */
  definitionVersion?: string
}

export function findIndex(table: TableSchema, name: string): IndexSchema | undefined {
  return table.indexes.find((index) => index.name === name)
}

/** Names of the table's own key attributes, partition key first. */
export function tableKeyNames(table: TableSchema): string[] {
  return table.key.sortKey ? [table.key.partitionKey, table.key.sortKey] : [table.key.partitionKey]
}

/** A table's key in the shape of an index key, so Query treats both alike. */
export function asIndexKeyNames(key: KeyNames): IndexKeyNames {
  return { partitionKeys: [key.partitionKey], sortKeys: key.sortKey === undefined ? [] : [key.sortKey] }
}

/** Every attribute of an index key, partition attributes first, in KeySchema order. */
export function indexKeyAttributeNames(index: IndexSchema): string[] {
  return [...index.key.partitionKeys, ...index.key.sortKeys]
}

/** Whether an index uses multi-attribute keys (more than one partition or sort attribute). */
export function hasMultiAttributeKey(index: IndexSchema): boolean {
  return index.key.partitionKeys.length > 1 || index.key.sortKeys.length > 1
}
