/**
 * MaxResults / NextToken paging shared by the Describe* operations. The token is opaque to
 * clients; ours is a non-negative integer, base64url-encoded: the offset of the next entry, or
 * for DescribeEvents the sequence number of the next event (events.ts).
 */
import { InvalidParameterValueException } from './errors.js'

/** "The value for MaxResults must be between 20 and 100"; larger values are served as 100. */
export const pageSizeMax = 100

export interface Page<T> {
  entries: T[]
  nextToken?: string
}

export function pageOf<T>(all: readonly T[], maxResults: number | undefined, nextToken: string | undefined): Page<T> {
  const start = nextToken === undefined ? 0 : integerOfToken(nextToken)
  const size = pageSizeOf(maxResults)
  const entries = all.slice(start, start + size)
  const next = start + size
  return next < all.length ? { entries, nextToken: tokenOf(next) } : { entries }
}

/** How many entries a page holds: MaxResults, within 1 and pageSizeMax. */
export function pageSizeOf(maxResults: number | undefined): number {
  return Math.min(Math.max(maxResults ?? pageSizeMax, 1), pageSizeMax)
}

export function tokenOf(position: number): string {
  return Buffer.from(String(position)).toString('base64url')
}

export function integerOfToken(token: string): number {
  const position = Number(Buffer.from(token, 'base64url').toString('utf8'))
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new InvalidParameterValueException(`Invalid NextToken: ${token}`)
  }
  return position
}
