/**
 * Cache keys and size estimates. Item-cache keys are (table, canonical primary key); query-cache
 * keys are a canonical serialization of every result-affecting request parameter (spec A11.3-4).
 * Values may come in the DynamoDB JSON form (binary as base64 text) or in the SDK v3 form (binary
 * as Uint8Array): both give the same key.
 */
import { parseNumber } from '../../values/number.js'
import { canonicalJson } from '../../values/canonical-json.js'

/** Deeper than any valid request: AttributeValues nest at most 32 levels inside a few wrappers. */
const canonicalDepthMax = 48

/** What a cache entry costs besides its contents (map slot, entry object, key string). */
export const entryOverheadBytes = 64

/** Request members that never change a Query or Scan result. */
const resultNeutralMembers = new Set(['ReturnConsumedCapacity', 'ConsistentRead'])

/**
 * The item-cache key of `key` (the key attributes only) in `tableName`, or undefined when a key
 * value is malformed (the upstream will reject the request; nothing is cached). Every name and
 * value is written after its length, so no text inside them can make two keys collide; a hit
 * computes this on every read, so it is built as one string rather than serialized.
 */
export function itemCacheKey(tableName: string, key: Record<string, unknown>): string | undefined {
  const names = Object.keys(key)
  if (names.length > 1) names.sort()
  let text = `${tableName.length}:${tableName}`
  for (const name of names) {
    const value = key[name] as Record<string, unknown> | undefined
    if (value === null || typeof value !== 'object') return undefined
    let type: string | undefined
    for (const member in value) { type = member; break }
    const scalar = type === undefined ? undefined : canonicalScalar(type, value[type])
    if (scalar === undefined) return undefined
    // type is one letter (S, N or B) whenever canonicalScalar gave a value.
    text += `|${name.length}:${name}${type}${scalar.length}:${scalar}`
  }
  return text
}

function canonicalScalar(type: string, value: unknown): string | undefined {
  if (type === 'S' && typeof value === 'string') return value
  if (type === 'B') return binaryText(value)
  if (type === 'N' && typeof value === 'string') {
    try {
      return parseNumber(value)
    } catch {
      return undefined
    }
  }
  return undefined
}

function binaryText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  return undefined
}

/** The query-cache key of a Query or Scan request, or undefined when it cannot be serialized. */
export function queryCacheKey(operation: 'Query' | 'Scan', input: Record<string, unknown>, tableGeneration: number): string | undefined {
  const members: Record<string, unknown> = {}
  for (const name in input) {
    if (!resultNeutralMembers.has(name)) members[name] = input[name]
  }
  const text = canonicalJson(members, canonicalDepthMax)
  return text === undefined ? undefined : `${operation}\u0000${tableGeneration}\u0000${text}`
}

/**
 * Estimated bytes a cached value holds in memory: its objects as V8 lays them out (a header per
 * object, array and string, a slot and a name per member) plus its JSON text, which a hit over
 * HTTP keeps beside it (CachedReply). Counting only characters, as this once did, an item of
 * 40,000 number attributes came to 1.1 MB where it takes 2.9 MB of heap as objects and 0.9 MB
 * as text, so the cache held several times its budget (a cost-amplification probe: 265 MB
 * estimated, 2.8 GB of RSS). A value of one long string is about its length twice.
 */
export function estimateSizeBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return 16 + 2 * value.length
  if (value === null || typeof value !== 'object') return 16
  if (value instanceof Uint8Array) return 64 + 2 * value.byteLength
  if (depth > canonicalDepthMax) return 0
  if (Array.isArray(value)) {
    let size = 16
    for (const element of value) size += 9 + estimateSizeBytes(element, depth + 1)
    return size
  }
  let size = 24
  const record = value as Record<string, unknown>
  for (const name in record) size += 28 + 2 * name.length + estimateSizeBytes(record[name], depth + 1)
  return size
}
