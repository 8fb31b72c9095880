/**
 * INSERT, UPDATE, DELETE and EXISTS as the DynamoDB write requests they mean. The requests
 * are plain API inputs, so ExecuteStatement hands them to PutItem/UpdateItem/DeleteItem and
 * ExecuteTransaction to TransactWriteItems: one write path for both APIs.
 */
import { ValidationException } from '../errors.js'
import type { ExpressionParameters } from '../expressions/index.js'
import type { TableCatalog } from '../tables/catalog.js'
import type { TableSchema } from '../tables/schema.js'
import { typeOf, type Item } from '../values/types.js'
import type { DeleteStatement, ExistsStatement, InsertStatement, UpdateStatement } from './ast.js'
import { missingKeyEquality, mistypedKeyAttribute, StatementKeyProblem } from './errors.js'
import { compileStatementExpressions, ExpressionWriter } from './expression-writer.js'
import { findFullKey, joinConjuncts, refuseConflictingKeyValues, refuseOversizedKey, requireFullKey, statementTable } from './keys.js'

export type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck'

export interface WriteRequest {
  kind: WriteKind
  /** The input of PutItem, UpdateItem or DeleteItem, or of a TransactWriteItems ConditionCheck. */
  input: Record<string, unknown>
  /** The primary key of the item written, partition key first. */
  key: Item
  /** INSERT: a failed condition means the key exists (DuplicateItemException). */
  insert: boolean
}

export interface WriteOptions {
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

export function translateWrite(
  catalog: TableCatalog, statement: InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement, options: WriteOptions,
): WriteRequest {
  // An UPDATE or DELETE of an index is refused before its table is looked up.
  if ((statement.kind === 'update' || statement.kind === 'delete') && statement.index !== undefined) {
    throw new ValidationException('This operation is not supported on an index')
  }
  return checkedExpressions(translateStatement(catalog, statement, options))
}

function translateStatement(
  catalog: TableCatalog, statement: InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement, options: WriteOptions,
): WriteRequest {
  switch (statement.kind) {
    case 'insert': return translateInsert(statementTable(catalog, statement.table), statement)
    case 'update': return translateUpdate(statementTable(catalog, statement.table), statement, options)
    case 'delete': return translateDelete(statementTable(catalog, statement.table), statement, options)
    case 'exists': return translateExists(catalog, statement, options)
  }
}

/**
 * The expressions a write became are compiled here, as the statement's own, so that their
 * problems are told bare (and, in ExecuteTransaction, as the statement's), not inside the "1
 * validation error detected: Invalid UpdateExpression: " envelope of the request they became.
 * The write compiles them again from the parse cache.
 */
function checkedExpressions(request: WriteRequest): WriteRequest {
  const { UpdateExpression, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = request.input as ExpressionParameters
  compileStatementExpressions({ UpdateExpression, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues })
  return request
}

function translateInsert(table: TableSchema, statement: InsertStatement): WriteRequest {
  const item = (statement.item as { M: Item }).M
  for (const attribute of [table.key.partitionKey, table.key.sortKey]) {
    if (attribute === undefined) continue
    const value = item[attribute]
    if (value === undefined) {
      throw new StatementKeyProblem(`Key attribute should be present in the item: Key ${attribute}`,
        `One or more parameter values were invalid: Missing the key ${attribute} in the item`)
    }
    if (typeOf(value) !== table.attributeTypes[attribute]) {
      throw mistypedKeyAttribute(attribute)
    }
  }
  const writer = new ExpressionWriter()
  const condition = `attribute_not_exists(${writer.name(table.key.partitionKey)})`
  const key: Item = { [table.key.partitionKey]: item[table.key.partitionKey]! }
  if (table.key.sortKey !== undefined) key[table.key.sortKey] = item[table.key.sortKey]!
  refuseOversizedKey(table, key)
  return {
    kind: 'Put', key, insert: true,
    input: { TableName: table.name, Item: item, ConditionExpression: condition, ...writer.placeholders() },
  }
}

/** UPDATE changes an existing item only: the whole WHERE, key equalities included, is its condition. */
function translateUpdate(table: TableSchema, statement: UpdateStatement, options: WriteOptions): WriteRequest {
  const { key } = requireFullKey(table, statement.where)
  refuseOversizedKey(table, key)
  const writer = new ExpressionWriter()
  const input: Record<string, unknown> = {
    TableName: table.name, Key: key,
    UpdateExpression: writer.update(statement.actions),
    ConditionExpression: writer.condition(statement.where),
  }
  Object.assign(input, writer.placeholders(), returnOptions(statement.returning, options))
  return { kind: 'Update', input, key, insert: false }
}

/**
 * DELETE of a missing item succeeds, so only the conditions beside the key become a condition,
 * and only for an item that exists: on a missing key they are never evaluated and the DELETE is a
 * silent no-op (an AWS-validated suite's ExecuteStatement case).
 */
function translateDelete(table: TableSchema, statement: DeleteStatement, options: WriteOptions): WriteRequest {
  const { key, rest } = requireFullKey(table, statement.where)
  refuseOversizedKey(table, key)
  const writer = new ExpressionWriter()
  const condition = joinConjuncts(rest)
  const input: Record<string, unknown> = { TableName: table.name, Key: key }
  if (condition) {
    // OR binds loosest, so the condition needs no parentheses (DynamoDB refuses redundant ones).
    const missing = `attribute_not_exists(${writer.name(table.key.partitionKey)})`
    Object.assign(input, { ConditionExpression: `${missing} OR ${writer.condition(condition)}` }, writer.placeholders())
  }
  Object.assign(input, returnOptions(statement.returning, options))
  return { kind: 'Delete', input, key, insert: false }
}

function translateExists(catalog: TableCatalog, statement: ExistsStatement, options: WriteOptions): WriteRequest {
  const select = statement.select
  const table = statementTable(catalog, select.table)
  if (select.index !== undefined || select.where === undefined) {
    throw missingKeyEquality()
  }
  refuseConflictingKeyValues(table, select.where)
  // A check must name one item by its key and test something more of it; a check of the key
  // alone, or of no single item (`pk IN [...]`), is refused alike (an AWS-validated suite's
  // ExecuteTransaction cases; floci's, recorded against DynamoDB, eu-west-2, 2026-09-17).
  const keyed = findFullKey(table, select.where)
  if (!keyed || keyed.rest.length === 0) {
    throw new ValidationException('EXISTS() must contain a single item read with additional condition')
  }
  const { key } = keyed
  const writer = new ExpressionWriter()
  const input: Record<string, unknown> = { TableName: table.name, Key: key, ConditionExpression: writer.condition(select.where) }
  Object.assign(input, writer.placeholders(), returnOptions(undefined, options))
  return { kind: 'ConditionCheck', input, key, insert: false }
}

function returnOptions(returning: string | undefined, options: WriteOptions): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  if (returning !== undefined) result.ReturnValues = returning
  if (options.ReturnValuesOnConditionCheckFailure !== undefined) {
    result.ReturnValuesOnConditionCheckFailure = options.ReturnValuesOnConditionCheckFailure
  }
  return result
}
