/**
 * Keyword arguments: the (indefinite) map from parameter id to value that ends most DAX
 * requests. Absent means the DynamoDB default. ExpressionAttributeNames/Values are never
 * sent: names are substituted and values embedded in each pre-parsed expression.
 */
import { WireFormatError } from './attribute-values.js'
import type { CborValue } from './cbor.js'
import { expressionText, projectionPaths, topLevelProjection, type DocumentPath, type ExpressionPlaceholders } from './expressions.js'

export const enum Parameter {
  ProjectionExpression = 0,
  ConsistentRead = 2,
  ReturnConsumedCapacity = 3,
  ConditionExpression = 4,
  ReturnItemCollectionMetrics = 6,
  ReturnValues = 7,
  UpdateExpression = 8,
  ExclusiveStartKey = 9,
  FilterExpression = 10,
  IndexName = 11,
  Limit = 13,
  ScanIndexForward = 14,
  Select = 15,
  Segment = 16,
  TotalSegments = 17,
  ClientRequestToken = 19,
}

const returnConsumedCapacityNames = ['NONE', 'TOTAL', 'INDEXES']
const returnItemCollectionMetricsNames = ['NONE', 'SIZE']
const returnValuesNames = [undefined, 'NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']
const selectNames = [undefined, 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'COUNT', 'SPECIFIC_ATTRIBUTES']

export type Kwargs = Map<number, CborValue>

export function kwargsFrom(value: CborValue): Kwargs {
  if (value === null || value === undefined) return new Map()
  if (!(value instanceof Map)) throw new WireFormatError('keyword arguments must be a map')
  return value as Kwargs
}

/** What a response encoder needs to know about the request beyond its DynamoDB shape. */
export interface RequestShape {
  /** The projection's paths in the client's order, when the request had one. */
  projection?: DocumentPath[]
  returnValues?: string
}

/**
 * Copies the scalar and expression parameters into a DynamoDB request. A projection is sent
 * upstream as its top-level attributes only: DynamoDB compacts projected list elements, while
 * the client wants each path's own value, which we then pick out of the fuller item.
 */
export function applyKwargs(kwargs: Kwargs, request: Record<string, unknown>, placeholders: ExpressionPlaceholders): RequestShape {
  const shape: RequestShape = {}
  for (const [parameter, value] of kwargs) {
    switch (parameter) {
      case Parameter.ProjectionExpression:
        shape.projection = projectionPaths(bytesOf(value))
        request.ProjectionExpression = topLevelProjection(shape.projection, placeholders)
        break
      case Parameter.ConsistentRead: request.ConsistentRead = value === true || value === 1; break
      case Parameter.ReturnConsumedCapacity: request.ReturnConsumedCapacity = enumName(returnConsumedCapacityNames, value); break
      case Parameter.ConditionExpression: request.ConditionExpression = expressionText(bytesOf(value), 'condition', placeholders); break
      case Parameter.ReturnItemCollectionMetrics: request.ReturnItemCollectionMetrics = enumName(returnItemCollectionMetricsNames, value); break
      case Parameter.ReturnValues: request.ReturnValues = shape.returnValues = enumName(returnValuesNames, value); break
      case Parameter.UpdateExpression: request.UpdateExpression = expressionText(bytesOf(value), 'update', placeholders); break
      case Parameter.FilterExpression: request.FilterExpression = expressionText(bytesOf(value), 'filter', placeholders); break
      case Parameter.IndexName: request.IndexName = bytesOf(value).toString('utf8'); break
      case Parameter.Limit: request.Limit = integerOf(value); break
      case Parameter.ScanIndexForward: request.ScanIndexForward = value === true || value === 1; break
      case Parameter.Select: request.Select = enumName(selectNames, value); break
      case Parameter.Segment: request.Segment = integerOf(value); break
      case Parameter.TotalSegments: request.TotalSegments = integerOf(value); break
      case Parameter.ClientRequestToken: request.ClientRequestToken = textOf(value); break
      case Parameter.ExclusiveStartKey: break // decoded by the caller, which knows the key schema
      default: throw new WireFormatError(`unknown request parameter ${parameter}`)
    }
  }
  return shape
}

export function bytesOf(value: CborValue): Buffer {
  if (Buffer.isBuffer(value)) return value
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  throw new WireFormatError('expected a byte string')
}

export function textOf(value: CborValue): string {
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  throw new WireFormatError('expected a text string')
}

export function integerOf(value: CborValue): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value
  throw new WireFormatError('expected an integer')
}

function enumName(names: (string | undefined)[], value: CborValue): string {
  const name = typeof value === 'number' ? names[value] : undefined
  if (name === undefined) throw new WireFormatError(`unknown enumeration value ${String(value)}`)
  return name
}
