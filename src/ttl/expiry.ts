/**
 * When an item counts as expired. The TTL attribute must be a top-level Number holding epoch
 * seconds; anything else never expires
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html).
 *
 * The write path stores every finite Number as the item's expiry (expiryOf in
 * items/write-item.ts) because whether a value is "too old" depends on the clock; the
 * sweeper applies that rule here, at the moment it decides.
 */
import type { Item } from '../values/types.js'

/**
 * DynamoDB ignores expiry times more than five years in the past, which guards against values
 * written in milliseconds or by mistake. Five 365-day years, in seconds.
 */
export const ignoredExpiryAgeSeconds = 5 * 365 * 24 * 60 * 60

/**
 * The expiry DynamoDB honours for `item` at `nowSeconds`: its TTL attribute as a finite Number
 * that is not more than five years in the past; undefined when the item never expires.
 */
export function honouredExpiryOf(item: Item, ttlAttribute: string, nowSeconds: number): number | undefined {
  const value = item[ttlAttribute]
  if (!value || !('N' in value)) return undefined
  const seconds = Number(value.N)
  if (!Number.isFinite(seconds)) return undefined
  return seconds < nowSeconds - ignoredExpiryAgeSeconds ? undefined : seconds
}

/** Whether `item` has expired at `nowSeconds` (the same "at or before" the expiry index uses). */
export function isExpired(item: Item, ttlAttribute: string, nowSeconds: number): boolean {
  const expiry = honouredExpiryOf(item, ttlAttribute, nowSeconds)
  return expiry !== undefined && expiry <= nowSeconds
}
