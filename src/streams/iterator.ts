/**
 * Shard iterators are stateless tokens, `<StreamArn>|1|<opaque>` as on DynamoDB: the opaque part
 * holds the shard, the position (read changes after this sequence) and the issue time, signed
 * (security/token-signing.ts) so clients cannot forge positions; they survive a restart and
 * expire 15 minutes after they are issued, like DynamoDB's.
 */
import type { StorageEngine } from '../storage/engine.js'
import { isTokenSignature, tokenSignature } from '../security/token-signing.js'

/** DynamoDB Streams iterators expire 15 minutes after they are returned. */
export const iteratorLifetimeMs = 15 * 60 * 1000

export interface IteratorPosition {
  streamArn: string
  shardId: string
  /** The next GetRecords returns changes with a sequence above this one. */
  afterSequence: number
  issuedMs: number
}

export async function encodeIterator(storage: StorageEngine, position: IteratorPosition): Promise<string> {
  const body = Buffer.from(`${position.shardId}|${position.afterSequence}|${position.issuedMs}`).toString('base64url')
  const signature = await tokenSignature(storage, `${position.streamArn}|${body}`)
  return `${position.streamArn}|1|${body}.${signature}`
}

/** The position a token holds, or undefined when it is not a token this server signed. */
export async function decodeIterator(storage: StorageEngine, token: string): Promise<IteratorPosition | undefined> {
  const versionAt = token.lastIndexOf('|1|')
  if (versionAt <= 0) return undefined
  const streamArn = token.slice(0, versionAt)
  const [body, signatureText, extra] = token.slice(versionAt + 3).split('.')
  if (body === undefined || signatureText === undefined || extra !== undefined) return undefined
  if (!await isTokenSignature(storage, `${streamArn}|${body}`, signatureText)) return undefined
  const [shardId, after, issued] = Buffer.from(body, 'base64url').toString().split('|')
  const afterSequence = Number(after)
  const issuedMs = Number(issued)
  if (!shardId || !Number.isSafeInteger(afterSequence) || !Number.isSafeInteger(issuedMs)) return undefined
  return { streamArn, shardId, afterSequence, issuedMs }
}
