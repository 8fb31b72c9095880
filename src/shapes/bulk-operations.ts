/**
 * StartBulkPutItems, DescribeBulkOperation, ListBulkOperations and CancelBulkOperation:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StartBulkPutItems.html
 * Constraints from the API reference and the SDK's model.
 */
import { clientToken, jobArn, s3Bucket, s3BucketOwner, type InputCompressionType } from './imports.js'
import { integer, list, long, operation, pattern, string, structure } from './shape.js'

export type BulkInputFormat = 'DYNAMODB_JSON' | 'ION'
export type BulkOutputType = 'ERROR' | 'CONDITION_CHECK_FAILURE'

export interface BulkInputS3Configuration {
  S3BucketOwner?: string
  S3Bucket: string
  S3KeyPrefix?: string
  InputFormat: BulkInputFormat
  InputCompressionType?: InputCompressionType
}

export interface BulkOutputS3Configuration {
  S3BucketOwner?: string
  S3Bucket?: string
  S3KeyPrefix?: string
  S3SseAlgorithm?: 'AES256' | 'KMS'
  S3SseKmsKeyId?: string
  OutputType: BulkOutputType[]
}

export interface StartBulkPutItemsInput {
  ClientToken?: string
  InputS3Configuration: BulkInputS3Configuration
  OutputS3Configuration: BulkOutputS3Configuration
  TableName: string
  MaxWriteRequestUnits?: number
  PerformanceTier?: 'STANDARD' | 'ACCELERATED'
}

export const startBulkPutItemsShape = operation<StartBulkPutItemsInput>({
  input: structure('StartBulkPutItemsInput', {
    ClientToken: clientToken(),
    InputS3Configuration: structure('InputS3Configuration', {
      S3BucketOwner: s3BucketOwner(),
      S3Bucket: s3Bucket(),
      S3KeyPrefix: string({ lengthMax: 1024 }),
      InputFormat: string({ notNull: true, enum: ['DYNAMODB_JSON', 'ION'] }),
      InputCompressionType: string({ enum: ['GZIP', 'ZSTD', 'NONE'] }),
    }, { notNull: true }),
    OutputS3Configuration: structure('OutputS3Configuration', {
      S3BucketOwner: s3BucketOwner(),
      S3Bucket: s3Bucket({}),
      S3KeyPrefix: string({ lengthMax: 1024 }),
      S3SseAlgorithm: string({ enum: ['AES256', 'KMS'] }),
      S3SseKmsKeyId: string({ lengthMin: 1, lengthMax: 2048 }),
      OutputType: list(string({ enum: ['ERROR', 'CONDITION_CHECK_FAILURE'] }), { notNull: true, lengthMin: 1, lengthMax: 2 }),
    }, { notNull: true }),
    TableName: string({ notNull: true, lengthMin: 1, lengthMax: 1024 }),
    MaxWriteRequestUnits: long({ valueMin: 1024 }),
    PerformanceTier: string({ enum: ['STANDARD', 'ACCELERATED'] }),
  }),
})

export const bulkOperationArnShape = (name: string) => operation<{ BulkOperationArn: string }>({
  input: structure(name, { BulkOperationArn: jobArn({ notNull: true }) }),
})

export interface ListBulkOperationsInput { MaxResults?: number; NextToken?: string }

export const listBulkOperationsShape = operation<ListBulkOperationsInput>({
  input: structure('ListBulkOperationsInput', {
    MaxResults: integer({ valueMin: 1, valueMax: 25 }),
    NextToken: string({ lengthMin: 112, lengthMax: 1024, pattern: pattern('([0-9a-f]{16})+') }),
  }),
})
