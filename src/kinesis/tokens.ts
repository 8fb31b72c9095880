/**
 * Opaque tokens handed to clients (shard iterators, ListShards' NextToken): a small JSON payload
 * with the time it was issued, base64url, then a dot and its signature (security/token-signing.ts),
 * so expiry needs no server-side state and survives a restart, and a client can neither forge
 * nor edit one (an iterator moved back, or an issue time moved on to outlive its 5 minutes).
 */
import type { StorageEngine } from '../storage/engine.js'
import { isTokenSignature, tokenSignature } from '../security/token-signing.js'

export const tokenLifetimeMs = 5 * 60_000

export async function encodeToken(storage: StorageEngine, payload: object): Promise<string> {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')
  return `${body}.${await tokenSignature(storage, body)}`
}

/** The payload, or undefined when the text is not a token this server signed. */
export async function decodeToken<T extends object>(storage: StorageEngine, text: string, isValid: (value: any) => boolean): Promise<T | undefined> {
  const [body, signature, extra] = text.split('.')
  if (body === undefined || signature === undefined || extra !== undefined) return undefined
  if (!await isTokenSignature(storage, body, signature)) return undefined
  return peekToken(text, isValid)
}

/**
 * Whether the text is a token of an EddyDB from before tokens were signed: its payload with no
 * signature. Held across an upgrade, it is answered as expired, which clients handle by asking
 * for a new one (an unsigned token is never read: it could say anything).
 */
export function isUnsignedToken(text: string, isValid: (value: any) => boolean): boolean {
  return !text.includes('.') && peekToken(text, isValid) !== undefined
}

/**
 * The payload without checking the signature: only for what may trust a client's word, such as
 * the stream an authorization check names (the operation then checks the token itself).
 */
export function peekToken<T extends object>(text: string, isValid: (value: any) => boolean): T | undefined {
  try {
    const value = JSON.parse(Buffer.from(text.split('.')[0]!, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && isValid(value) ? (value as T) : undefined
  } catch {
    return undefined
  }
}
