/**
 * ImportTable, DescribeImport and ListImports:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ImportTable.html
 * Constraints from the botocore model (spec backup-export.md §7.1).
 */
import { billingProblem, globalIndexesProblem, tableKeySchemaProblem } from '../validate/table-checks.js'
import { globalSecondaryIndex, vectorIndex, type CreateTableInput, type GlobalSecondaryIndex } from './create-table.js'
import type { VectorIndexInput } from '../vectors/index-definition.js'
import { tableNamePattern } from './common.js'
import { integer, list, operation, pattern, string, structure, type Constraints, type Pattern } from './shape.js'
import {
  attributeDefinitions, billingMode, keySchema, onDemandThroughput, provisionedThroughput, sseSpecification,
  type AttributeDefinition, type BillingMode, type KeySchemaElement, type OnDemandThroughput,
  type ProvisionedThroughput, type SSESpecification,
} from './table-definitions.js'

/**
 * An S3 bucket name; EddyDB also takes `file:///dir`, a local directory (its extension, which
 * AWS would refuse), while an error still quotes AWS's pattern.
 */
const bucketPattern: Pattern = {
  source: '^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$',
  anchored: /^(?:[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+|file:\/\/\/.+)$/,
}

export const s3Bucket = (constraints: Constraints = { notNull: true }) => string({ ...constraints, lengthMax: 255, pattern: bucketPattern })
export const s3BucketOwner = () => string({ pattern: pattern('[0-9]{12}') })
export const clientToken = (constraints: Constraints = {}) => string({ ...constraints, pattern: pattern('^[^\\$]+$') })
/** ARNs of exports and imports: 37 to 1024 characters, checked for their form by the operation. */
export const jobArn = (constraints = {}) => string({ lengthMin: 37, lengthMax: 1024, ...constraints })

export type InputFormat = 'CSV' | 'DYNAMODB_JSON' | 'ION'
export type InputCompressionType = 'GZIP' | 'ZSTD' | 'NONE'

export interface S3BucketSource { S3Bucket: string; S3KeyPrefix?: string; S3BucketOwner?: string }

export interface TableCreationParameters {
  TableName: string
  AttributeDefinitions: AttributeDefinition[]
  KeySchema: KeySchemaElement[]
  BillingMode?: BillingMode
  ProvisionedThroughput?: ProvisionedThroughput
  OnDemandThroughput?: OnDemandThroughput
  SSESpecification?: SSESpecification
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[]
  VectorIndexes?: VectorIndexInput[]
}

export interface ImportTableInput {
  ClientToken: string
  S3BucketSource: S3BucketSource
  InputFormat: InputFormat
  InputFormatOptions?: { Csv?: { Delimiter?: string; HeaderList?: string[] } }
  InputCompressionType?: InputCompressionType
  TableCreationParameters: TableCreationParameters
}

export const importTableShape = operation<ImportTableInput>({
  input: structure('ImportTableInput', {
    // Documented as optional, but ImportTable refuses a request without one (Alternator's
    // test_client_token_required, run against DynamoDB); the SDKs always send one.
    ClientToken: clientToken({ notNull: true }),
    S3BucketSource: structure('S3BucketSource', {
      S3BucketOwner: s3BucketOwner(),
      S3Bucket: s3Bucket(),
      S3KeyPrefix: string({ lengthMax: 1024 }),
    }, { notNull: true }),
    InputFormat: string({ notNull: true, enum: ['DYNAMODB_JSON', 'ION', 'CSV'] }),
    InputFormatOptions: structure('InputFormatOptions', {
      Csv: structure('CsvOptions', {
        Delimiter: string({ lengthMin: 1, lengthMax: 1, pattern: pattern('[,;:|\\t ]') }),
        // Printable ASCII but the double quote and the comma (the API reference's pattern).
        HeaderList: list(string({ lengthMin: 1, lengthMax: 65536, pattern: pattern('[\\x20-\\x21\\x23-\\x2B\\x2D-\\x7E]*') }),
          { lengthMin: 1, lengthMax: 255 }),
      }),
    }),
    InputCompressionType: string({ enum: ['GZIP', 'ZSTD', 'NONE'] }),
    TableCreationParameters: structure('TableCreationParameters', {
      TableName: string({ notNull: true, lengthMin: 3, lengthMax: 255, pattern: tableNamePattern }),
      AttributeDefinitions: attributeDefinitions({ notNull: true }),
      KeySchema: keySchema(),
      BillingMode: billingMode(),
      ProvisionedThroughput: provisionedThroughput(),
      OnDemandThroughput: onDemandThroughput(),
      SSESpecification: sseSpecification(),
      GlobalSecondaryIndexes: list(globalSecondaryIndex),
      VectorIndexes: list(vectorIndex),
    }, { notNull: true }),
  }),
  check: (input) => {
    if (input.InputFormatOptions?.Csv && input.InputFormat !== 'CSV') {
      // DynamoDB's words (the API-quirks lab's catalogue, 2026-10).
      return `Invalid Request: Unsupported InputFormatOptions for the given input format: ${input.InputFormat}.`
    }
    const table = input.TableCreationParameters as CreateTableInput
    return billingProblem(table) ?? tableKeySchemaProblem(table) ?? globalIndexesProblem(table)
  },
})

export const describeImportShape = operation<{ ImportArn: string }>({
  input: structure('DescribeImportInput', { ImportArn: jobArn({ notNull: true }) }),
})

export interface ListImportsInput { TableArn?: string; PageSize?: number; NextToken?: string }

export const listImportsShape = operation<ListImportsInput>({
  input: structure('ListImportsInput', {
    TableArn: string({ lengthMin: 1, lengthMax: 1024 }),
    PageSize: integer({ valueMin: 1, valueMax: 25 }),
    NextToken: string({ lengthMin: 112, lengthMax: 1024, pattern: pattern('([0-9a-f]{16})+') }),
  }),
})
