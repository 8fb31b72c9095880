/**
 * Every operation's input shape, by X-Amz-Target action name. Supporting a new operation's
 * validation means adding its shape file and one line here.
 */
import type { OperationShape } from './shape.js'
import { batchGetItemShape } from './batch-get-item.js'
import { batchWriteItemShape } from './batch-write-item.js'
import { createTableShape } from './create-table.js'
import { listTablesShape } from './list-tables.js'
import { describeEndpointsShape, describeLimitsShape } from './no-input.js'
import {
  deleteTableShape, describeTableShape, describeTimeToLiveShape,
} from './table-by-name.js'
import {
  createBackupShape, deleteBackupShape, describeBackupShape, describeContinuousBackupsShape, listBackupsShape,
  restoreTableFromBackupShape, restoreTableToPointInTimeShape, updateContinuousBackupsShape,
} from './backups.js'
import { listTagsOfResourceShape, tagResourceShape, untagResourceShape } from './tags.js'
import { updateTableShape } from './update-table.js'
import { updateTimeToLiveShape } from './update-time-to-live.js'
import { deleteItemShape } from './delete-item.js'
import { executeStatementShape } from './execute-statement.js'
import { batchExecuteStatementShape } from './batch-execute-statement.js'
import { executeTransactionShape } from './execute-transaction.js'
import { getItemShape } from './get-item.js'
import { putItemShape } from './put-item.js'
import { queryShape } from './query.js'
import { scanShape } from './scan.js'
import { transactGetItemsShape } from './transact-get-items.js'
import { transactWriteItemsShape } from './transact-write-items.js'
import { updateItemShape } from './update-item.js'
import { describeStreamShape } from './describe-stream.js'
import { getRecordsShape } from './get-records.js'
import { getShardIteratorShape } from './get-shard-iterator.js'
import { listStreamsShape } from './list-streams.js'
import {
  createGlobalTableShape, describeTableReplicaAutoScalingShape, globalTableByNameShape, listGlobalTablesShape,
  updateGlobalTableSettingsShape, updateGlobalTableShape, updateTableReplicaAutoScalingShape,
} from './global-tables.js'
import { describeImportShape, importTableShape, listImportsShape } from './imports.js'
import { describeExportShape, exportTableToPointInTimeShape, listExportsShape } from './exports.js'
import {
  describeKinesisStreamingDestinationShape, disableKinesisStreamingDestinationShape, enableKinesisStreamingDestinationShape,
  updateKinesisStreamingDestinationShape,
} from './kinesis-streaming-destination.js'

export const operationShapes: ReadonlyMap<string, OperationShape> = new Map([
  ['BatchExecuteStatement', batchExecuteStatementShape],
  ['BatchGetItem', batchGetItemShape],
  ['BatchWriteItem', batchWriteItemShape],
  ['CreateTable', createTableShape],
  ['DeleteItem', deleteItemShape],
  ['DeleteTable', deleteTableShape],
  ['DescribeContinuousBackups', describeContinuousBackupsShape],
  ['DescribeEndpoints', describeEndpointsShape],
  ['DescribeLimits', describeLimitsShape],
  ['DescribeStream', describeStreamShape],
  ['DescribeTable', describeTableShape],
  ['DescribeTimeToLive', describeTimeToLiveShape],
  ['ExecuteStatement', executeStatementShape],
  ['ExecuteTransaction', executeTransactionShape],
  ['GetItem', getItemShape],
  ['GetRecords', getRecordsShape],
  ['GetShardIterator', getShardIteratorShape],
  ['ListStreams', listStreamsShape],
  ['ListTables', listTablesShape],
  ['ListTagsOfResource', listTagsOfResourceShape],
  ['PutItem', putItemShape],
  ['Query', queryShape],
  ['Scan', scanShape],
  ['TagResource', tagResourceShape],
  ['TransactGetItems', transactGetItemsShape],
  ['TransactWriteItems', transactWriteItemsShape],
  ['UntagResource', untagResourceShape],
  ['UpdateItem', updateItemShape],
  ['UpdateTable', updateTableShape],
  ['UpdateTimeToLive', updateTimeToLiveShape],
  ['DescribeTableReplicaAutoScaling', describeTableReplicaAutoScalingShape],
  ['UpdateTableReplicaAutoScaling', updateTableReplicaAutoScalingShape],
  ['CreateGlobalTable', createGlobalTableShape],
  ['DescribeGlobalTable', globalTableByNameShape('DescribeGlobalTableInput')],
  ['UpdateGlobalTable', updateGlobalTableShape],
  ['ListGlobalTables', listGlobalTablesShape],
  ['DescribeGlobalTableSettings', globalTableByNameShape('DescribeGlobalTableSettingsInput')],
  ['UpdateGlobalTableSettings', updateGlobalTableSettingsShape],
  ['ImportTable', importTableShape],
  ['DescribeImport', describeImportShape],
  ['ListImports', listImportsShape],
  ['UpdateContinuousBackups', updateContinuousBackupsShape],
  ['CreateBackup', createBackupShape],
  ['DescribeBackup', describeBackupShape],
  ['DeleteBackup', deleteBackupShape],
  ['ListBackups', listBackupsShape],
  ['RestoreTableFromBackup', restoreTableFromBackupShape],
  ['RestoreTableToPointInTime', restoreTableToPointInTimeShape],
  ['ExportTableToPointInTime', exportTableToPointInTimeShape],
  ['DescribeExport', describeExportShape],
  ['ListExports', listExportsShape],
  ['EnableKinesisStreamingDestination', enableKinesisStreamingDestinationShape],
  ['DisableKinesisStreamingDestination', disableKinesisStreamingDestinationShape],
  ['DescribeKinesisStreamingDestination', describeKinesisStreamingDestinationShape],
  ['UpdateKinesisStreamingDestination', updateKinesisStreamingDestinationShape],
])
