/** DescribeImport: an import's description, with live counters while it runs. */
import type { OperationHandler } from '../api/context.js'
import { ImportNotFoundException, ValidationException } from '../errors.js'
import { readImport, withLiveCounters } from '../imports/import-record.js'
import { jobArnPattern } from '../s3/jobs.js'

const importArn = jobArnPattern('import')

export const describeImport: OperationHandler<{ ImportArn: string }> = async (ctx, input) => {
  if (!importArn.test(input.ImportArn)) throw new ValidationException('Invalid Import ARN')
  const description = await readImport(ctx, input.ImportArn)
  if (!description) throw new ImportNotFoundException(`Import not found: ${input.ImportArn}`)
  return { ImportTableDescription: withLiveCounters(description) }
}
