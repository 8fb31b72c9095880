/**
 * Runs one parsed statement the way ExecuteStatement and BatchExecuteStatement do: a SELECT
 * reads a page, a write becomes the equivalent PutItem/UpdateItem/DeleteItem call.
 */
import type { RequestContext } from '../api/context.js'
import { defineOperation, type Operation } from '../api/operation.js'
import { ConditionalCheckFailedException, ValidationException } from '../errors.js'
import { deleteItem } from '../operations/delete-item.js'
import { putItem } from '../operations/put-item.js'
import { partiqlUpdateItem } from '../operations/update-item.js'
import { deleteItemShape } from '../shapes/delete-item.js'
import { putItemShape } from '../shapes/put-item.js'
import { updateItemShape } from '../shapes/update-item.js'
import type { Item } from '../values/types.js'
import type { Statement } from './ast.js'
import { DuplicateItemException } from './errors.js'
import { runSelect, type ReadOptions, type ReadResult } from './reads.js'
import { translateWrite, type WriteKind, type WriteOptions, type WriteRequest } from './writes.js'

export type StatementOptions = ReadOptions & WriteOptions

export interface WriteResult {
  Items: Item[]
  ConsumedCapacity?: unknown
}

/** Each write validated as the DynamoDB request it becomes; UPDATE has its own size rule (partiqlUpdateItem). */
const writeOperations: Record<Exclude<WriteKind, 'ConditionCheck'>, Operation> = {
  Put: defineOperation(putItemShape, putItem),
  Update: defineOperation(updateItemShape, partiqlUpdateItem),
  Delete: defineOperation(deleteItemShape, deleteItem),
}

/** EXISTS outside ExecuteTransaction, alone or in a batch (DynamoDB Local's words). */
export const existsOutsideTransactionMessage = 'EXISTS can only be used in ExecuteTransaction write requests.'

export async function runStatement(ctx: RequestContext, statement: Statement, options: StatementOptions): Promise<ReadResult | WriteResult> {
  if (statement.kind === 'select') return runSelect(ctx, statement, options)
  if (statement.kind === 'exists') {
    throw new ValidationException(existsOutsideTransactionMessage)
  }
  const request = translateWrite(ctx.catalog, statement, options)
  return runWrite(ctx, request, options.ReturnConsumedCapacity)
}

export async function runWrite(ctx: RequestContext, request: WriteRequest, returnConsumedCapacity?: string): Promise<WriteResult> {
  const operation = writeOperations[request.kind as Exclude<WriteKind, 'ConditionCheck'>]
  const input = { ...request.input, ...(returnConsumedCapacity ? { ReturnConsumedCapacity: returnConsumedCapacity } : {}) }
  const accepted = operation.accept(input)
  let output: { Attributes?: Item; ConsumedCapacity?: unknown }
  try {
    output = await accepted(ctx) as typeof output
  } catch (error) {
    if (request.insert && error instanceof ConditionalCheckFailedException) throw new DuplicateItemException()
    throw error
  }
  const result: WriteResult = { Items: output.Attributes ? [output.Attributes] : [] }
  if (output.ConsumedCapacity) result.ConsumedCapacity = output.ConsumedCapacity
  return result
}
