/** BatchWriteItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html */
import type { Item } from '../values/types.js'
import { attributeMapProblem, itemSizeProblem } from '../validate/attribute-checks.js'
import {
  attributeMap, emptyRequestItemsMessage, returnConsumedCapacity, returnItemCollectionMetrics, tableNameKeys,
  type ConsumedCapacityOptions,
} from './common.js'
import { membersFirst } from '../validate/first-checks.js'
import { list, map, operation, structure } from './shape.js'

/** One BatchWriteItem call makes at most 25 requests, across all its tables. */
export const batchWriteRequestsMax = 25

export interface WriteRequest {
  PutRequest?: { Item: Item }
  DeleteRequest?: { Key: Item }
}

export interface BatchWriteItemInput extends ConsumedCapacityOptions {
  RequestItems: { [tableName: string]: WriteRequest[] }
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE'
}

const writeRequest = structure('WriteRequest', {
  DeleteRequest: structure('DeleteRequest', { Key: attributeMap({ notNull: true }) }),
  PutRequest: structure('PutRequest', { Item: attributeMap({ notNull: true }) }),
})

export const batchWriteItemShape = operation<BatchWriteItemInput>({
  firstCheck: membersFirst('ReturnConsumedCapacity', 'ReturnItemCollectionMetrics'),
  input: structure('BatchWriteItemInput', {
    ReturnConsumedCapacity: returnConsumedCapacity(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
    // An empty RequestItems gets its own message, from requestItemsProblem.
    RequestItems: map(list(writeRequest), {
      notNull: true,
      echoAsFields: true,
      keyConstraints: tableNameKeys,
      valueConstraints: {
        rules: [{ kind: 'lengthMax', limit: batchWriteRequestsMax }, { kind: 'lengthMin', limit: 1 }],
      },
    }),
  }),
  check: requestItemsProblem,
})

// DynamoDB quirk: a WriteRequest is a union, and an empty (or doubly filled) one gets the
// message meant for AttributeValues.
const unionMessage =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'

function requestItemsProblem(input: BatchWriteItemInput): string | undefined {
  if (Object.keys(input.RequestItems).length === 0) return emptyRequestItemsMessage
  // The constraint above caps each table's list; this caps the call (13 + 13 requests fail too).
  let requestCount = 0
  for (const table in input.RequestItems) {
    const requests = input.RequestItems[table]!
    if (requests.some((request) => (request.PutRequest === undefined) === (request.DeleteRequest === undefined))) {
      return unionMessage
    }
    for (const request of requests) {
      const problem = request.PutRequest !== undefined
        ? attributeMapProblem(request.PutRequest.Item) ?? itemSizeProblem(request.PutRequest.Item)
        : attributeMapProblem(request.DeleteRequest!.Key)
      if (problem !== undefined) return problem
      if (++requestCount > batchWriteRequestsMax) return 'Too many items requested for the BatchWriteItem call'
    }
  }
  return undefined
}
