/**
 * RestoreTableToPointInTime: a new table with the source's items as they were at
 * RestoreDateTime (or now, with UseLatestRestorableTime), exact to the millisecond, and the
 * source's current settings with the request's overrides (backups/restored-table-record.ts).
 */
import type { OperationHandler } from '../api/context.js'
import { restoredTableRecord } from '../backups/restored-table-record.js'
import { checkTargetName, startRestore } from '../backups/restore-table.js'
import { findTable } from '../backups/table-ref.js'
import { InvalidRestoreTimeException, PointInTimeRecoveryUnavailableException, TableNotFoundException, ValidationException } from '../errors.js'
import { instantInWindowMs, pitrWindow } from '../history/pitr.js'
import type { RestoreTableToPointInTimeInput } from '../shapes/backups.js'

/**
 * A SourceTableArn that is not a table's ARN of this account, in DynamoDB's words (an API-quirks
 * lab, against AWS, 2026-10, DDB-TABLE-272): not TableNotFoundException.
 */
function checkSourceTableArn(arn: string, accountId: string): void {
  if (!arn.startsWith('arn:')) throw new ValidationException(`One or more parameter values were invalid: ARNs must start with 'arn:': ${arn}`)
  const parts = /^arn:[^:]+:dynamodb:[^:]*:([^:]*):table\/[^/]+$/.exec(arn)
  if (!parts) throw new ValidationException('sourceTableArn is not a valid ARN')
  if (parts[1] !== accountId) throw new ValidationException('This action is only supported by accounts that match the resource owner’s account.')
}

export const restoreTableToPointInTime: OperationHandler<RestoreTableToPointInTimeInput> = async (ctx, input) => {
  if (input.SourceTableArn !== undefined) checkSourceTableArn(input.SourceTableArn, ctx.accountId)
  const sourceName = input.SourceTableArn ?? input.SourceTableName!
  const source = findTable(ctx, sourceName)
  if (!source) throw new TableNotFoundException(`Table not found: ${sourceName}`)
  // DynamoDB checks the source's recovery and the time before the target's name (DDB-TABLE-100 of an API-quirks lab).
  const window = await pitrWindow(ctx, source.description.TableId)
  if (!window) {
    throw new PointInTimeRecoveryUnavailableException(`Point in time recovery is not enabled for table '${source.description.TableName}'`)
  }
  const asOfMs = input.UseLatestRestorableTime ? window.latestMs : instantInWindowMs(input.RestoreDateTime!, window)
  if (asOfMs < window.earliestMs || asOfMs > window.latestMs) {
    throw new InvalidRestoreTimeException('RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime')
  }
  checkTargetName(ctx, input.TargetTableName)
  const placement = { region: ctx.region, accountId: ctx.accountId, nowMs: ctx.clock.now() }
  const record = restoredTableRecord(source.description, input, placement, {
    summary: { SourceTableArn: source.description.TableArn, RestoreDateTime: asOfMs / 1000, RestoreInProgress: true },
  })
  return startRestore(ctx, record, {
    kind: 'point-in-time', tableId: source.description.TableId, asOfMicros: asOfMs * 1000,
    ...(input.UseLatestRestorableTime && { latest: true }),
  })
}
