/**
 * The key that signs the opaque tokens handed to clients (DynamoDB Streams and Kinesis shard
 * iterators, Kinesis ListShards tokens), so that a client cannot forge or edit a position or an
 * issue time. One random key per storage (region), kept in its state store: tokens survive a
 * restart, and every node sharing the storage signs and checks alike.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { StorageEngine } from '../storage/engine.js'

const secretNamespace = 'stream-secrets'
const secretKey = 'iterator-hmac'
const signatureBytes = 16

/** One key per storage; read once, created by whichever request needs it first. */
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

/** The signature of `text` (base64url), which tokens carry beside it. */
export async function tokenSignature(storage: StorageEngine, text: string): Promise<string> {
  return signatureOf(await secretOf(storage), text).toString('base64url')
}

/** Whether `signature` is the one tokenSignature gives `text`. */
export async function isTokenSignature(storage: StorageEngine, text: string, signature: string): Promise<boolean> {
  const given = Buffer.from(signature, 'base64url')
  const expected = signatureOf(await secretOf(storage), text)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function signatureOf(secret: Buffer, text: string): Buffer {
  return createHmac('sha256', secret).update(text).digest().subarray(0, signatureBytes)
}
