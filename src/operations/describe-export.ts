/** DescribeExport: an export's description, by its ARN. */
import type { OperationHandler } from '../api/context.js'
import { AccessDeniedException, ExportNotFoundException, ValidationException } from '../errors.js'
import { readExport, runningExports } from '../exports/export-record.js'
import { jobArnPattern } from '../s3/jobs.js'
import { arnPartition } from '../region-names.js'

const exportArn = jobArnPattern('export')

/**
 * An ARN of another partition, service, region or account is not this account's to read: access
 * is denied before its form is looked at; anything else not an export's ARN is invalid
 * (Alternator's test_describe_export_incorrect_arn_1 to _5, run against DynamoDB).
 */
export const describeExport: OperationHandler<{ ExportArn: string }> = async (ctx, input) => {
  const [prefix, partition, service, region, account] = input.ExportArn.split(':')
  if (prefix === 'arn' && (partition !== arnPartition(ctx.region) || service !== 'dynamodb' || region !== ctx.region || account !== ctx.accountId)) {
    throw new AccessDeniedException('Access is denied')
  }
  if (!exportArn.test(input.ExportArn)) throw new ValidationException('Invalid Export ARN')
  const job = await readExport(ctx, input.ExportArn)
  if (!job) throw new ExportNotFoundException(`Export not found: ${input.ExportArn}`)
  // EddyDB counts as it goes (DynamoDB shows ItemCount only at the end): progress bars use it.
  const live = runningExports.get(input.ExportArn)
  const description = live && job.description.ExportStatus === 'IN_PROGRESS' ? { ...job.description, ItemCount: live.items } : job.description
  return { ExportDescription: description }
}
