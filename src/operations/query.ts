import type { OperationHandler } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { conditionPaths, matchKeyCondition, topLevelAttributes, type Condition, type KeyMatch } from '../expressions/index.js'
import type { KeyNames, TableSchema } from '../tables/schema.js'
import { queryRange } from '../values/key.js'
import { typeOf } from '../values/types.js'
import { readPage } from './read-pages.js'
import { rejectNestedKeyPaths, requestExpressions } from './request-expressions.js'
import { checkIndexAttributes, readTarget } from './select.js'

/** Query: the items of one partition of a table or index, in sort key order. */
export const query: OperationHandler = async (ctx, input) => {
  const { keyCondition, filter, projection } = requestExpressions(input, 'QueryFilter')
  const table = ctx.catalog.require(input.TableName)
  rejectNestedKeyPaths(table, { filter, projection })
  const { index, select } = readTarget(table, input, projection)
  checkIndexAttributes(table, index, filter, projection, 'Query')
  if (!keyCondition) {
    throw new ValidationException('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.')
  }
  const keyNames = index ? index.key : table.key
  const match = matchKeyCondition(keyCondition, keyNames)
  checkKeyConditionTypes(table, keyNames, match)
  if (filter) rejectKeyAttributesInFilter(filter, keyNames, input.QueryFilter ? 'QueryFilter' : 'Filter Expression')
  const reverse = input.ScanIndexForward === false
  return readPage(ctx, {
    table, index, select, filter, projection,
    range: queryRange(match.partitionValue, match.sort, reverse),
    limit: input.Limit,
    consistent: input.ConsistentRead === true,
    exclusiveStartKey: input.ExclusiveStartKey,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
  })
}

/** A Query filters after reading a key range, so filtering on the key itself is rejected. */
function rejectKeyAttributesInFilter(filter: Condition, keyNames: KeyNames, parameter: string): void {
  for (const name of topLevelAttributes(conditionPaths(filter))) {
    if (name === keyNames.partitionKey || name === keyNames.sortKey) {
      throw new ValidationException(`${parameter} can only contain non-primary key attributes: Primary key attribute: ${name}`)
    }
  }
}

function checkKeyConditionTypes(table: TableSchema, keyNames: KeyNames, match: KeyMatch): void {
  const mismatch = 'One or more parameter values were invalid: Condition parameter type does not match schema type'
  if (typeOf(match.partitionValue) !== table.attributeTypes[keyNames.partitionKey]) throw new ValidationException(mismatch)
  if (!match.sort || !keyNames.sortKey) return
  const expected = table.attributeTypes[keyNames.sortKey]
  const values = match.sort.op === 'BETWEEN' ? [match.sort.low, match.sort.high] : [match.sort.value]
  for (const value of values) {
    if (typeOf(value) !== expected) throw new ValidationException(mismatch)
  }
  if (match.sort.op === 'BEGINS_WITH' && expected === 'N') {
    throw new ValidationException('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N')
  }
}
