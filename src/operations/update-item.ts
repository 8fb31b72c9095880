import type { OperationHandler, RequestContext } from '../api/context.js'
import type { UpdateItemInput } from '../shapes/update-item.js'
import { ValidationException } from '../errors.js'
import {
  applyUpdate, createsMissingItem, projectPaths, topLevelAttributes, updatePlanPaths, type DocumentPath, type Operand,
  type UpdatePlan,
} from '../expressions/index.js'
import type { TableSchema } from '../tables/schema.js'
import { attributeValueProblem, nestingMessage, normalizeItem } from '../values/attribute-value.js'
import { parseNumber } from '../values/number.js'
import { attributeValueSizeBytes, itemSizeBytes, itemSizeBytesMax } from '../values/size.js'
import type { AttributeValue, Item } from '../values/types.js'
import { writeReply } from '../items/item-collection.js'
import { checkIndexKeys, keyFromKeyParameter, type PrimaryKey } from '../items/keys.js'
import { checkCondition, rejectNestedKeyPaths, writeRequestExpressions } from '../items/request-expressions.js'
import { writeItem, type NextItem } from '../items/write-item.js'

export const updateOversizeMessage = 'Item size to update has exceeded the maximum allowed size'

/**
 * UpdateItem: edit attributes of one item, creating it (with just its key and the updates)
 * when it does not exist, unless the update only removes attributes.
 */
export const updateItem: OperationHandler<UpdateItemInput> = (ctx, input) => runUpdateItem(ctx, input, true)

/** PartiQL's UPDATE: an UpdateItem that measures only the finished item against 400 KB. */
export const partiqlUpdateItem: OperationHandler<UpdateItemInput> = (ctx, input) => runUpdateItem(ctx, input, false)

async function runUpdateItem(ctx: RequestContext, input: UpdateItemInput, statementSized: boolean): Promise<object> {
  const { condition, update } = writeRequestExpressions(input)
  const table = ctx.catalog.require(input.TableName)
  const key = keyFromKeyParameter(table, normalizeItem(input.Key))
  if (update) rejectKeyUpdates(table, update)
  rejectNestedKeyPaths(table, { condition, update })
  let updatedPaths: DocumentPath[] = []
  const { previous, next, consumed } = await writeItem(ctx, table, key, (current) => {
    // The statement's charge is checked before the condition: an over-limit one is refused even
    // when the condition fails (the same suite's "checks the charge before the condition").
    if (statementSized && update) checkStatementSize(update, current)
    checkCondition(condition, current, input.ReturnValuesOnConditionCheckFailure)
    const result = updatedItem(table, key, update, current)
    updatedPaths = result.updatedPaths
    return result.item
  }, { oversizeMessage: updateOversizeMessage })
  return writeReply(table, key, input, consumed, returnedAttributes(input.ReturnValues, previous, next, updatedPaths))
}

/**
 * DynamoDB quirk (22 of 33 regions, eu-west-2 and us-east-1 among them): besides the finished
 * item, standalone UpdateItem measures its statement against 400 KB. The charge is 3 bytes, plus
 * per clause: a SET or ADD 19 plus its target plus what it writes from the request, a REMOVE or
 * DELETE 1 plus its target. A target costs its first name plus 4 and the element for each later
 * element; a path operand 1 plus 14 and the element per element (not the value it reads); a
 * :value its size at every use; `+` 34, `-` 37, list_append 37 and if_not_exists 39 plus their
 * operands; an ADD to a set only the members it adds. So the key and untouched attributes are
 * not charged, and at a short key the ceiling sits just under 400 KB. AttributeUpdates is sized
 * by the finished item alone. (An AWS-validated suite's "Item size limit by surface", measured
 * in eu-west-2, 2026-08 to 2026-10.)
 */
function checkStatementSize(update: UpdatePlan, current: Item | undefined): void {
  if (update.legacy) return
  let bytes = 3
  for (const action of update.actions) {
    if (action.kind === 'REMOVE' || action.kind === 'DELETE') bytes += 1 + targetBytes(action.path)
    else if (action.kind === 'SET') bytes += 19 + targetBytes(action.path) + operandBytes(action.value)
    else bytes += 19 + targetBytes(action.path) + addedBytes(action.value, valueAt(current, action.path))
  }
  if (bytes > itemSizeBytesMax) throw new ValidationException(updateOversizeMessage)
}

function elementBytes(element: string | number): number {
  return typeof element === 'number' ? String(element).length : Buffer.byteLength(element, 'utf8')
}

function targetBytes(path: DocumentPath): number {
  return path.reduce<number>((total, element, index) => total + (index === 0 ? 0 : 4) + elementBytes(element), 0)
}

function pathOperandBytes(path: DocumentPath): number {
  return path.reduce<number>((total, element) => total + 14 + elementBytes(element), 1)
}

function operandBytes(operand: Operand): number {
  switch (operand.kind) {
    case 'path': return pathOperandBytes(operand.path)
    case 'value': return attributeValueSizeBytes(operand.value)
    case 'if_not_exists': return 39 + pathOperandBytes(operand.path) + operandBytes(operand.fallback)
    case 'list_append': return 37 + operandBytes(operand.left) + operandBytes(operand.right)
    case 'arithmetic': return (operand.operator === '+' ? 34 : 37) + operandBytes(operand.left) + operandBytes(operand.right)
    case 'size': return operandBytes(operand.operand)
  }
}

/** ADD to a set is charged for the members the set did not have; ADD of a number for the number. */
function addedBytes(value: AttributeValue, existing: AttributeValue | undefined): number {
  if ('SS' in value) return sumSizes(value.SS.filter((member) => !(existing && 'SS' in existing && existing.SS.includes(member))), (member) => ({ S: member }))
  if ('BS' in value) return sumSizes(value.BS.filter((member) => !(existing && 'BS' in existing && existing.BS.includes(member))), (member) => ({ B: member }))
  if ('NS' in value) {
    const had = new Set(existing && 'NS' in existing ? existing.NS.map(parseNumber) : [])
    return sumSizes(value.NS.filter((member) => !had.has(parseNumber(member))), (member) => ({ N: member }))
  }
  return attributeValueSizeBytes(value)
}

function sumSizes(members: string[], asValue: (member: string) => AttributeValue): number {
  return members.reduce((total, member) => total + attributeValueSizeBytes(asValue(member)), 0)
}

function valueAt(item: Item | undefined, path: DocumentPath): AttributeValue | undefined {
  let value: AttributeValue | undefined = item && typeof path[0] === 'string' ? item[path[0]] : undefined
  for (const element of path.slice(1)) {
    if (value === undefined) return undefined
    if (typeof element === 'number') value = 'L' in value ? value.L[element] : undefined
    else value = 'M' in value ? value.M[element] : undefined
  }
  return value
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
  // What the update wrote from the request (SET a = :v, an AttributeUpdates PUT or ADD) is kept
  // as PutItem keeps an item: numbers canonical and set members in DynamoDB's order, at any depth.
  const item = normalizeItem(result.item)
  checkIndexKeys(table, item, update.legacy ? 'item' : 'updateExpression')
  checkWrittenNesting(update, item)
  return { item, updatedPaths: result.updatedPaths }
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
