/**
 * ClientRequestToken for TransactWriteItems: a repeated token within 10 minutes returns the
 * first call's result without applying it again; the same token with other parameters is an
 * error. Tokens live in memory, per region, bounded in count.
 */
import { IdempotentParameterMismatchException } from '../errors.js'

/** DynamoDB's idempotency window. */
export const idempotencyWindowMs = 10 * 60 * 1000
/** Tokens remembered at once per region; the oldest are dropped first. */
const tokensMax = 100_000

interface Remembered {
  fingerprint: string
  atMs: number
  result: object
}

export class IdempotencyCache {
  readonly #tokens = new Map<string, Remembered>()

  /** The earlier result for this token, if any; throws if the token came with other parameters. */
  lookup(token: string, fingerprint: string, nowMs: number): object | undefined {
    const remembered = this.#tokens.get(token)
    if (!remembered || nowMs - remembered.atMs > idempotencyWindowMs) return undefined
    if (remembered.fingerprint !== fingerprint) {
      throw new IdempotentParameterMismatchException('The request uses the same client token as a previous, but non-identical request.')
    }
    return remembered.result
  }

  remember(token: string, fingerprint: string, nowMs: number, result: object): void {
    this.#tokens.delete(token)
    this.#tokens.set(token, { fingerprint, atMs: nowMs, result })
    for (const [oldest, entry] of this.#tokens) {
      if (this.#tokens.size <= tokensMax && nowMs - entry.atMs <= idempotencyWindowMs) break
      this.#tokens.delete(oldest)
    }
  }
}

const caches = new WeakMap<object, IdempotencyCache>()

/** One cache per region (keyed by the region's storage engine). */
export function idempotencyCacheFor(owner: object): IdempotencyCache {
  let cache = caches.get(owner)
  if (!cache) caches.set(owner, (cache = new IdempotencyCache()))
  return cache
}
