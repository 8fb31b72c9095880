/**
 * The ids of long-running jobs and what they make (backups, exports, imports, bulk operations),
 * in DynamoDB's one form: the 14-digit zero-padded epoch milliseconds of the request, '-', 8
 * lowercase hex digits (`01489602797149-73d8d5bc`). Tools parse the time back out of it.
 */
import { randomBytes } from 'node:crypto'

export function newJobId(nowMs: number): string {
  return `${String(Math.floor(nowMs)).padStart(14, '0')}-${randomBytes(4).toString('hex')}`
}
