/**
 * Shapes the control plane shares: key schemas, attribute definitions, projections,
 * throughput, streams, encryption and tags.
 */
import { boolean, list, long, string, structure, type Constraints, type Shape } from './shape.js'
import { tableNamePattern } from './common.js'

/** CreateTable and friends check TableName's presence and length first, then only its pattern. */
export const controlPlaneTableName = (): Shape => string({ pattern: tableNamePattern, tableArnAllowed: true })

/**
 * Key and projected attribute names have 1 to 255 characters: the API model's
 * KeySchemaAttributeName and NonKeyAttributeName (Alternator's test_limit_attribute_length_key_bad
 * and _gsi_lsi_bad, run against DynamoDB, see the length reported before any other problem).
 */
const keyAttributeName = (): Shape => string({ notNull: true, lengthMin: 1, lengthMax: 255 })

export const attributeDefinitions = (constraints: Constraints = {}): Shape => list(structure('AttributeDefinition', {
  AttributeName: keyAttributeName(),
  AttributeType: string({ notNull: true, enum: ['B', 'N', 'S'] }),
}), constraints)

/**
 * A table's or local index's KeySchema has at most two elements; a GSI's up to eight
 * (multi-attribute keys: four HASH and four RANGE). The eight is unconfirmed wording-wise.
 */
export const keySchema = (lengthMax = 2): Shape => list(structure('KeySchemaElement', {
  AttributeName: keyAttributeName(),
  KeyType: string({ notNull: true, enum: ['HASH', 'RANGE'] }),
}), { notNull: true, lengthMin: 1, lengthMax, echoAsFields: true })

export const projection = (): Shape => structure('Projection', {
  ProjectionType: string({ enum: ['ALL', 'INCLUDE', 'KEYS_ONLY'] }),
  // At most 20 per index (an API-quirks lab finding verified against DynamoDB, 2026, DDB-TABLE-126).
  NonKeyAttributes: list(string({ lengthMin: 1, lengthMax: 255 }), { lengthMin: 1, lengthMax: 20 }),
}, { notNull: true })

export const provisionedThroughput = (constraints: Constraints = {}): Shape => structure('ProvisionedThroughput', {
  WriteCapacityUnits: long({ notNull: true, valueMin: 1 }),
  ReadCapacityUnits: long({ notNull: true, valueMin: 1 }),
}, constraints)

export const onDemandThroughput = (): Shape => structure('OnDemandThroughput', {
  MaxReadRequestUnits: long(),
  MaxWriteRequestUnits: long(),
})

export const warmThroughput = (): Shape => structure('WarmThroughput', {
  ReadUnitsPerSecond: long(),
  WriteUnitsPerSecond: long(),
})

export const billingMode = (): Shape => string({ enum: ['PROVISIONED', 'PAY_PER_REQUEST'] })

export const streamSpecification = (): Shape => structure('StreamSpecification', {
  StreamEnabled: boolean({ notNull: true }),
  // In the order DynamoDB's enum message lists them (DDB-TABLE-035 of an API-quirks lab).
  StreamViewType: string({ enum: ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'] }),
})

export const sseSpecification = (): Shape => structure('SSESpecification', {
  Enabled: boolean(),
  SSEType: string({ enum: ['AES256', 'KMS'] }),
  KMSMasterKeyId: string(),
})

export const tableClasses = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const

export const tableClass = (): Shape => string({ enum: tableClasses })

/**
 * CreateTable's and UpdateTable's TableClass: an unknown class is not an enum violation there but
 * a message of its own (tableClassProblem), as DynamoDB words it (an API-quirks lab's error
 * catalogue, 2026; Alternator's test_tableclass_create_table_bad_tableclass, run against DynamoDB).
 */
export const tableClassName = (): Shape => string()

export function tableClassProblem(value: string | undefined): string | undefined {
  if (value === undefined || (tableClasses as readonly string[]).includes(value)) return undefined
  return `Invalid table-class parameter provided. Please try again with a valid table-class value: [${tableClasses.join(', ')}].`
}

export const tag = structure('Tag', {
  Key: string({ notNull: true, lengthMin: 1, lengthMax: 128 }),
  Value: string({ notNull: true, lengthMin: 0, lengthMax: 256 }),
})

/**
 * ARNs of tables, indexes, streams and backups. No declarative constraints: DynamoDB checks
 * the ARN with its own messages before the tags' constraints.
 */
export const resourceArn = (constraints: Constraints = {}): Shape => string(constraints)

// Input types as operations see them once validateRequest has passed.

export interface KeySchemaElement { AttributeName: string; KeyType: 'HASH' | 'RANGE' }
export interface AttributeDefinition { AttributeName: string; AttributeType: 'B' | 'N' | 'S' }
export interface Projection { ProjectionType?: 'ALL' | 'INCLUDE' | 'KEYS_ONLY'; NonKeyAttributes?: string[] }
export interface ProvisionedThroughput { ReadCapacityUnits: number; WriteCapacityUnits: number }
export interface OnDemandThroughput { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number }
export interface StreamSpecification {
  StreamEnabled: boolean
  StreamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY'
}
export interface SSESpecification { Enabled?: boolean; SSEType?: 'AES256' | 'KMS'; KMSMasterKeyId?: string }
export interface Tag { Key: string; Value: string }
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST'
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS'
