/** TransactWriteItems: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html */
import type { Item } from '../values/types.js'
import { expressionValueProblem, nestingMessage } from '../values/attribute-value.js'
import {
  attributeMapProblem, expressionAttributesProblem, expressionStyleProblem, itemSizeProblem,
} from '../validate/attribute-checks.js'
import { transactionExpressionsProblem } from '../validate/transaction-expressions.js'
import {
  attributeMap, expressionAttributeNames, expressionAttributeValues, returnConsumedCapacity,
  returnItemCollectionMetrics, returnValuesOnConditionCheckFailure, tableName,
  type ConsumedCapacityOptions, type ExpressionMembers,
} from './common.js'
import { list, operation, string, structure, type Shape } from './shape.js'
import { transactionActionsMax } from './transact-get-items.js'

interface ConditionalAction extends ExpressionMembers {
  TableName: string
  ConditionExpression?: string
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

export interface TransactWriteItem {
  Put?: ConditionalAction & { Item: Item }
  Update?: ConditionalAction & { Key: Item; UpdateExpression: string }
  Delete?: ConditionalAction & { Key: Item }
  ConditionCheck?: ConditionalAction & { Key: Item; ConditionExpression: string }
}

export interface TransactWriteItemsInput extends ConsumedCapacityOptions {
  TransactItems: TransactWriteItem[]
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE'
  ClientRequestToken?: string
}

/** The members every transactional write action shares, plus its own. */
function action(name: string, own: { [member: string]: Shape }) {
  return structure(name, {
    TableName: tableName(),
    ExpressionAttributeValues: expressionAttributeValues(),
    ExpressionAttributeNames: expressionAttributeNames(),
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
    ...own,
  })
}

const transactWriteItem = structure('TransactWriteItem', {
  Put: action('Put', { ConditionExpression: string(), Item: attributeMap({ notNull: true }) }),
  Update: action('Update', {
    ConditionExpression: string(), Key: attributeMap({ notNull: true }), UpdateExpression: string({ notNull: true }),
  }),
  Delete: action('Delete', { ConditionExpression: string(), Key: attributeMap({ notNull: true }) }),
  ConditionCheck: action('ConditionCheck', {
    ConditionExpression: string({ notNull: true }), Key: attributeMap({ notNull: true }),
  }),
})

export const transactWriteItemsShape = operation<TransactWriteItemsInput>({
  input: structure('TransactWriteItemsInput', {
    // First: DynamoDB lists a token's violation before ReturnConsumedCapacity's (an AWS-validated
    // suite's transactions validation-ordering case).
    ClientRequestToken: string({ lengthMin: 1, lengthMax: 36 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
    TransactItems: list(transactWriteItem, { notNull: true, lengthMin: 1, lengthMax: transactionActionsMax }),
  }),
  check: (input) => {
    for (const item of input.TransactItems) {
      const problem = transactWriteItemProblem(item)
      if (problem !== undefined) return problem
    }
    return undefined
  },
})

function transactWriteItemProblem(item: TransactWriteItem): string | undefined {
  const actionCount = [item.Put, item.Update, item.Delete, item.ConditionCheck]
    .filter((action) => action !== undefined).length
  // One of the two answers an AWS-validated suite accepts (regions differ; the other is the newer
  // validation's "Value '' at 'transactItems' failed to satisfy constraint: …").
  if (actionCount === 0) return 'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request'
  if (actionCount > 1) return 'TransactItems can only contain one of Check, Put, Update or Delete'
  if (item.Put) {
    return attributeMapProblem(item.Put.Item) ?? itemSizeProblem(item.Put.Item) ?? expressionAttributesProblem(item.Put, expressionValueProblem) ??
      transactionExpressionsProblem(item.Put)
  }
  if (item.Delete) {
    const del = item.Delete
    return keyThenExpressions(del.Key, () =>
      expressionAttributesProblem(del, expressionValueProblem) ?? transactionExpressionsProblem(del))
  }
  if (item.Update) {
    const update = item.Update
    return keyThenExpressions(update.Key, () =>
      expressionStyleProblem(update, ['UpdateExpression', 'ConditionExpression'], []) ??
      expressionAttributesProblem(update, expressionValueProblem) ?? transactionExpressionsProblem(update))
  }
  const check = item.ConditionCheck!
  return keyThenExpressions(check.Key, () =>
    expressionStyleProblem(check, ['ConditionExpression'], []) ??
    expressionAttributesProblem(check, expressionValueProblem) ?? transactionExpressionsProblem(check))
}

/**
 * An action's Key problems come before its expressions' problems, except a key nested too deep:
 * that one comes after them (an AWS-validated suite's deep-request cases: a Delete whose key nests
 * 100 levels reports its condition's syntax error, or its oversized condition, first). Either way
 * it still comes before any later action's problem.
 */
function keyThenExpressions(key: Item, expressionsProblem: () => string | undefined): string | undefined {
  const keyProblem = attributeMapProblem(key)
  return keyProblem === nestingMessage ? expressionsProblem() ?? keyProblem : keyProblem ?? expressionsProblem()
}
