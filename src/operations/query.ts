import type { OperationHandler } from '../api/context.js'
import type { QueryInput } from '../shapes/query.js'
import { ValidationException } from '../errors.js'
import { matchKeyCondition } from '../expressions/index.js'
import { asIndexKeyNames } from '../tables/schema.js'
import { partitionPrefix, queryRange } from '../values/key.js'
import { readPage } from '../items/read-pages.js'
import { checkKeyConditionTypes, rejectKeyAttributesInFilter } from '../items/key-condition-checks.js'
import { rejectNestedKeyPaths, requestExpressions } from '../items/request-expressions.js'
import { checkIndexAttributes, readTarget } from '../items/select.js'

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
