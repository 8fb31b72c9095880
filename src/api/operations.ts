/**
 * The DynamoDB operations this server answers, by X-Amz-Target action name, each with the shape
 * its input is validated against. An action missing here gets UnknownOperationException;
 * docs/compatibility.md lists the same set. Supporting an operation means writing its shape
 * (src/shapes/) and handler (src/operations/) and adding one line here.
 */
import type { ServiceOperations } from './dispatch.js'
import { defineOperation, selfValidatingOperation } from './operation.js'
import { batchGetItem } from '../operations/batch-get-item.js'
import { batchWriteItem } from '../operations/batch-write-item.js'
import { createTable } from '../operations/create-table.js'
import { deleteItem } from '../operations/delete-item.js'
import { deleteTable } from '../operations/delete-table.js'
import { describeContinuousBackups } from '../operations/describe-continuous-backups.js'
import { describeTable } from '../operations/describe-table.js'
import { getItem } from '../operations/get-item.js'
import { listTables } from '../operations/list-tables.js'
import { putItem } from '../operations/put-item.js'
import { query } from '../operations/query.js'
import { scan } from '../operations/scan.js'
import { transactGetItems } from '../operations/transact-get-items.js'
import { transactWriteItems } from '../operations/transact-write-items.js'
import { updateItem } from '../operations/update-item.js'
import { updateTable } from '../operations/update-table.js'
import { tagResource } from '../operations/tag-resource.js'
import { untagResource } from '../operations/untag-resource.js'
import { listTagsOfResource } from '../operations/list-tags-of-resource.js'
import { describeLimits } from '../operations/describe-limits.js'
import { describeEndpoints } from '../operations/describe-endpoints.js'
import { updateTimeToLive } from '../operations/update-time-to-live.js'
import { describeTimeToLive } from '../operations/describe-time-to-live.js'
import { executeStatement } from '../operations/execute-statement.js'
import { batchExecuteStatement } from '../operations/batch-execute-statement.js'
import { executeTransaction } from '../operations/execute-transaction.js'
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from '../security/resource-policies.js'
import { describeTableReplicaAutoScaling, updateTableReplicaAutoScaling } from '../operations/table-replica-auto-scaling.js'
import { legacyGlobalTableOperations } from '../operations/legacy-global-tables.js'
import { importTable } from '../operations/import-table.js'
import { describeImport } from '../operations/describe-import.js'
import { listImports } from '../operations/list-imports.js'
import { updateContinuousBackups } from '../operations/update-continuous-backups.js'
import { restoreTableToPointInTime } from '../operations/restore-table-to-point-in-time.js'
import { createBackup } from '../operations/create-backup.js'
import { describeBackup } from '../operations/describe-backup.js'
import { deleteBackup } from '../operations/delete-backup.js'
import { listBackups } from '../operations/list-backups.js'
import { restoreTableFromBackup } from '../operations/restore-table-from-backup.js'
import { exportTableToPointInTime } from '../operations/export-table-to-point-in-time.js'
import { describeExport } from '../operations/describe-export.js'
import { listExports } from '../operations/list-exports.js'
import {
  describeKinesisStreamingDestination, disableKinesisStreamingDestination, enableKinesisStreamingDestination,
  updateKinesisStreamingDestination,
} from '../operations/kinesis-streaming-destination.js'
import { batchGetItemShape } from '../shapes/batch-get-item.js'
import { batchWriteItemShape } from '../shapes/batch-write-item.js'
import { createTableShape } from '../shapes/create-table.js'
import { listTablesShape } from '../shapes/list-tables.js'
import { describeEndpointsShape, describeLimitsShape } from '../shapes/no-input.js'
import {
  deleteTableShape, describeTableShape, describeTimeToLiveShape,
} from '../shapes/table-by-name.js'
import {
  createBackupShape, deleteBackupShape, describeBackupShape, describeContinuousBackupsShape, listBackupsShape,
  restoreTableFromBackupShape, restoreTableToPointInTimeShape, updateContinuousBackupsShape,
} from '../shapes/backups.js'
import { listTagsOfResourceShape, tagResourceShape, untagResourceShape } from '../shapes/tags.js'
import { updateTableShape } from '../shapes/update-table.js'
import { updateTimeToLiveShape } from '../shapes/update-time-to-live.js'
import { deleteItemShape } from '../shapes/delete-item.js'
import { executeStatementShape } from '../shapes/execute-statement.js'
import { batchExecuteStatementShape } from '../shapes/batch-execute-statement.js'
import { executeTransactionShape } from '../shapes/execute-transaction.js'
import { getItemShape } from '../shapes/get-item.js'
import { putItemShape } from '../shapes/put-item.js'
import { queryShape } from '../shapes/query.js'
import { scanShape } from '../shapes/scan.js'
import { transactGetItemsShape } from '../shapes/transact-get-items.js'
import { transactWriteItemsShape } from '../shapes/transact-write-items.js'
import { updateItemShape } from '../shapes/update-item.js'
import { describeTableReplicaAutoScalingShape, updateTableReplicaAutoScalingShape } from '../shapes/global-tables.js'
import { describeImportShape, importTableShape, listImportsShape } from '../shapes/imports.js'
import { describeExportShape, exportTableToPointInTimeShape, listExportsShape } from '../shapes/exports.js'
import {
  describeKinesisStreamingDestinationShape, disableKinesisStreamingDestinationShape, enableKinesisStreamingDestinationShape,
  updateKinesisStreamingDestinationShape,
} from '../shapes/kinesis-streaming-destination.js'

export const dynamoDbOperations: ServiceOperations = {
  BatchGetItem: defineOperation(batchGetItemShape, batchGetItem),
  BatchWriteItem: defineOperation(batchWriteItemShape, batchWriteItem),
  CreateTable: defineOperation(createTableShape, createTable),
  DeleteItem: defineOperation(deleteItemShape, deleteItem),
  DeleteTable: defineOperation(deleteTableShape, deleteTable),
  DescribeContinuousBackups: defineOperation(describeContinuousBackupsShape, describeContinuousBackups),
  DescribeTable: defineOperation(describeTableShape, describeTable),
  GetItem: defineOperation(getItemShape, getItem),
  ListTables: defineOperation(listTablesShape, listTables),
  PutItem: defineOperation(putItemShape, putItem),
  Query: defineOperation(queryShape, query),
  Scan: defineOperation(scanShape, scan),
  TransactGetItems: defineOperation(transactGetItemsShape, transactGetItems),
  TransactWriteItems: defineOperation(transactWriteItemsShape, transactWriteItems),
  UpdateItem: defineOperation(updateItemShape, updateItem),
  UpdateTable: defineOperation(updateTableShape, updateTable),
  TagResource: defineOperation(tagResourceShape, tagResource),
  UntagResource: defineOperation(untagResourceShape, untagResource),
  ListTagsOfResource: defineOperation(listTagsOfResourceShape, listTagsOfResource),
  DescribeLimits: defineOperation(describeLimitsShape, describeLimits),
  DescribeEndpoints: defineOperation(describeEndpointsShape, describeEndpoints),
  UpdateTimeToLive: defineOperation(updateTimeToLiveShape, updateTimeToLive),
  DescribeTimeToLive: defineOperation(describeTimeToLiveShape, describeTimeToLive),
  ExecuteStatement: defineOperation(executeStatementShape, executeStatement),
  BatchExecuteStatement: defineOperation(batchExecuteStatementShape, batchExecuteStatement),
  ExecuteTransaction: defineOperation(executeTransactionShape, executeTransaction),
  // Resource policies check their own few members (src/security/resource-policies.ts).
  PutResourcePolicy: selfValidatingOperation(putResourcePolicy),
  GetResourcePolicy: selfValidatingOperation(getResourcePolicy),
  DeleteResourcePolicy: selfValidatingOperation(deleteResourcePolicy),
  DescribeTableReplicaAutoScaling: defineOperation(describeTableReplicaAutoScalingShape, describeTableReplicaAutoScaling),
  UpdateTableReplicaAutoScaling: defineOperation(updateTableReplicaAutoScalingShape, updateTableReplicaAutoScaling),
  ...legacyGlobalTableOperations,
  ImportTable: defineOperation(importTableShape, importTable),
  DescribeImport: defineOperation(describeImportShape, describeImport),
  ListImports: defineOperation(listImportsShape, listImports),
  UpdateContinuousBackups: defineOperation(updateContinuousBackupsShape, updateContinuousBackups),
  RestoreTableToPointInTime: defineOperation(restoreTableToPointInTimeShape, restoreTableToPointInTime),
  CreateBackup: defineOperation(createBackupShape, createBackup),
  DescribeBackup: defineOperation(describeBackupShape, describeBackup),
  DeleteBackup: defineOperation(deleteBackupShape, deleteBackup),
  ListBackups: defineOperation(listBackupsShape, listBackups),
  RestoreTableFromBackup: defineOperation(restoreTableFromBackupShape, restoreTableFromBackup),
  ExportTableToPointInTime: defineOperation(exportTableToPointInTimeShape, exportTableToPointInTime),
  DescribeExport: defineOperation(describeExportShape, describeExport),
  ListExports: defineOperation(listExportsShape, listExports),
  EnableKinesisStreamingDestination: defineOperation(enableKinesisStreamingDestinationShape, enableKinesisStreamingDestination),
  DisableKinesisStreamingDestination: defineOperation(disableKinesisStreamingDestinationShape, disableKinesisStreamingDestination),
  DescribeKinesisStreamingDestination: defineOperation(describeKinesisStreamingDestinationShape, describeKinesisStreamingDestination),
  UpdateKinesisStreamingDestination: defineOperation(updateKinesisStreamingDestinationShape, updateKinesisStreamingDestination),
}
