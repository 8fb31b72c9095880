/**
 * The two DAX parameters (record-ttl-millis, query-ttl-millis) and the node's memory budget,
 * with DAX's defaults and DAX's meaning of 0 (spec Part A3):
 *  - record-ttl-millis = 0: item-cache entries never expire by time (only LRU or a write replaces them);
 *  - query-ttl-millis = 0: Query and Scan results are not cached at all.
 */
import type { DaxCacheSettings } from '../node-api.js'

/** DAX's default for both TTL parameters: five minutes. */
export const daxTtlMillisDefault = 300_000

/** The default memory budget shared by the item and query caches. */
export const cacheSizeBytesDefault = 256 * 1024 * 1024

export const defaultDaxCacheSettings: DaxCacheSettings = {
  recordTtlMillis: daxTtlMillisDefault,
  queryTtlMillis: daxTtlMillisDefault,
  cacheSizeBytes: cacheSizeBytesDefault,
  coherent: false,
}

/** Fills what `partial` leaves out with the defaults; rejects negative or fractional values. */
export function resolveCacheSettings(partial: Partial<DaxCacheSettings> = {}): DaxCacheSettings {
  const settings = { ...defaultDaxCacheSettings, ...withoutUndefined(partial) }
  for (const name of ['recordTtlMillis', 'queryTtlMillis', 'cacheSizeBytes'] as const) {
    const value = settings[name]
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`DAX cache setting ${name} must be a non-negative integer, got ${String(value)}`)
    }
  }
  return settings
}

/**
 * Whether an entry written at `writtenAtMillis` is still served (0 TTL = never expires). One
 * written "in the future" (the clock has since stepped back) is not: its age is unknown, and it
 * would otherwise be served for the whole step and its TTL.
 */
export function isFresh(writtenAtMillis: number, ttlMillis: number, nowMillis: number): boolean {
  if (ttlMillis === 0) return true
  const age = nowMillis - writtenAtMillis
  return age >= 0 && age < ttlMillis
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
