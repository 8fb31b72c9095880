/**
 * Opaque tokens handed to clients (shard iterators, ListShards' NextToken): base64 of a small
 * JSON payload with the time it was issued, so expiry needs no server-side state and survives a
 * restart. Kinesis lets both live 5 minutes.
 */
export const tokenLifetimeMs = 5 * 60_000

export function encodeToken(payload: object): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64')
}

/** The payload, or undefined when the text is not a token of ours. */
export function decodeToken<T extends object>(text: string, isValid: (value: any) => boolean): T | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64').toString('utf8'))
    return value !== null && typeof value === 'object' && isValid(value) ? (value as T) : undefined
  } catch {
    return undefined
  }
}
