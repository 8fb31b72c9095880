/** CreateTable: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html */
import {
  billingProblem, globalIndexesProblem, localIndexesProblem, tableKeySchemaProblem,
} from '../validate/table-checks.js'
import { globalIndexKeySchemaLengthMax } from '../tables/index-key-schema.js'
import { indexName } from './common.js'
import { boolean, integer, list, operation, string, structure } from './shape.js'
import type { VectorIndexInput } from '../vectors/index-definition.js'
import {
  attributeDefinitions, billingMode, controlPlaneTableName, keySchema, onDemandThroughput, projection,
  provisionedThroughput, sseSpecification, streamSpecification, tag, warmThroughput,
  type AttributeDefinition, type BillingMode, type KeySchemaElement, type OnDemandThroughput, type Projection,
  type ProvisionedThroughput, type SSESpecification, type StreamSpecification, type TableClass, tableClassName, tableClassProblem, type Tag,
} from './table-definitions.js'
import { tableNameFirst } from '../validate/first-checks.js'

export interface LocalSecondaryIndex { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection }

export interface GlobalSecondaryIndex extends LocalSecondaryIndex {
  ProvisionedThroughput?: ProvisionedThroughput
  OnDemandThroughput?: OnDemandThroughput
}

export interface CreateTableInput {
  TableName: string
  AttributeDefinitions: AttributeDefinition[]
  KeySchema: KeySchemaElement[]
  BillingMode?: BillingMode
  ProvisionedThroughput?: ProvisionedThroughput
  LocalSecondaryIndexes?: LocalSecondaryIndex[]
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[]
  StreamSpecification?: StreamSpecification
  SSESpecification?: SSESpecification
  Tags?: Tag[]
  TableClass?: TableClass
  DeletionProtectionEnabled?: boolean
  OnDemandThroughput?: OnDemandThroughput
  ResourcePolicy?: string
  VectorIndexes?: VectorIndexInput[]
}

/** Also ImportTable's TableCreationParameters.GlobalSecondaryIndexes. */
export const globalSecondaryIndex = structure('GlobalSecondaryIndex', {
  IndexName: indexName({ notNull: true }),
  KeySchema: keySchema(globalIndexKeySchemaLengthMax),
  Projection: projection(),
  ProvisionedThroughput: provisionedThroughput(),
  OnDemandThroughput: onDemandThroughput(),
  WarmThroughput: warmThroughput(),
})

/**
 * A vector index (src/vectors/). Dimensions below 1 fail here, in the one-error envelope; above
 * 4,096 the service's own check answers (an AWS-validated suite, eu-west-2, 2026-08-11).
 */
export const vectorIndex = structure('VectorIndex', {
  IndexName: indexName({ notNull: true }),
  VectorAttribute: structure('VectorAttributeDefinition', {
    AttributeName: string({ notNull: true, lengthMin: 1, lengthMax: 255 }),
  }, { notNull: true }),
  SearchSchema: list(structure('SearchSchemaElement', {
    AttributeName: string({ notNull: true, lengthMin: 1, lengthMax: 255 }),
    SearchSchemaElementType: string({ notNull: true, enum: ['HASH', 'INLINE_FILTER'] }),
  })),
  Projection: projection(),
  Dimensions: integer({ notNull: true, valueMin: 1 }),
  DistanceFunction: string({ notNull: true, enum: ['COSINE', 'EUCLIDEAN', 'DOT_PRODUCT'] }),
})

export const createTableShape = operation<CreateTableInput>({
  firstCheck: tableNameFirst,
  input: structure('CreateTableInput', {
    AttributeDefinitions: attributeDefinitions({ notNull: true }),
    TableName: controlPlaneTableName(),
    BillingMode: billingMode(),
    ProvisionedThroughput: provisionedThroughput(),
    KeySchema: keySchema(),
    // In this order: DynamoDB lists a GSI's violations before an LSI's, whatever the request's
    // order (an AWS-validated suite's CreateTable validation-ordering cases).
    GlobalSecondaryIndexes: list(globalSecondaryIndex),
    LocalSecondaryIndexes: list(structure('LocalSecondaryIndex', {
      IndexName: indexName({ notNull: true }),
      KeySchema: keySchema(),
      Projection: projection(),
    })),
    StreamSpecification: streamSpecification(),
    SSESpecification: sseSpecification(),
    Tags: list(tag),
    TableClass: tableClassName(),
    DeletionProtectionEnabled: boolean(),
    OnDemandThroughput: onDemandThroughput(),
    WarmThroughput: warmThroughput(),
    ResourcePolicy: string(),
    VectorIndexes: list(vectorIndex),
  }),
  check: (input) =>
    tableClassProblem(input.TableClass) ??
    billingProblem(input) ??
    tableKeySchemaProblem(input) ??
    localIndexesProblem(input) ??
    globalIndexesProblem(input),
})
