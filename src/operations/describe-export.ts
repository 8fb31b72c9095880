/** DescribeExport: an export's description, by its ARN. */
import type { OperationHandler } from '../api/context.js'
import { ExportNotFoundException, ValidationException } from '../errors.js'
import { readExport, runningExports } from '../exports/export-record.js'
import { jobArnPattern } from '../s3/jobs.js'

const exportArn = jobArnPattern('export')

export const describeExport: OperationHandler<{ ExportArn: string }> = async (ctx, input) => {
  if (!exportArn.test(input.ExportArn)) throw new ValidationException('Invalid Export ARN')
  const job = await readExport(ctx, input.ExportArn)
  if (!job) throw new ExportNotFoundException(`Export not found: ${input.ExportArn}`)
  // EddyDB counts as it goes (DynamoDB shows ItemCount only at the end): progress bars use it.
  const live = runningExports.get(input.ExportArn)
  const description = live && job.description.ExportStatus === 'IN_PROGRESS' ? { ...job.description, ItemCount: live.items } : job.description
  return { ExportDescription: description }
}
