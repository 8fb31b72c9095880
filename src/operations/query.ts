import type { OperationHandler } from '../api/context.js'
import type { QueryInput } from '../shapes/query.js'
import { ValidationException } from '../errors.js'
import {
  conditionPaths, matchKeyCondition, topLevelAttributes, type Condition, type KeyAttributeNames, type KeyMatch,
} from '../expressions/index.js'
import { asIndexKeyNames, type TableSchema } from '../tables/schema.js'
import { partitionPrefix, queryRange } from '../values/key.js'
import { typeOf, type AttributeValue } from '../values/types.js'
import { isEmptyScalar } from '../tables/index-key-values.js'
import { readPage } from '../items/read-pages.js'
import { rejectNestedKeyPaths, requestExpressions } from '../items/request-expressions.js'
import { checkIndexAttributes, readTarget } from '../items/select.js'
import { emptyKeyValueMessage } from '../items/keys.js'

/** Query: the items of one partition of a table or index, in sort key order. */
export const query: OperationHandler<QueryInput> = async (ctx, input) => {
  const { keyCondition, filter, projection } = requestExpressions(input, 'QueryFilter')
  const table = ctx.catalog.require(input.TableName)
  rejectNestedKeyPaths(table, { filter, projection })
  const { index, select } = readTarget(table, input, projection)
  checkIndexAttributes(table, index, filter, projection, 'Query')
  if (!keyCondition) {
    throw new ValidationException('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.')
  }
  const keyNames = index ? index.key : asIndexKeyNames(table.key)
  const match = matchKeyCondition(keyCondition, keyNames)
  checkKeyConditionTypes(table, keyNames, match)
  if (filter) rejectKeyAttributesInFilter(filter, keyNames, input.QueryFilter ? 'QueryFilter' : 'Filter Expression')
  const reverse = input.ScanIndexForward === false
  return readPage(ctx, {
    table, index, select, filter, projection,
    range: queryRange(match.partitionValues, match.sort, reverse),
    queryPartitionPrefix: partitionPrefix(match.partitionValues),
    limit: input.Limit,
    consistent: input.ConsistentRead === true,
    exclusiveStartKey: input.ExclusiveStartKey,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
  })
}

/** A Query filters after reading a key range, so filtering on the key itself is rejected. */
function rejectKeyAttributesInFilter(filter: Condition, keyNames: KeyAttributeNames, parameter: string): void {
  const keyAttributes = new Set([...keyNames.partitionKeys, ...keyNames.sortKeys])
  for (const name of topLevelAttributes(conditionPaths(filter))) {
    if (keyAttributes.has(name)) {
      throw new ValidationException(`${parameter} can only contain non-primary key attributes: Primary key attribute: ${name}`)
    }
  }
}

/**
 * Each value must have its key attribute's type, and not be an empty string or binary, as in a
 * Key (moto issue 7062 quotes DynamoDB's answer to an empty partition key value; ministack's
 * checks against DynamoDB reject empty key operands in a Query); begins_with needs an S or B
 * attribute.
 */
function checkKeyConditionTypes(table: TableSchema, keyNames: KeyAttributeNames, match: KeyMatch): void {
  const mismatch = 'One or more parameter values were invalid: Condition parameter type does not match schema type'
  const check = (value: AttributeValue, name: string) => {
    const expected = table.attributeTypes[name]!
    if (typeOf(value) !== expected) throw new ValidationException(mismatch)
    if (isEmptyScalar(value)) throw new ValidationException(emptyKeyValueMessage(expected, name))
  }
  match.partitionValues.forEach((value, position) => check(value, keyNames.partitionKeys[position]!))
  match.sort.forEach((condition, position) => {
    const name = keyNames.sortKeys[position]!
    const expected = table.attributeTypes[name]
    for (const value of condition.op === 'BETWEEN' ? [condition.low, condition.high] : [condition.value]) check(value, name)
    if (condition.op === 'BEGINS_WITH' && expected === 'N') {
      throw new ValidationException('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N')
    }
  })
}
