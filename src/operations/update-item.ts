import type { OperationHandler, RequestContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import {
  applyUpdate, createsMissingItem, projectPaths, topLevelAttributes, updatePlanPaths, type DocumentPath, type UpdatePlan,
} from '../expressions/index.js'
import type { TableSchema } from '../tables/schema.js'
import { attributeValueProblem, nestingMessage, normalizeItem } from '../values/attribute-value.js'
import { itemSizeBytes, itemSizeBytesMax } from '../values/size.js'
import type { Item } from '../values/types.js'
import { CapacityMeter } from './capacity.js'
import { writeReply } from './item-collection.js'
import { checkIndexKeys, keyFromKeyParameter, type PrimaryKey } from './keys.js'
import { checkCondition, rejectNestedKeyPaths, writeRequestExpressions } from './request-expressions.js'
import { writeItem, type NextItem } from './write-item.js'

export const updateOversizeMessage = 'Item size to update has exceeded the maximum allowed size'

/**
 * UpdateItem: edit attributes of one item, creating it (with just its key and the updates)
 * when it does not exist, unless the update only removes attributes.
 */
export const updateItem: OperationHandler = (ctx, input) => runUpdateItem(ctx, input, true)

/** PartiQL's UPDATE: an UpdateItem that measures only the finished item against 400 KB. */
export const partiqlUpdateItem: OperationHandler = (ctx, input) => runUpdateItem(ctx, input, false)

async function runUpdateItem(ctx: RequestContext, input: Record<string, any>, statementSized: boolean): Promise<object> {
  const { condition, update } = writeRequestExpressions(input)
  const table = ctx.catalog.require(input.TableName)
  const key = keyFromKeyParameter(table, normalizeItem(input.Key))
  if (update) rejectKeyUpdates(table, update)
  rejectNestedKeyPaths(table, { condition, update })
  const meter = new CapacityMeter(table)
  let updatedPaths: DocumentPath[] = []
  const { previous, next } = await writeItem(ctx, table, key, (current) => {
    checkCondition(condition, current, input.ReturnValuesOnConditionCheckFailure)
    const result = updatedItem(table, key, update, current)
    if (statementSized && update && result.item) checkStatementSize(update, result.item)
    updatedPaths = result.updatedPaths
    return result.item
  }, { meter, oversizeMessage: updateOversizeMessage })
  return writeReply(table, key, input, meter, returnedAttributes(input.ReturnValues, previous, next, updatedPaths))
}

/** Fixed costs of an UpdateItem statement, in bytes: one for the update, one per clause. */
const updateStatementBytes = 3
const writeClauseBytes = 19
const removeClauseBytes = 2

/**
 * DynamoDB quirk (22 of 33 regions, eu-west-2 and us-east-1 among them): besides the finished
 * item, standalone UpdateItem measures what its statement writes (the top-level attributes it
 * names, as they end up) plus 3 bytes, 19 per SET or ADD (20 for a SET through a list index)
 * and 2 per REMOVE or DELETE, against 400 KB. So the key and untouched attributes are not
 * charged, and at a short key the ceiling sits just under 400 KB (an AWS-validated suite's
 * "Item size limit by surface", 2026).
 */
function checkStatementSize(update: UpdatePlan, next: Item): void {
  let bytes = updateStatementBytes
  for (const action of update.actions) {
    if (action.kind === 'REMOVE' || action.kind === 'DELETE') bytes += removeClauseBytes
    // A SET through a list index (d[0]) costs one byte more than any other write.
    else bytes += writeClauseBytes + (action.kind === 'SET' && action.path.some((element) => typeof element === 'number') ? 1 : 0)
  }
  for (const name of new Set(topLevelAttributes(updatePlanPaths(update)))) {
    const value = next[name]
    if (value) bytes += itemSizeBytes({ [name]: value })
  }
  if (bytes > itemSizeBytesMax) throw new ValidationException(updateOversizeMessage)
}

/**
 * What an update (undefined: no update at all) leaves of `current`: the next item, or null when
 * a missing item stays missing, and the paths written for ReturnValues UPDATED_*.
 */
export function updatedItem(
  table: TableSchema, key: PrimaryKey, update: UpdatePlan | undefined, current: Item | undefined,
): { item: NextItem; updatedPaths: DocumentPath[] } {
  if (current === undefined && !createsMissingItem(update)) return { item: null, updatedPaths: [] }
  const base = current ?? { ...key.attributes }
  if (!update) return { item: base, updatedPaths: [] }
  const result = applyUpdate(update, base, { itemExists: current !== undefined })
  checkIndexKeys(table, result.item)
  checkWrittenNesting(update, result.item)
  return result
}

/**
 * A value that nests within limits on its own may still nest too deeply where the update puts
 * it. The write then fails with DynamoDB's short sentence (a transaction's cancellation reason,
 * as paritysuite/dynamodb-conformance records it).
 */
function checkWrittenNesting(update: UpdatePlan, next: Item): void {
  for (const name of new Set(topLevelAttributes(updatePlanPaths(update)))) {
    const value = next[name]
    if (value && attributeValueProblem(value) === nestingMessage) {
      throw new ValidationException('Nesting Levels have exceeded supported limits')
    }
  }
}

export function rejectKeyUpdates(table: TableSchema, update: UpdatePlan): void {
  for (const name of topLevelAttributes(updatePlanPaths(update))) {
    if (name === table.key.partitionKey || name === table.key.sortKey) {
      throw new ValidationException(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`)
    }
  }
}

function returnedAttributes(returnValues: string | undefined, previous: Item | undefined, next: Item | undefined, paths: DocumentPath[]): Item | undefined {
  switch (returnValues) {
    case 'ALL_OLD': return previous
    case 'ALL_NEW': return next
    case 'UPDATED_OLD': return previous && projectPaths(previous, paths)
    case 'UPDATED_NEW': return next && projectPaths(next, paths)
    default: return undefined
  }
}
