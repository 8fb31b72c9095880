/**
 * Shapes and input types shared by many operations: table and index names, the AttributeValue
 * structure, legacy conditions, expression members and the Return* enums.
 */
import { newerViolation, violationsMessage } from '../validate/violations.js'
import type { AttributeValue, Item } from '../values/types.js'
import {
  boolean, blob, list, map, pattern, string, structure,
  type Constraints, type MapEntryConstraints, type Shape, type StructureShape,
} from './shape.js'

export const tableNamePattern = pattern('[a-zA-Z0-9_.-]+')

/**
 * A data-plane TableName may name a table or, in DynamoDB, its ARN, so its declared minimum length
 * is 1 and an empty name fails on length alone; other names keep the pattern and 3 to 255
 * characters.
 * An AWS-validated suite (paritysuite/dynamodb-conformance, PutItem and UpdateItem error messages
 * and validation ordering, eu-west-2 and us-east-1, 2026-10-09) records '' as only "Member must
 * have length greater than or equal to 1".
 */
const dataPlaneTableNamePattern = { source: tableNamePattern.source, anchored: /^[a-zA-Z0-9_.-]*$/ }

export const tableName = (constraints: Constraints = { notNull: true }): Shape =>
  string({ ...constraints, pattern: dataPlaneTableNamePattern, lengthMin: 1, nonEmptyLengthMin: 3, lengthMax: 255, tableArnAllowed: true })

export const indexName = (constraints: Constraints = {}): Shape =>
  string({ ...constraints, pattern: tableNamePattern, lengthMin: 3, lengthMax: 255 })

/** Batch operations key their requests by table name; DynamoDB lists these rules in this order. */
export const tableNameKeys: MapEntryConstraints = {
  tableArnKeysAllowed: true,
  rules: [
    { kind: 'lengthMax', limit: 255 },
    { kind: 'lengthMin', limit: 3 },
    { kind: 'pattern', pattern: tableNamePattern },
  ],
}

export const returnConsumedCapacity = (): Shape => string({ enum: ['INDEXES', 'TOTAL', 'NONE'] })
export const returnItemCollectionMetrics = (): Shape => string({ enum: ['SIZE', 'NONE'] })
export const returnValues = (): Shape =>
  string({ enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] })
/** ReturnValues' enum as DynamoDB's newer validation lists it: in another order, UPDATE_NEW (sic). */
export const returnValuesNewerEnum = ['ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATE_NEW', 'NONE'] as const
export const returnValuesOnConditionCheckFailure = (): Shape => string({ enum: ['ALL_OLD', 'NONE'] })
export const conditionalOperator = (): Shape => string({ enum: ['OR', 'AND'] })
export const select = (): Shape =>
  string({ enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] })

export const comparisonOperators = [
  'IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS',
] as const

/**
 * AttributeValue is recursive (M and L hold AttributeValues), so the structure is created first
 * and its members filled in afterwards. Well-formedness (exactly one type, valid numbers, ...)
 * is a custom check, not part of the shape.
 */
export const attributeValue: StructureShape = structure('AttributeValue', {})
Object.assign(attributeValue.members, {
  S: string(),
  N: string(),
  B: blob(),
  SS: list(string()),
  NS: list(string()),
  BS: list(blob()),
  M: map(attributeValue),
  L: list(attributeValue),
  NULL: boolean(),
  BOOL: boolean(),
})

/** An Item or a Key: attribute name to AttributeValue. */
export const attributeMap = (constraints: Constraints = {}): Shape => map(attributeValue, constraints)

export const attributesToGet = (): Shape => list(string(), { lengthMin: 1, lengthMax: 255 })
export const expressionAttributeNames = (): Shape => map(string())
export const expressionAttributeValues = (): Shape => map(attributeValue)

export const expectedAttributeValue = structure('ExpectedAttributeValue', {
  AttributeValueList: list(attributeValue),
  ComparisonOperator: string({ enum: comparisonOperators }),
  Exists: boolean(),
  Value: attributeValue,
})

/** Legacy KeyConditions, QueryFilter and ScanFilter entries. */
export const condition = structure('Condition', {
  AttributeValueList: list(attributeValue),
  ComparisonOperator: string({ notNull: true, enum: comparisonOperators }),
})

// Input types as operations see them once validateRequest has passed.

export interface ExpectedCondition {
  AttributeValueList?: AttributeValue[]
  ComparisonOperator?: string
  Exists?: boolean
  Value?: AttributeValue
}

export interface LegacyCondition {
  AttributeValueList?: AttributeValue[]
  ComparisonOperator: string
}

export interface ExpressionMembers {
  ExpressionAttributeNames?: { [placeholder: string]: string }
  ExpressionAttributeValues?: Item
}

export interface ConsumedCapacityOptions {
  ReturnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE'
}

export type ReturnValues = 'ALL_NEW' | 'UPDATED_OLD' | 'ALL_OLD' | 'NONE' | 'UPDATED_NEW'

/**
 * An empty RequestItems, in BatchGetItem and BatchWriteItem, in the wording of DynamoDB's newer
 * validation (an AWS-validated suite's sweeps of 2026: every region but one for BatchGetItem;
 * BatchWriteItem's regions still alternate with 'The requestItems parameter is required').
 */
export const emptyRequestItemsMessage =
  violationsMessage([newerViolation('RequestItems', 'Member must have length greater than or equal to 1')])

/**
 * A number below its member's minimum, in the newer validation's words: the member named with a
 * capital letter and the value not echoed ("1 validation error detected: Value at 'Limit' ...").
 * DynamoDB words Query's Limit so, and Scan's Limit and Segment since its September 2026 rollout
 * reached eu-west-2 (the AWS-validated dynamodb-conformance suite pins both); other members keep
 * the older echoed form.
 */
export function newerMinimumProblem(member: string, value: number | undefined, minimum: number): string | undefined {
  if (value === undefined || value >= minimum) return undefined
  return violationsMessage([newerViolation(member, `Member must have value greater than or equal to ${minimum}`)])
}
