/**
 * A SELECT's NextToken: the key the next page starts after, the request it was made for (a digest
 * of the statement and its parameters) and when. As in DynamoDB, a token is refused with
 * another statement ("NextToken does not match request": a token from a read of one index
 * replayed against another, an AWS-validated case of the dynamodb-conformance suite) and after
 * an hour ("Given NextToken has already expired"; the words and the hour as DynamoDB Local's
 * PartiQL layer has them). The Limit may change from page to page.
 */
import { createHash } from 'node:crypto'
import { ValidationException } from '../errors.js'
import type { AttributeValue, Item } from '../values/types.js'

const nextTokenLifetimeMs = 60 * 60 * 1000

/** What a token is checked against: the request's statement and parameters. */
export interface TokenRequest {
  Statement?: string
  Parameters?: AttributeValue[]
}

interface TokenContent {
  key?: unknown
  /** The request's digest; absent in tokens made before it was kept (accepted). */
  request?: unknown
  /** When the token was made, epoch ms; absent in older tokens too. */
  madeMs?: unknown
}

function requestDigest(request: TokenRequest): string {
  return createHash('sha256').update(`${request.Statement ?? ''}\u0000${JSON.stringify(request.Parameters ?? [])}`)
    .digest('base64url').slice(0, 22)
}

export function encodeNextToken(lastEvaluatedKey: Item, request: TokenRequest, nowMs: number): string {
  const content: TokenContent = { key: lastEvaluatedKey, request: requestDigest(request), madeMs: nowMs }
  return Buffer.from(JSON.stringify(content)).toString('base64')
}

/** The key to start after; ValidationException for a token that is not one, or not this request's. */
export function decodeNextToken(token: string, request: TokenRequest, nowMs: number): Item {
  let content: TokenContent | undefined
  try {
    content = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as TokenContent
  } catch {
    // Refused below.
  }
  const key = content?.key
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new ValidationException('The provided NextToken is invalid')
  if (content!.request !== undefined && content!.request !== requestDigest(request)) {
    throw new ValidationException('NextToken does not match request')
  }
  if (typeof content!.madeMs === 'number' && nowMs - content!.madeMs >= nextTokenLifetimeMs) {
    throw new ValidationException('Given NextToken has already expired')
  }
  return key as Item
}
