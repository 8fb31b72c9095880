/**
 * The DynamoDB operations this server answers, by X-Amz-Target action name. An action missing
 * here gets UnknownOperationException; docs/compatibility.md lists the same set.
 */
import type { ServiceOperations } from './dispatch.js'
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

export const dynamoDbOperations: ServiceOperations = {
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DeleteItem: deleteItem,
  DeleteTable: deleteTable,
  DescribeContinuousBackups: describeContinuousBackups,
  DescribeTable: describeTable,
  GetItem: getItem,
  ListTables: listTables,
  PutItem: putItem,
  Query: query,
  Scan: scan,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UpdateItem: updateItem,
  UpdateTable: updateTable,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  DescribeLimits: describeLimits,
  DescribeEndpoints: describeEndpoints,
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
  PutResourcePolicy: putResourcePolicy,
  GetResourcePolicy: getResourcePolicy,
  DeleteResourcePolicy: deleteResourcePolicy,
  DescribeTableReplicaAutoScaling: describeTableReplicaAutoScaling,
  UpdateTableReplicaAutoScaling: updateTableReplicaAutoScaling,
  ...legacyGlobalTableOperations,
  ImportTable: importTable,
  DescribeImport: describeImport,
  ListImports: listImports,
  UpdateContinuousBackups: updateContinuousBackups,
  RestoreTableToPointInTime: restoreTableToPointInTime,
  CreateBackup: createBackup,
  DescribeBackup: describeBackup,
  DeleteBackup: deleteBackup,
  ListBackups: listBackups,
  RestoreTableFromBackup: restoreTableFromBackup,
  ExportTableToPointInTime: exportTableToPointInTime,
  DescribeExport: describeExport,
  ListExports: listExports,
  EnableKinesisStreamingDestination: enableKinesisStreamingDestination,
  DisableKinesisStreamingDestination: disableKinesisStreamingDestination,
  DescribeKinesisStreamingDestination: describeKinesisStreamingDestination,
  UpdateKinesisStreamingDestination: updateKinesisStreamingDestination,
}
