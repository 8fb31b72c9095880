/**
 * DescribeContinuousBackups: whether point-in-time recovery is on, and the window it gives
 * (history/continuous-backups.ts). Terraform's aws_dynamodb_table reads it on every refresh.
 */
import type { OperationHandler } from '../api/context.js'
import { requireTable } from '../backups/table-ref.js'
import { describeContinuousBackupsOf } from '../history/continuous-backups.js'

export const describeContinuousBackups: OperationHandler<{ TableName: string }> = async (ctx, input) => ({
  ContinuousBackupsDescription: await describeContinuousBackupsOf(ctx, requireTable(ctx, input.TableName)),
})
