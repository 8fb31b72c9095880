/**
 * MaxResults / NextToken paging shared by the Describe* operations. The token is opaque to
 * clients; ours is the offset of the next entry, base64url-encoded.
 */
import { InvalidParameterValueException } from './errors.js'

/** "The value for MaxResults must be between 20 and 100"; larger values are served as 100. */
export const pageSizeMax = 100

export interface Page<T> {
  entries: T[]
  nextToken?: string
}

export function pageOf<T>(all: readonly T[], maxResults: number | undefined, nextToken: string | undefined): Page<T> {
  const start = nextToken === undefined ? 0 : offsetOf(nextToken)
  const size = Math.min(Math.max(maxResults ?? pageSizeMax, 1), pageSizeMax)
  const entries = all.slice(start, start + size)
  const next = start + size
  return next < all.length ? { entries, nextToken: Buffer.from(String(next)).toString('base64url') } : { entries }
}

function offsetOf(token: string): number {
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'))
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidParameterValueException(`Invalid NextToken: ${token}`)
  }
  return offset
}
