import type { OperationHandler } from '../api/context.js'
import { TableNotFoundException } from '../errors.js'

/**
 * DescribeContinuousBackups: what tools such as Terraform read for every table. Point-in-time
 * recovery is not available yet, so it is reported DISABLED (continuous backups themselves are
 * always ENABLED on DynamoDB, and are reported so).
 */
export const describeContinuousBackups: OperationHandler = async (ctx, input: { TableName: string }) => {
  if (!ctx.catalog.get(input.TableName)) throw new TableNotFoundException(`Table not found: ${input.TableName}`)
  return {
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  }
}
