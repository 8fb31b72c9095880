/**
 * Whether a value can be one attribute of a secondary index key: the type AttributeDefinitions
 * gives it, not empty, and within the key size limits (2048 bytes for a partition attribute,
 * 1024 for a sort attribute, as for table keys). Writes turn a problem into DynamoDB's
 * ValidationException; a GSI backfill leaves such an item out of the index, as DynamoDB does
 * with the items it reports as index key violations.
 *
 * With multi-attribute GSI keys each attribute is checked on its own against the limit of its
 * role, and then the attributes of one role together against the same limit (the aggregate
 * check, as DynamoDB Local 2026-05-28 answers; the documentation is silent, see
 * docs/compatibility.md).
 */
import { attributeValueSizeBytes } from '../values/size.js'
import type { AttributeValue, Item, ScalarKeyType } from '../values/types.js'
import { typeOf } from '../values/types.js'

/** DynamoDB's key size limits, in bytes of the UTF-8 string or the raw binary. */
export const partitionKeyBytesMax = 2048
export const sortKeyBytesMax = 1024

export type KeyRole = 'partition' | 'sort'

export type IndexKeyValueProblem =
  | { kind: 'type'; actual: string }
  | { kind: 'empty' }
  | { kind: 'size'; sizeBytes: number; limitBytes: number }

/** The first problem with `value` as an index key attribute of type `expected`, if any. */
export function indexKeyValueProblem(
  value: AttributeValue, expected: ScalarKeyType, role: KeyRole,
): IndexKeyValueProblem | undefined {
  const actual = typeOf(value)
  if (actual !== expected) return { kind: 'type', actual }
  if (isEmptyScalar(value)) return { kind: 'empty' }
  const limitBytes = role === 'partition' ? partitionKeyBytesMax : sortKeyBytesMax
  if (!exceedsBytes(value, limitBytes)) return undefined
  return { kind: 'size', sizeBytes: keyValueBytes(value), limitBytes }
}

export function isEmptyScalar(value: AttributeValue): boolean {
  return ('S' in value && value.S === '') || ('B' in value && value.B === '')
}

/** Numbers are bounded by their 38 digits; strings and binaries by their bytes. */
export function exceedsBytes(value: AttributeValue, limitBytes: number): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings need no byte count (hot path).
  if ('S' in value) return value.S.length * 3 > limitBytes && Buffer.byteLength(value.S, 'utf8') > limitBytes
  if ('B' in value) return value.B.length * 3 > limitBytes * 4 && Buffer.from(value.B, 'base64').length > limitBytes
  return false
}

function keyValueBytes(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8')
  if ('B' in value) return Buffer.from(value.B, 'base64').length
  return 0
}

export interface AggregateKeySizeProblem {
  /** The attributes of the role the item has, in KeySchema order. */
  names: string[]
  sizeBytes: number
  limitBytes: number
}

/**
 * Whether the attributes of one role of a multi-attribute key, those the item has, add up to
 * more than the role's limit (numbers count as DynamoDB sizes them). Each attribute is assumed
 * to be a valid key value on its own.
 */
export function aggregateKeySizeProblem(item: Item, names: string[], role: KeyRole): AggregateKeySizeProblem | undefined {
  if (names.length < 2) return undefined
  const present = names.filter((name) => item[name] !== undefined)
  const sizeBytes = present.reduce((total, name) => total + attributeValueSizeBytes(item[name]!), 0)
  const limitBytes = role === 'partition' ? partitionKeyBytesMax : sortKeyBytesMax
  return sizeBytes > limitBytes ? { names: present, sizeBytes, limitBytes } : undefined
}
