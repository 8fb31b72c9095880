/**
 * A SELECT's WHERE clause as the key reads DynamoDB plans for it, and the plans it refuses. Each
 * OR branch that fixes the partition key (an equality, or one value of an IN) and narrows the sort
 * key by ranges (=, <, <=, >, >=, BETWEEN, begins_with, one value of an IN) is one read;
 * conditions on other attributes only filter what the reads find. A key condition that is no
 * such range (`sk <> 'a'`, NOT over a key, a range of partition keys) or a branch that fixes no
 * partition leaves the statement undecomposed, a scan or a query with a filter, and nothing here
 * applies (recorded against DynamoDB: paritysuite's WHERE-overlap and PartiQL grammar cases,
 * eu-west-2, October 2026). The reads EddyDB runs are not these: it queries one partition or
 * scans, and filters by the whole WHERE clause; the plan only tells which statements to refuse.
 */
import { ValidationException } from '../errors.js'
import type { KeyNames, TableSchema } from '../tables/schema.js'
import { attributeValuesEqual, compareScalars } from '../values/attribute-value.js'
import { typeOf, type AttributeValue } from '../values/types.js'
import type { Comparator, Condition, Operand } from './ast.js'
import { mistypedKeyAttribute } from './errors.js'
import { emptyKeyValueMessage } from '../items/keys.js'
import { isEmptyScalar } from '../tables/index-key-values.js'
import { statementPaths } from './keys.js'

/** DynamoDB decomposes a statement into at most this many key reads; the count stops there. */
const decomposedReadsMax = 50

const overlappingConditionsMessage = 'Overlapping conditions with range keys are not supported in where clause'
const tooManyReadsMessage = 'Too many decomposed read operations for a given query.'

/** One bound of a sort key range; `prefix` marks the end of what begins_with(sk, value) admits. */
interface SortBound { value: AttributeValue; inclusive: boolean; prefix?: boolean }

/** One key read: a partition, and sort key bounds that must all hold. */
interface KeyRead { partition?: AttributeValue; lows: SortBound[]; highs: SortBound[] }

type Decomposition = KeyRead[] | 'too many' | undefined

/**
 * Refuses the key reads DynamoDB will not run: more than it decomposes a statement into (floci's
 * PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17: `pk IN [51 values]`,
 * `pk IN [26] AND sk IN [2]`), a key of the wrong type, or two reads that could find the same item.
 */
export function refuseUnplannedKeyReads(table: TableSchema, keys: KeyNames, where: Condition | undefined): void {
  if (!where || !fixesPartition(where, keys.partitionKey)) return
  const reads = keyReads(where, keys)
  if (reads === undefined) return
  if (reads === 'too many' || reads.length > decomposedReadsMax) throw new ValidationException(tooManyReadsMessage)
  for (const read of reads) refuseMistypedKeys(table, keys, read)
  const satisfiable = reads.filter(isSatisfiable)
  for (let first = 0; first < satisfiable.length; first++) {
    for (let second = first + 1; second < satisfiable.length; second++) {
      if (overlap(satisfiable[first]!, satisfiable[second]!)) throw new ValidationException(overlappingConditionsMessage)
    }
  }
}

/**
 * The partitions a SELECT reads when every key read it decomposes into fixes one, distinct and
 * in key order (descending when asked); undefined when it does not decompose so. Run after
 * refuseUnplannedKeyReads, so the values have the key's type.
 */
export function keyReadPartitions(where: Condition | undefined, keys: KeyNames, descending: boolean): AttributeValue[] | undefined {
  if (!where || !fixesPartition(where, keys.partitionKey)) return undefined
  const reads = keyReads(where, keys)
  if (reads === undefined || reads === 'too many' || reads.some((read) => read.partition === undefined)) return undefined
  const partitions: AttributeValue[] = []
  for (const read of reads) {
    if (!partitions.some((partition) => attributeValuesEqual(partition, read.partition!))) partitions.push(read.partition!)
  }
  const order = descending ? -1 : 1
  return partitions.sort((one, other) => order * (compareScalars(one, other) ?? 0))
}

/**
 * A key read names its key in the table's types: `pk = 1` on a string key is refused, not a read
 * that finds nothing (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2,
 * 2026-09-17: `pk = 1 OR pk = 'r'`, `pk = 'r' AND sk IN ['1', 2]`). Nor may a key value be an
 * empty string or binary, as in a GetItem's Key or a Query's key condition (DynamoDB Local
 * answers `pk = ''`, `pk IN ['', 'a']` so).
 */
function refuseMistypedKeys(table: TableSchema, keys: KeyNames, read: KeyRead): void {
  const partitionType = table.attributeTypes[keys.partitionKey]!
  if (typeOf(read.partition!) !== partitionType) throw mistypedKeyAttribute(keys.partitionKey)
  if (isEmptyScalar(read.partition!)) throw new ValidationException(emptyKeyValueMessage(partitionType, keys.partitionKey))
  const bounds = [...read.lows, ...read.highs]
  const sortType = table.attributeTypes[keys.sortKey!]!
  if (bounds.some((bound) => typeOf(bound.value) !== sortType)) throw mistypedKeyAttribute(keys.sortKey!)
  if (bounds.some((bound) => isEmptyScalar(bound.value))) throw new ValidationException(emptyKeyValueMessage(sortType, keys.sortKey!))
}

/** Whether every OR branch of the condition fixes the partition key. */
function fixesPartition(condition: Condition, partitionKey: string): boolean {
  switch (condition.kind) {
    case 'and': return fixesPartition(condition.left, partitionKey) || fixesPartition(condition.right, partitionKey)
    case 'or': return fixesPartition(condition.left, partitionKey) && fixesPartition(condition.right, partitionKey)
    case 'in': return keyAttribute(condition.operand, { partitionKey }) !== undefined
    case 'compare': return condition.comparator === '=' &&
      [condition.left, condition.right].some((operand) => keyAttribute(operand, { partitionKey }) !== undefined)
    default: return false
  }
}

/** The reads a condition decomposes into: OR adds reads, AND pairs every read of one side with every read of the other. */
function keyReads(condition: Condition, keys: KeyNames): Decomposition {
  if (!mentionsKey(condition, keys)) return [{ lows: [], highs: [] }]
  if (condition.kind !== 'and' && condition.kind !== 'or') return leafReads(condition, keys)
  const left = keyReads(condition.left, keys)
  const right = keyReads(condition.right, keys)
  if (left === undefined || right === undefined) return undefined
  if (left === 'too many' || right === 'too many') return 'too many'
  const count = condition.kind === 'or' ? left.length + right.length : left.length * right.length
  if (count > decomposedReadsMax) return 'too many'
  if (condition.kind === 'or') return [...left, ...right]
  return left.flatMap((one) => right.flatMap((other) => {
    const both = bothReads(one, other)
    return both ? [both] : []
  }))
}

/** A read both reads name; none when they fix different partitions. */
function bothReads(one: KeyRead, other: KeyRead): KeyRead | undefined {
  if (one.partition && other.partition && !attributeValuesEqual(one.partition, other.partition)) return undefined
  const partition = one.partition ?? other.partition
  return { ...(partition ? { partition } : {}), lows: [...one.lows, ...other.lows], highs: [...one.highs, ...other.highs] }
}

/** The reads of one condition on a key, or undefined when it is no key range. */
function leafReads(condition: Condition, keys: KeyNames): KeyRead[] | undefined {
  switch (condition.kind) {
    case 'compare': return comparisonReads(condition, keys)
    case 'in': {
      const attribute = keyAttribute(condition.operand, keys)
      const values = condition.candidates.map(literal)
      if (attribute === undefined || values.some((value) => value === undefined)) return undefined
      return values.map((value) => equalityRead(attribute, value!, keys))
    }
    case 'between': {
      const low = literal(condition.low)
      const high = literal(condition.high)
      if (keyAttribute(condition.operand, keys) !== keys.sortKey || !low || !high) return undefined
      return [{ lows: [{ value: low, inclusive: true }], highs: [{ value: high, inclusive: true }] }]
    }
    case 'function': {
      const prefix = literal(condition.argument)
      if (condition.name !== 'begins_with' || keyAttribute(condition.path, keys) !== keys.sortKey || !prefix) return undefined
      return [{ lows: [{ value: prefix, inclusive: true }], highs: [{ value: prefix, inclusive: true, prefix: true }] }]
    }
    default: return undefined
  }
}

const mirrored: Record<Comparator, Comparator> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }

function comparisonReads(condition: Extract<Condition, { kind: 'compare' }>, keys: KeyNames): KeyRead[] | undefined {
  const keyOnLeft = keyAttribute(condition.left, keys) !== undefined
  const comparator = keyOnLeft ? condition.comparator : mirrored[condition.comparator]
  const attribute = keyAttribute(keyOnLeft ? condition.left : condition.right, keys)
  const value = literal(keyOnLeft ? condition.right : condition.left)
  if (attribute === undefined || value === undefined || comparator === '<>') return undefined
  if (comparator === '=') return [equalityRead(attribute, value, keys)]
  if (attribute !== keys.sortKey) return undefined
  const bound = { value, inclusive: comparator.endsWith('=') }
  return [comparator.startsWith('<') ? { lows: [], highs: [bound] } : { lows: [bound], highs: [] }]
}

function equalityRead(attribute: string, value: AttributeValue, keys: KeyNames): KeyRead {
  if (attribute === keys.partitionKey) return { partition: value, lows: [], highs: [] }
  return { lows: [{ value, inclusive: true }], highs: [{ value, inclusive: true }] }
}

/** Two reads overlap when they read one partition and some sort key meets the bounds of both. */
function overlap(one: KeyRead, other: KeyRead): boolean {
  return attributeValuesEqual(one.partition!, other.partition!) &&
    isSatisfiable({ lows: [...one.lows, ...other.lows], highs: [...one.highs, ...other.highs] })
}

/** Whether some sort key meets every bound: each low bound lies at or below each high bound. */
function isSatisfiable(read: KeyRead): boolean {
  return read.lows.every((low) => read.highs.every((high) => boundsMeet(low, high)))
}

function boundsMeet(low: SortBound, high: SortBound): boolean {
  const order = compareScalars(low.value, high.value)
  if (order === undefined) return false
  if (high.prefix) return order <= 0 || startsWith(low.value, high.value)
  return order < 0 || (order === 0 && low.inclusive && high.inclusive)
}

function startsWith(value: AttributeValue, prefix: AttributeValue): boolean {
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S)
  if ('B' in value && 'B' in prefix) {
    const bytes = Buffer.from(value.B, 'base64')
    const prefixBytes = Buffer.from(prefix.B, 'base64')
    return bytes.subarray(0, prefixBytes.length).equals(prefixBytes)
  }
  return false
}

/** The key attribute an operand names, when it is that attribute itself (not a path into it). */
function keyAttribute(operand: Operand, keys: Partial<KeyNames>): string | undefined {
  if (operand.kind !== 'path' || operand.steps.length !== 1) return undefined
  const name = operand.steps[0]
  return name === keys.partitionKey || name === keys.sortKey ? name : undefined
}

function literal(operand: Operand): AttributeValue | undefined {
  return operand.kind === 'value' ? operand.value : undefined
}

function mentionsKey(condition: Condition, keys: KeyNames): boolean {
  return statementPaths(condition).some((steps) => steps[0] === keys.partitionKey || steps[0] === keys.sortKey)
}
