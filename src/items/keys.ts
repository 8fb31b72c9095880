/**
 * Primary keys: checking a client's Key or Item against the table's key schema, and turning
 * it into the storage key. The messages are DynamoDB's, including its typos. A Key that does not
 * match the schema (a key attribute missing, one too many, a value of the wrong type or size) is
 * an ItemValidationException: a transaction cancels on it, with a reason (ExtendDB's tests
 * recorded on AWS, test_transaction_operations.py and test_transaction_key_size_validation.py;
 * for an empty Key, the AWS-validated dynamodb-conformance suite's TransactGetItems case). An
 * empty key value fails any request outright (that suite's pull request 60, four regions).
 */
import { ItemValidationException, RequestValidationException, ValidationException } from '../errors.js'
import {
  aggregateKeySizeProblem, exceedsBytes, indexKeyValueProblem, isEmptyScalar, partitionKeyBytesMax, sortKeyBytesMax,
  type KeyRole,
} from '../tables/index-key-values.js'
import { indexKeyAttributeNames, type IndexSchema, type TableSchema } from '../tables/schema.js'
import { encodePrimaryKey } from '../values/key.js'
import { typeOf, type AttributeValue, type Item, type ScalarKeyType } from '../values/types.js'
import { indexedVector } from '../vectors/vector-values.js'
import { ownMember, setMember } from '../values/members.js'

const schemaMismatch = 'The provided key element does not match the schema'

export interface PrimaryKey {
  /** The key attributes only, as the client would send them in Key. */
  attributes: Item
  encoded: Buffer
}

/** A Key parameter (GetItem, DeleteItem, UpdateItem, batches, transactions). */
export function keyFromKeyParameter(table: TableSchema, key: Item): PrimaryKey {
  const names = table.key.sortKey ? 2 : 1
  let count = 0
  for (const _ in key) count++
  if (count !== names) throw new ItemValidationException(schemaMismatch)
  const partition = ownMember(key, table.key.partitionKey)
  const sort = table.key.sortKey === undefined ? undefined : ownMember(key, table.key.sortKey)
  if (!partition || (table.key.sortKey !== undefined && !sort)) throw new ItemValidationException(schemaMismatch)
  checkKeyValue(table, table.key.partitionKey, partition, true, schemaMismatch)
  if (sort) checkKeyValue(table, table.key.sortKey!, sort, false, schemaMismatch)
  return { attributes: key, encoded: encodePrimaryKey(partition, sort) }
}

/**
 * How a missing key attribute or one of the wrong type is worded: PutItem and a transaction's Put
 * name the attribute ('item'); BatchWriteItem's PutRequest says only that the key does not match
 * ('schema'; the AWS-validated dynamodb-conformance suite, four regions).
 */
export type ItemKeyWording = 'item' | 'schema'

/** The key of a whole item (PutItem, PutRequest, transactional Put). Also checks index key types. */
export function keyFromItem(table: TableSchema, item: Item, wording: ItemKeyWording = 'item'): PrimaryKey {
  const attributes: Item = {}
  for (const name of [table.key.partitionKey, table.key.sortKey]) {
    if (name === undefined) continue
    const value = ownMember(item, name)
    if (!value) {
      throw new ValidationException(wording === 'schema' ? schemaMismatch : `One or more parameter values were invalid: Missing the key ${name} in the item`)
    }
    const expected = table.attributeTypes[name]!
    const actual = typeOf(value)
    if (actual !== expected) {
      throw new ItemValidationException(wording === 'schema' ? schemaMismatch
        : `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${expected} actual: ${actual}`)
    }
    checkKeyValue(table, name, value, name === table.key.partitionKey, undefined)
    setMember(attributes, name, value)
  }
  checkIndexKeys(table, item)
  return {
    attributes,
    encoded: encodePrimaryKey(attributes[table.key.partitionKey]!, table.key.sortKey ? attributes[table.key.sortKey] : undefined),
  }
}

/**
 * What wrote the item being checked. An UpdateExpression that leaves an index key empty gets
 * DynamoDB's update wording, without the index and attribute names; an item that was sent
 * (PutItem, BatchWriteItem, a Put, AttributeUpdates) gets the one that names them.
 */
export type IndexKeySource = 'item' | 'updateExpression'

/**
 * Index key attributes present in an item must have the type the index declares, not be empty
 * and fit the key size limits, each one and, for a multi-attribute key, those of one role
 * together; an absent one only leaves the item out of that index.
 */
export function checkIndexKeys(table: TableSchema, item: Item, source: IndexKeySource = 'item'): void {
  for (const index of table.indexes) {
    checkIndexKeyRole(table, index, item, index.key.partitionKeys, 'partition', source)
    checkIndexKeyRole(table, index, item, index.key.sortKeys, 'sort', source)
    checkAggregateKeySize(index, item, index.key.partitionKeys, 'partition')
    checkAggregateKeySize(index, item, index.key.sortKeys, 'sort')
  }
  // A vector index's SearchSchema attributes are checked as index keys are (a HASH element as a
  // partition key, an INLINE_FILTER as a sort key), then its vector; an item without the vector
  // is simply not in the index.
  for (const index of table.vectorIndexes) {
    for (const element of index.searchSchema) {
      checkIndexKeyRole(table, index, item, [element.AttributeName], element.SearchSchemaElementType === 'HASH' ? 'partition' : 'sort', source)
    }
    indexedVector(index, ownMember(item, index.vectorAttribute))
  }
}

/** DynamoDB Local 2026-05-28's words; a transaction cancels on it like on any key size problem. */
function checkAggregateKeySize(index: IndexSchema, item: Item, names: string[], role: KeyRole): void {
  const problem = aggregateKeySizeProblem(item, names, role)
  if (problem === undefined) return
  throw new ItemValidationException(`Aggregate size for ${role === 'partition' ? 'HASH' : 'RANGE'} key attributes ` +
    `${problem.names.join(', ')} of index ${index.name} has exceeded limit ${problem.limitBytes} bytes, with actual size ${problem.sizeBytes} bytes`)
}

function checkIndexKeyRole(
  table: TableSchema, index: { name: string }, item: Item, names: string[], role: KeyRole, source: IndexKeySource,
): void {
  for (const name of names) {
    const value = ownMember(item, name)
    if (!value) continue
    const expected = table.attributeTypes[name]!
    const problem = indexKeyValueProblem(value, expected, role)
    if (problem === undefined) continue
    const invalid = 'One or more parameter values were invalid: '
    switch (problem.kind) {
      case 'type':
        throw new ItemValidationException(`${invalid}Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${problem.actual} IndexName: ${index.name}`)
      case 'empty': {
        const empty = `The AttributeValue for a key attribute cannot contain an empty ${expected === 'S' ? 'string' : 'binary'} value.`
        throw new RequestValidationException(source === 'updateExpression'
          ? `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. ${empty}`
          : `One or more parameter values are not valid. A value specified for a secondary index key is not supported. ${empty} IndexName: ${index.name}, IndexKey: ${name}`)
      }
      case 'size':
        throw new ItemValidationException(`${invalid}Size limit exceeded for Index Key ${name} Actual Size: ${problem.sizeBytes} bytes Max Size: ${problem.limitBytes} bytes IndexName: ${index.name}`)
    }
  }
}

/** DynamoDB's words for an empty string or binary where a key attribute's value goes. */
export function emptyKeyValueMessage(type: ScalarKeyType, name: string): string {
  return 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ' +
    `${type === 'S' ? 'string' : 'binary'} value. Key: ${name}`
}

function checkKeyValue(table: TableSchema, name: string, value: AttributeValue, isPartition: boolean, typeMismatch: string | undefined): void {
  const expected: ScalarKeyType = table.attributeTypes[name]!
  if (typeOf(value) !== expected) {
    throw new ItemValidationException(typeMismatch ?? schemaMismatch)
  }
  if (isEmptyScalar(value)) throw new ValidationException(emptyKeyValueMessage(expected, name))
  const limit = isPartition ? partitionKeyBytesMax : sortKeyBytesMax
  if (!exceedsBytes(value, limit)) return
  if (isPartition) {
    // DynamoDB quirk: no space between "of" and the number in this one message.
    throw new ItemValidationException(`One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of${partitionKeyBytesMax} bytes`)
  }
  throw new ItemValidationException(sortKeyTooLargeMessage)
}

/** DynamoDB's words for a sort key value over 1,024 bytes ("all range keys": there is only one). */
export const sortKeyTooLargeMessage =
  `One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of ${sortKeyBytesMax} bytes`

/** The key attributes of a stored item (for LastEvaluatedKey, change records, ...). */
export function keyAttributesOf(table: TableSchema, item: Item): Item {
  const key: Item = { [table.key.partitionKey]: item[table.key.partitionKey]! }
  if (table.key.sortKey) setMember(key, table.key.sortKey, item[table.key.sortKey]!)
  return key
}

/** The attributes that make an index row's LastEvaluatedKey: the index key plus the table key. */
export function indexKeyAttributesOf(table: TableSchema, index: IndexSchema, item: Item): Item {
  const key = keyAttributesOf(table, item)
  for (const name of indexKeyAttributeNames(index)) setMember(key, name, item[name]!)
  return key
}
