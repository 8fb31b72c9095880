/**
 * Expressions of one request, whichever form the client used: the expression parameters
 * (ConditionExpression, ...) or their legacy counterparts (Expected, AttributesToGet, ...).
 * The request validator has already rejected requests that mix the two forms.
 */
import { ConditionalCheckFailedException } from '../errors.js'
import { inEnvelope } from '../validate/index.js'
import { transactionExpressionParameters } from '../validate/transaction-expressions.js'
import type { Item } from '../values/types.js'
import { ValidationException } from '../errors.js'
import { indexKeyAttributeNames, type TableSchema } from '../tables/schema.js'
import type { Decide, NextItem, Replace } from './write-item.js'
import {
  compileExpressions, conditionPaths, evaluateCondition, conditionFromExpected, updatePlanAllPaths, conditionFromFilter, keyConditionFromKeyConditions,
  projectionFromAttributesToGet, updateFromAttributeUpdates,
  type CompiledExpressions, type Condition, type KeyCondition, type Projection, type UpdatePlan,
} from '../expressions/index.js'

export interface RequestExpressions {
  condition?: Condition
  filter?: Condition
  keyCondition?: KeyCondition
  projection?: Projection
  update?: UpdatePlan
}

const none: CompiledExpressions = {}

/** Compiles whatever expression parameters the request carries; cheap when it carries none. */
export function requestExpressions(input: Record<string, any>, filterParameter?: 'QueryFilter' | 'ScanFilter'): RequestExpressions {
  const compiled = hasExpressionParameters(input) ? compileExpressions(input) : none
  return {
    condition: compiled.condition ?? (input.Expected ? conditionFromExpected(input.Expected, input.ConditionalOperator) : undefined),
    filter: compiled.filter ?? (filterParameter && input[filterParameter]
      ? conditionFromFilter(input[filterParameter], input.ConditionalOperator, filterParameter)
      : undefined),
    keyCondition: compiled.keyCondition ?? (input.KeyConditions ? keyConditionFromKeyConditions(input.KeyConditions) : undefined),
    projection: compiled.projection ?? (input.AttributesToGet ? projectionFromAttributesToGet(input.AttributesToGet) : undefined),
    update: compiled.update ?? (input.AttributeUpdates ? updateFromAttributeUpdates(input.AttributeUpdates) : undefined),
  }
}

/**
 * PutItem, UpdateItem and DeleteItem report a problem in their expressions inside the "1
 * validation error detected: " envelope (an AWS-validated suite, eu-west-2 and us-east-1,
 * 2026-10-09); transactions and reads report it bare.
 */
export function writeRequestExpressions(input: Record<string, any>): RequestExpressions {
  try {
    return requestExpressions(input)
  } catch (error) {
    if (error instanceof ValidationException) throw new ValidationException(inEnvelope(error.message))
    throw error
  }
}

/** A transaction action's expressions (see transactionExpressionParameters). */
export function transactionActionExpressions(action: Record<string, any>): RequestExpressions {
  return requestExpressions(transactionExpressionParameters(action))
}

function hasExpressionParameters(input: Record<string, any>): boolean {
  return input.ConditionExpression !== undefined || input.FilterExpression !== undefined ||
    input.KeyConditionExpression !== undefined || input.ProjectionExpression !== undefined ||
    input.UpdateExpression !== undefined || input.ExpressionAttributeNames !== undefined ||
    input.ExpressionAttributeValues !== undefined
}

/**
 * Key attributes are scalars, so a path into one (`pk.x`, `indexKey[0]`) in any expression of
 * the request is rejected once the table is known, naming a table key as `Key` and an index key
 * as `IndexKey` (dynalite's and Alternator's tests against DynamoDB).
 */
export function rejectNestedKeyPaths(table: TableSchema, expressions: RequestExpressions): void {
  for (const path of expressionPaths(expressions)) {
    const head = path[0]
    if (path.length < 2 || typeof head !== 'string') continue
    const role = head === table.key.partitionKey || head === table.key.sortKey ? 'Key'
      : table.indexes.some((index) => indexKeyAttributeNames(index).includes(head)) ? 'IndexKey' : undefined
    if (role) {
      throw new ValidationException("Key attributes must be scalars; list random access '[]' and map lookup '.' " +
        `are not allowed: ${role}: ${head}`)
    }
  }
}

/** Every attribute path the request's expressions name; none (and nothing built) for a plain read or write. */
function expressionPaths(expressions: RequestExpressions): readonly ExpressionPath[] {
  const { update, condition, filter, projection } = expressions
  if (!update && !condition && !filter && !projection) return noPaths
  const paths: ExpressionPath[] = update ? updatePlanAllPaths(update) : []
  if (condition) conditionPaths(condition, paths)
  if (filter) conditionPaths(filter, paths)
  if (projection) paths.push(...projection.paths)
  return paths
}

type ExpressionPath = ReturnType<typeof conditionPaths>[number]
const noPaths: readonly ExpressionPath[] = []

/**
 * Throws ConditionalCheckFailedException when the condition is false for the current item,
 * carrying the item when the client asked for it (ReturnValuesOnConditionCheckFailure ALL_OLD).
 */
export function checkCondition(condition: Condition | undefined, current: Item | undefined, returnOnFailure: string | undefined): void {
  if (condition && !evaluateCondition(condition, current)) {
    throw new ConditionalCheckFailedException(returnOnFailure === 'ALL_OLD' ? current : undefined)
  }
}

/**
 * A PutItem's or DeleteItem's decision: `next` once the condition holds. Without a condition it
 * is a Replace, so the write need not parse the item it replaces.
 */
export function writeUnderCondition(condition: Condition | undefined, next: NextItem, returnOnFailure: string | undefined): Decide | Replace {
  if (condition === undefined) return { replaceWith: next }
  return (current) => {
    checkCondition(condition, current, returnOnFailure)
    return next
  }
}
