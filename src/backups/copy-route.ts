/**
 * `POST /_eddydb/backups/copy` with `{"BackupArn": ARN, "TargetRegion": R}`: copies a backup into
 * region R's namespace on this server (copy-backup.ts); what `eddydb backup copy ARN --to-region R`
 * sends. The source region is the one the ARN names. The reply is `{"BackupDetails": {...}}` of
 * the copy (CREATING until its items are in, then AVAILABLE: DescribeBackup in R tells), or a
 * DynamoDB-style error body (`__type`, `message`) with its status.
 */
import type { PathRoute, RestReply, RestRequest } from '../http/server.js'
import { errorRouteReply, jsonRouteReply } from '../http/route-replies.js'
import type { Regions } from '../regions.js'
import { DynamoError, InvalidSignatureException, ValidationException } from '../errors.js'
import { copyBackup, placeOfBackupArn } from './copy-backup.js'
import { backupDetails } from './describe.js'

export const copyBackupPath = '/_eddydb/backups/copy'

/** The request's two members, or a ValidationException naming what is wrong. */
function parseCopyRequest(body: string): { backupArn: string; source: { region: string; accountId: string }; targetRegion: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new ValidationException('The body must be JSON: {"BackupArn": "...", "TargetRegion": "..."}')
  }
  const { BackupArn: backupArn, TargetRegion: targetRegion } = (parsed ?? {}) as Record<string, unknown>
  if (typeof backupArn !== 'string') throw new ValidationException('BackupArn is required: the ARN of the backup to copy')
  if (typeof targetRegion !== 'string' || targetRegion === '') throw new ValidationException('TargetRegion is required: the region to copy the backup into')
  const source = placeOfBackupArn(backupArn)
  if (source === undefined) throw new ValidationException(`Invalid BackupArn: ${backupArn}`)
  return { backupArn, source, targetRegion }
}

export function copyBackupRoute(regions: Regions): PathRoute {
  return {
    prefix: copyBackupPath,
    async handle(request: RestRequest): Promise<RestReply> {
      if (request.path !== copyBackupPath) return { status: 404 }
      if (request.method !== 'POST') return { status: 405, headers: { Allow: 'POST' } }
      try {
        const wanted = parseCopyRequest(request.body)
        const source = await regions.get(wanted.source.region, wanted.source.accountId)
        const target = await Promise.resolve(regions.get(wanted.targetRegion, wanted.source.accountId)).catch((error: unknown) => {
          if (!(error instanceof InvalidSignatureException)) throw error
          throw new ValidationException(`TargetRegion ${wanted.targetRegion} is not a region this server serves (see --regions)`)
        })
        const copied = await copyBackup(source, target, wanted.backupArn)
        return jsonRouteReply(200, { BackupDetails: backupDetails(copied) })
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error
        return errorRouteReply(error)
      }
    },
  }
}
