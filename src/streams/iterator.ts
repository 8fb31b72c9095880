/**
 * Shard iterators are stateless tokens, `<StreamArn>|1|<opaque>` as on DynamoDB: the opaque part
 * holds the shard, the position (read changes after this sequence) and the issue time, signed
 * with an HMAC so clients cannot forge positions. The key lives in the state store, so iterators
 * survive a restart; they expire 15 minutes after they are issued, like DynamoDB's.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { StorageEngine } from '../storage/engine.js'

/** DynamoDB Streams iterators expire 15 minutes after they are returned. */
export const iteratorLifetimeMs = 15 * 60 * 1000

const secretNamespace = 'stream-secrets'
const secretKey = 'iterator-hmac'
const signatureBytes = 16

export interface IteratorPosition {
  streamArn: string
  shardId: string
  /** The next GetRecords returns changes with a sequence above this one. */
  afterSequence: number
  issuedMs: number
}

/** One key per storage (region); read once, created by whichever request needs it first. */
const secrets = new WeakMap<StorageEngine, Promise<Buffer>>()

function secretOf(storage: StorageEngine): Promise<Buffer> {
  let secret = secrets.get(storage)
  if (!secret) {
    secret = storage.transact(async (tx) => {
      const stored = await tx.getState(secretNamespace, secretKey)
      if (stored !== undefined) return Buffer.from(stored, 'base64')
      const created = randomBytes(32)
      await tx.putState(secretNamespace, secretKey, created.toString('base64'))
      return created
    })
    secrets.set(storage, secret)
    secret.catch(() => secrets.delete(storage))
  }
  return secret
}

function signatureOf(secret: Buffer, streamArn: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${streamArn}|${body}`).digest().subarray(0, signatureBytes)
}

export async function encodeIterator(storage: StorageEngine, position: IteratorPosition): Promise<string> {
  const body = Buffer.from(`${position.shardId}|${position.afterSequence}|${position.issuedMs}`).toString('base64url')
  const signature = signatureOf(await secretOf(storage), position.streamArn, body).toString('base64url')
  return `${position.streamArn}|1|${body}.${signature}`
}

/** The position a token holds, or undefined when it is not a token this server signed. */
export async function decodeIterator(storage: StorageEngine, token: string): Promise<IteratorPosition | undefined> {
  const versionAt = token.lastIndexOf('|1|')
  if (versionAt <= 0) return undefined
  const streamArn = token.slice(0, versionAt)
  const [body, signatureText, extra] = token.slice(versionAt + 3).split('.')
  if (body === undefined || signatureText === undefined || extra !== undefined) return undefined
  const signature = Buffer.from(signatureText, 'base64url')
  const expected = signatureOf(await secretOf(storage), streamArn, body)
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return undefined
  const [shardId, after, issued] = Buffer.from(body, 'base64url').toString().split('|')
  const afterSequence = Number(after)
  const issuedMs = Number(issued)
  if (!shardId || !Number.isSafeInteger(afterSequence) || !Number.isSafeInteger(issuedMs)) return undefined
  return { streamArn, shardId, afterSequence, issuedMs }
}
