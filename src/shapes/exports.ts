/**
 * ExportTableToPointInTime, DescribeExport and ListExports:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html
 * Constraints from the botocore model (spec backup-export.md §5.1).
 */
import { integer, operation, string, structure, timestamp } from './shape.js'
import { clientToken, jobArn, s3Bucket, s3BucketOwner } from './imports.js'
import type { ExportFormat } from '../exports/export-lines.js'
import type { ExportType, IncrementalExportSpecification } from '../exports/export-record.js'
import type { FilterSpecification } from '../exports/export-filter.js'
import { expressionAttributeNames, expressionAttributeValues } from './common.js'

export interface ExportTableToPointInTimeInput {
  TableArn: string
  ExportTime?: number
  ClientToken?: string
  S3Bucket: string
  S3BucketOwner?: string
  S3Prefix?: string
  S3SseAlgorithm?: 'AES256' | 'KMS'
  S3SseKmsKeyId?: string
  ExportFormat?: ExportFormat
  ExportType?: ExportType
  IncrementalExportSpecification?: IncrementalExportSpecification
  FilterSpecification?: FilterSpecification
}

export const exportTableToPointInTimeShape = operation<ExportTableToPointInTimeInput>({
  input: structure('ExportTableToPointInTimeInput', {
    TableArn: string({ notNull: true, lengthMin: 1, lengthMax: 1024 }),
    ExportTime: timestamp(),
    ClientToken: clientToken(),
    S3Bucket: s3Bucket(),
    S3BucketOwner: s3BucketOwner(),
    S3Prefix: string({ lengthMax: 1024 }),
    S3SseAlgorithm: string({ enum: ['AES256', 'KMS'] }),
    S3SseKmsKeyId: string({ lengthMin: 1, lengthMax: 2048 }),
    ExportFormat: string({ enum: ['DYNAMODB_JSON', 'ION'] }),
    ExportType: string({ enum: ['FULL_EXPORT', 'INCREMENTAL_EXPORT'] }),
    IncrementalExportSpecification: structure('IncrementalExportSpecification', {
      ExportFromTime: timestamp(),
      ExportToTime: timestamp(),
      ExportViewType: string({ enum: ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'] }),
    }),
    FilterSpecification: structure('FilterSpecification', {
      FilterExpression: string(),
      ProjectionExpression: string(),
      KeyConditionExpression: string(),
      ExpressionAttributeNames: expressionAttributeNames(),
      ExpressionAttributeValues: expressionAttributeValues(),
    }),
  }),
})

export const describeExportShape = operation<{ ExportArn: string }>({
  input: structure('DescribeExportInput', { ExportArn: jobArn({ notNull: true }) }),
})

export interface ListExportsInput { TableArn?: string; MaxResults?: number; NextToken?: string }

export const listExportsShape = operation<ListExportsInput>({
  input: structure('ListExportsInput', {
    TableArn: string({ lengthMin: 1, lengthMax: 1024 }),
    MaxResults: integer({ valueMin: 1, valueMax: 25 }),
    NextToken: string(),
  }),
})
