import type { OperationHandler, RequestContext } from '../api/context.js'
import { ResourceNotFoundException, TransactionCanceledException, ValidationException, type CancellationReason } from '../errors.js'
import type { SelectStatement, Statement } from '../partiql/ast.js'
import { allReads, keyOnlySelect } from '../partiql/batch.js'
import { StatementKeyProblem } from '../partiql/errors.js'
import { statementTable } from '../partiql/keys.js'
import { parseStatement } from '../partiql/parser.js'
import { compiledProjection, project, refuseProjectionCall } from '../partiql/reads.js'
import { translateWrite, type WriteRequest } from '../partiql/writes.js'
import type { ExecuteTransactionInput } from '../shapes/execute-transaction.js'
import { findIndex, hasMultiAttributeKey } from '../tables/schema.js'
import { transactGetItemsShape } from '../shapes/transact-get-items.js'
import { transactWriteItemsShape } from '../shapes/transact-write-items.js'
import { validateRequest } from '../validate/index.js'
import type { Item } from '../values/types.js'
import { transactGetItems } from './transact-get-items.js'
import { transactWriteItems } from './transact-write-items.js'

const mixedMessage = 'ExecuteTransaction API does not support both read and write operations in the same request.'

/**
 * ExecuteTransaction: up to 100 statements that succeed or fail together. Reads become one
 * TransactGetItems, writes one TransactWriteItems (INSERT a Put that must not find the key,
 * UPDATE/DELETE their own kinds, EXISTS(SELECT ...) a ConditionCheck), so the transaction
 * code path, its cancellation reasons and ClientRequestToken idempotency are the same.
 */
export const executeTransaction: OperationHandler<ExecuteTransactionInput> = async (ctx, input) => {
  const statements = input.TransactStatements.map((request, index) =>
    inStatement(index, () => parseStatement(request.Statement, request.Parameters)))
  return allReads(statements, mixedMessage) ? readTransaction(ctx, statements as SelectStatement[], input) : writeTransaction(ctx, statements, input)
}

async function readTransaction(ctx: RequestContext, selects: SelectStatement[], input: ExecuteTransactionInput): Promise<object> {
  const TransactItems = selects.map((select, index) => inStatement(index, () => {
    const table = statementTable(ctx.catalog, select.table)
    // A transaction never reads an index (an AWS-validated suite's index-qualifier cases); a
    // multi-attribute index's own refusal still comes first, from keyOnlySelect.
    const index = select.index === undefined ? undefined : findIndex(table, select.index)
    if (select.index !== undefined && !(index && hasMultiAttributeKey(index))) {
      throw new ValidationException('Reads on indices are not supported within transactions.')
    }
    const Key = keyOnlySelect(table, select, 'ExecuteTransaction')
    refuseProjectionCall(select)
    // Its paths' problems (two under one name, overlapping ones) are refused as a SELECT's are.
    compiledProjection(select.projection)
    return { Get: { TableName: table.name, Key } }
  }))
  const request: Record<string, unknown> = { TransactItems }
  if (input.ReturnConsumedCapacity) request.ReturnConsumedCapacity = input.ReturnConsumedCapacity
  const output = await transactGetItems(ctx, validateRequest(transactGetItemsShape, request)) as { Responses: Array<{ Item?: Item }>; ConsumedCapacity?: unknown }
  const Responses = output.Responses.map((response, index) =>
    response.Item ? { Item: project(response.Item, selects[index]!.projection) } : {})
  return output.ConsumedCapacity ? { Responses, ConsumedCapacity: output.ConsumedCapacity } : { Responses }
}

async function writeTransaction(ctx: RequestContext, statements: Statement[], input: ExecuteTransactionInput): Promise<object> {
  const unwritable: Array<CancellationReason | undefined> = []
  const writes = statements.map((statement, index) => inStatement(index, () => {
    if (statement.kind === 'select') throw new ValidationException(mixedMessage)
    if (statement.kind !== 'exists' && statement.kind !== 'insert' && statement.returning !== undefined) {
      throw new ValidationException('RETURNING clause is not supported in ExecuteTransaction.')
    }
    try {
      return translateWrite(ctx.catalog, statement, input.TransactStatements[index]!)
    } catch (error) {
      unwritable[index] = cancellationReasonFor(error)
      return undefined
    }
  }))
  if (unwritable.length > 0) throw new TransactionCanceledException(statements.map((_, index) => unwritable[index] ?? { Code: 'None' }))
  return runWrites(ctx, writes as WriteRequest[], input)
}

/**
 * A statement that names no item of an existing table cancels the transaction, with its reason,
 * before anything is written (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2,
 * 2026-09-17); any other problem is the request's.
 */
function cancellationReasonFor(error: unknown): CancellationReason {
  if (error instanceof ResourceNotFoundException) return { Code: 'ResourceNotFound', Message: error.message }
  if (error instanceof StatementKeyProblem) return { Code: 'ValidationError', Message: error.reason }
  throw error
}

async function runWrites(ctx: RequestContext, writes: WriteRequest[], input: ExecuteTransactionInput): Promise<object> {
  const request: Record<string, unknown> = { TransactItems: writes.map((write) => ({ [write.kind]: write.input })) }
  if (input.ClientRequestToken !== undefined) request.ClientRequestToken = input.ClientRequestToken
  if (input.ReturnConsumedCapacity) request.ReturnConsumedCapacity = input.ReturnConsumedCapacity
  const valid = validateRequest(transactWriteItemsShape, request)
  try {
    const output = await transactWriteItems(ctx, valid) as { ConsumedCapacity?: unknown }
    return output.ConsumedCapacity ? { Responses: [], ConsumedCapacity: output.ConsumedCapacity } : { Responses: [] }
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw withInsertReasons(error, writes)
    throw error
  }
}

/** An INSERT's failed condition means its key exists; DynamoDB Local reports that as below. */
function withInsertReasons(error: TransactionCanceledException, writes: WriteRequest[]): TransactionCanceledException {
  return new TransactionCanceledException(error.reasons.map((reason, index) =>
    writes[index]?.insert && reason.Code === 'ConditionalCheckFailed'
      ? { Code: 'ValidationError', Message: 'Duplicate primary key exists in table' }
      : reason))
}

/** Validation errors about one statement name it, as DynamoDB does: "Validation failed in TransactStatements[2]: ...". */
function inStatement<T>(index: number, run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof ValidationException) {
      throw new ValidationException(`Validation failed in TransactStatements[${index}]: ${error.message}`)
    }
    throw error
  }
}
