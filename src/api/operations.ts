/**
 * The DynamoDB operations this server answers, by X-Amz-Target action name, each with the shape
 * its input is validated against. An action missing here gets UnknownOperationException;
 * docs/compatibility.md lists the same set. Supporting an operation means writing its shape
 * (src/shapes/) and handler (src/operations/) and adding one line here.
 *
 * Every shape is imported with the server (they are small). The data plane's handlers (items,
 * queries, tables) are too; every other handler is imported on its operation's first call, so
 * that a server answers sooner after it starts (src/lazy-require.ts). Its input type is checked
 * against the shape all the same.
 */
import type { ServiceOperations } from './dispatch.js'
import { defineOperation, selfValidatingOperation } from './operation.js'
import { importedOnFirstCall } from '../lazy-require.js'
import { batchGetItem } from '../operations/batch-get-item.js'
import { batchWriteItem } from '../operations/batch-write-item.js'
import { createTable } from '../operations/create-table.js'
import { deleteItem } from '../operations/delete-item.js'
import { deleteTable } from '../operations/delete-table.js'
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
import { batchGetItemShape } from '../shapes/batch-get-item.js'
import { batchWriteItemShape } from '../shapes/batch-write-item.js'
import { bulkOperationArnShape, listBulkOperationsShape, startBulkPutItemsShape } from '../shapes/bulk-operations.js'
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
import { deleteResourcePolicyShape, getResourcePolicyShape, putResourcePolicyShape } from '../shapes/resource-policies.js'
import {
  describeContributorInsightsShape, listContributorInsightsShape, updateContributorInsightsShape,
} from '../shapes/contributor-insights.js'
import { deleteItemShape } from '../shapes/delete-item.js'
import { executeStatementShape } from '../shapes/execute-statement.js'
import { batchExecuteStatementShape } from '../shapes/batch-execute-statement.js'
import { executeTransactionShape } from '../shapes/execute-transaction.js'
import { getItemShape } from '../shapes/get-item.js'
import { putItemShape } from '../shapes/put-item.js'
import { queryShape } from '../shapes/query.js'
import { scanShape } from '../shapes/scan.js'
import { searchVectorsShape } from '../shapes/search-vectors.js'
import { transactGetItemsShape } from '../shapes/transact-get-items.js'
import { transactWriteItemsShape } from '../shapes/transact-write-items.js'
import { updateItemShape } from '../shapes/update-item.js'
import {
  createGlobalTableShape, describeTableReplicaAutoScalingShape, globalTableByNameShape, listGlobalTablesShape,
  updateGlobalTableSettingsShape, updateGlobalTableShape, updateTableReplicaAutoScalingShape,
} from '../shapes/global-tables.js'
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
  DescribeContinuousBackups: defineOperation(describeContinuousBackupsShape, importedOnFirstCall(async () =>
    (await import('../operations/describe-continuous-backups.js')).describeContinuousBackups)),
  DescribeTable: defineOperation(describeTableShape, describeTable),
  GetItem: defineOperation(getItemShape, getItem),
  ListTables: defineOperation(listTablesShape, listTables),
  PutItem: defineOperation(putItemShape, putItem),
  Query: defineOperation(queryShape, query),
  Scan: defineOperation(scanShape, scan),
  SearchVectors: defineOperation(searchVectorsShape, importedOnFirstCall(async () =>
    (await import('../operations/search-vectors.js')).searchVectors)),
  TransactGetItems: defineOperation(transactGetItemsShape, transactGetItems),
  TransactWriteItems: defineOperation(transactWriteItemsShape, transactWriteItems),
  UpdateItem: defineOperation(updateItemShape, updateItem),
  UpdateTable: defineOperation(updateTableShape, updateTable),
  TagResource: defineOperation(tagResourceShape, importedOnFirstCall(async () =>
    (await import('../operations/tag-resource.js')).tagResource)),
  UntagResource: defineOperation(untagResourceShape, importedOnFirstCall(async () =>
    (await import('../operations/untag-resource.js')).untagResource)),
  ListTagsOfResource: defineOperation(listTagsOfResourceShape, importedOnFirstCall(async () =>
    (await import('../operations/list-tags-of-resource.js')).listTagsOfResource)),
  DescribeLimits: defineOperation(describeLimitsShape, importedOnFirstCall(async () =>
    (await import('../operations/describe-limits.js')).describeLimits)),
  DescribeEndpoints: defineOperation(describeEndpointsShape, importedOnFirstCall(async () =>
    (await import('../operations/describe-endpoints.js')).describeEndpoints)),
  UpdateTimeToLive: defineOperation(updateTimeToLiveShape, importedOnFirstCall(async () =>
    (await import('../operations/update-time-to-live.js')).updateTimeToLive)),
  DescribeTimeToLive: defineOperation(describeTimeToLiveShape, importedOnFirstCall(async () =>
    (await import('../operations/describe-time-to-live.js')).describeTimeToLive)),
  ExecuteStatement: defineOperation(executeStatementShape, importedOnFirstCall(async () =>
    (await import('../operations/execute-statement.js')).executeStatement)),
  BatchExecuteStatement: defineOperation(batchExecuteStatementShape, importedOnFirstCall(async () =>
    (await import('../operations/batch-execute-statement.js')).batchExecuteStatement)),
  ExecuteTransaction: defineOperation(executeTransactionShape, importedOnFirstCall(async () =>
    (await import('../operations/execute-transaction.js')).executeTransaction)),
  // Resource policies check their own few members' constraints (src/security/resource-policies.ts).
  PutResourcePolicy: defineOperation(putResourcePolicyShape, importedOnFirstCall(async () =>
    (await import('../security/resource-policies.js')).putResourcePolicy)),
  GetResourcePolicy: defineOperation(getResourcePolicyShape, importedOnFirstCall(async () =>
    (await import('../security/resource-policies.js')).getResourcePolicy)),
  DeleteResourcePolicy: defineOperation(deleteResourcePolicyShape, importedOnFirstCall(async () =>
    (await import('../security/resource-policies.js')).deleteResourcePolicy)),
  DescribeTableReplicaAutoScaling: defineOperation(describeTableReplicaAutoScalingShape, importedOnFirstCall(async () =>
    (await import('../operations/table-replica-auto-scaling.js')).describeTableReplicaAutoScaling)),
  UpdateTableReplicaAutoScaling: defineOperation(updateTableReplicaAutoScalingShape, importedOnFirstCall(async () =>
    (await import('../operations/table-replica-auto-scaling.js')).updateTableReplicaAutoScaling)),
  // Global tables version 2017.11.29 (legacy).
  CreateGlobalTable: defineOperation(createGlobalTableShape, importedOnFirstCall(async () =>
    (await import('../operations/legacy-global-tables.js')).createGlobalTable)),
  DescribeGlobalTable: defineOperation(globalTableByNameShape('DescribeGlobalTableInput'), importedOnFirstCall(async () =>
    (await import('../operations/legacy-global-tables.js')).describeGlobalTable)),
  UpdateGlobalTable: defineOperation(updateGlobalTableShape, importedOnFirstCall(async () =>
    (await import('../operations/legacy-global-tables.js')).updateGlobalTable)),
  ListGlobalTables: defineOperation(listGlobalTablesShape, importedOnFirstCall(async () =>
    (await import('../operations/legacy-global-tables.js')).listGlobalTables)),
  DescribeGlobalTableSettings: defineOperation(globalTableByNameShape('DescribeGlobalTableSettingsInput'), importedOnFirstCall(async () =>
    (await import('../operations/legacy-global-tables.js')).describeGlobalTableSettings)),
  UpdateGlobalTableSettings: defineOperation(updateGlobalTableSettingsShape, importedOnFirstCall(async () =>
    (await import('../operations/legacy-global-tables.js')).updateGlobalTableSettings)),
  ImportTable: defineOperation(importTableShape, importedOnFirstCall(async () =>
    (await import('../operations/import-table.js')).importTable)),
  DescribeImport: defineOperation(describeImportShape, importedOnFirstCall(async () =>
    (await import('../operations/describe-import.js')).describeImport)),
  ListImports: defineOperation(listImportsShape, importedOnFirstCall(async () =>
    (await import('../operations/list-imports.js')).listImports)),
  // Bulk put items into an existing table from S3 (src/bulk/).
  StartBulkPutItems: defineOperation(startBulkPutItemsShape, importedOnFirstCall(async () =>
    (await import('../operations/bulk-operations.js')).startBulkPutItems)),
  DescribeBulkOperation: defineOperation(bulkOperationArnShape('DescribeBulkOperationInput'), importedOnFirstCall(async () =>
    (await import('../operations/bulk-operations.js')).describeBulkOperation)),
  ListBulkOperations: defineOperation(listBulkOperationsShape, importedOnFirstCall(async () =>
    (await import('../operations/bulk-operations.js')).listBulkOperations)),
  CancelBulkOperation: defineOperation(bulkOperationArnShape('CancelBulkOperationInput'), importedOnFirstCall(async () =>
    (await import('../operations/bulk-operations.js')).cancelBulkOperation)),
  UpdateContinuousBackups: defineOperation(updateContinuousBackupsShape, importedOnFirstCall(async () =>
    (await import('../operations/update-continuous-backups.js')).updateContinuousBackups)),
  RestoreTableToPointInTime: defineOperation(restoreTableToPointInTimeShape, importedOnFirstCall(async () =>
    (await import('../operations/restore-table-to-point-in-time.js')).restoreTableToPointInTime)),
  CreateBackup: defineOperation(createBackupShape, importedOnFirstCall(async () =>
    (await import('../operations/create-backup.js')).createBackup)),
  DescribeBackup: defineOperation(describeBackupShape, importedOnFirstCall(async () =>
    (await import('../operations/describe-backup.js')).describeBackup)),
  DeleteBackup: defineOperation(deleteBackupShape, importedOnFirstCall(async () =>
    (await import('../operations/delete-backup.js')).deleteBackup)),
  ListBackups: defineOperation(listBackupsShape, importedOnFirstCall(async () =>
    (await import('../operations/list-backups.js')).listBackups)),
  RestoreTableFromBackup: defineOperation(restoreTableFromBackupShape, importedOnFirstCall(async () =>
    (await import('../operations/restore-table-from-backup.js')).restoreTableFromBackup)),
  ExportTableToPointInTime: defineOperation(exportTableToPointInTimeShape, importedOnFirstCall(async () =>
    (await import('../operations/export-table-to-point-in-time.js')).exportTableToPointInTime)),
  DescribeExport: defineOperation(describeExportShape, importedOnFirstCall(async () =>
    (await import('../operations/describe-export.js')).describeExport)),
  ListExports: defineOperation(listExportsShape, importedOnFirstCall(async () =>
    (await import('../operations/list-exports.js')).listExports)),
  EnableKinesisStreamingDestination: defineOperation(enableKinesisStreamingDestinationShape, importedOnFirstCall(async () =>
    (await import('../operations/kinesis-streaming-destination.js')).enableKinesisStreamingDestination)),
  DisableKinesisStreamingDestination: defineOperation(disableKinesisStreamingDestinationShape, importedOnFirstCall(async () =>
    (await import('../operations/kinesis-streaming-destination.js')).disableKinesisStreamingDestination)),
  DescribeKinesisStreamingDestination: defineOperation(describeKinesisStreamingDestinationShape, importedOnFirstCall(async () =>
    (await import('../operations/kinesis-streaming-destination.js')).describeKinesisStreamingDestination)),
  UpdateKinesisStreamingDestination: defineOperation(updateKinesisStreamingDestinationShape, importedOnFirstCall(async () =>
    (await import('../operations/kinesis-streaming-destination.js')).updateKinesisStreamingDestination)),
  UpdateContributorInsights: defineOperation(updateContributorInsightsShape, importedOnFirstCall(async () =>
    (await import('../operations/contributor-insights.js')).updateContributorInsights)),
  DescribeContributorInsights: defineOperation(describeContributorInsightsShape, importedOnFirstCall(async () =>
    (await import('../operations/contributor-insights.js')).describeContributorInsights)),
  ListContributorInsights: defineOperation(listContributorInsightsShape, importedOnFirstCall(async () =>
    (await import('../operations/contributor-insights.js')).listContributorInsights)),
}
