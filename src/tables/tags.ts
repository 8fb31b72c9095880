/**
 * Tag rules shared by CreateTable, TagResource and UntagResource. DynamoDB reports these as
 * ValidationExceptions (even the 50-tag limit).
 */
import { ValidationException } from '../errors.js'
import type { Tag } from './record.js'

/** DynamoDB's limit on tags per resource. */
export const tagsPerResourceMax = 50
export const tagKeyLengthMax = 128
export const tagValueLengthMax = 256
/** The bytes of every key and value a resource's tags may add up to (DDB-TABLE-109 of an API-quirks lab, against AWS, 2026-10). */
export const tagSetBytesMax = 10_240

// AWS tag rules: Unicode letters, digits, white space and _ . : / = + - @
const tagText = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && key.length >= 1 && key.length <= tagKeyLengthMax && tagText.test(key)
}

function isValidValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= tagValueLengthMax && tagText.test(value)
}

/** Checks tags being added; `existing` are the resource's current tags (for the limit). */
export function checkTags(tags: Tag[], existing: Tag[] = []): void {
  const seen = new Set<string>()
  for (const tag of tags) {
    if (!isValidKey(tag.Key)) throw new ValidationException(`The Tag Key provided is invalid, Key: ${String(tag.Key)}`)
    checkNotReserved(tag.Key)
    if (!isValidValue(tag.Value)) {
      throw new ValidationException(`The Tag Value provided is invalid, Value: ${tag.Value === undefined ? 'null' : String(tag.Value)}`)
    }
    if (seen.has(tag.Key)) {
      throw new ValidationException(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${tag.Key}`)
    }
    seen.add(tag.Key)
  }
  const kept = existing.filter((tag) => !seen.has(tag.Key))
  if (kept.length + seen.size > tagsPerResourceMax) {
    throw new ValidationException('Number of Tags exceed the current limit for the provided ResourceArn')
  }
  const bytes = [...kept, ...tags].reduce((sum, tag) => sum + Buffer.byteLength(tag.Key) + Buffer.byteLength(tag.Value), 0)
  if (bytes > tagSetBytesMax) throw new ValidationException(`Tag set size ${bytes} bytes is above max size limit of ${tagSetBytesMax} bytes`)
}

/** Keys AWS reserves, whatever their case, for TagResource and UntagResource alike (DDB-TABLE-105 of the same lab). */
export function checkNotReserved(key: string): void {
  if (key.toLowerCase().startsWith('aws:')) throw new ValidationException(`Tag Key cannot be prefixed with aws:, Key: ${key}`)
}

/** The tags after TagResource: new values replace old ones with the same key. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((tag) => [tag.Key, tag.Value]))
  for (const tag of added) byKey.set(tag.Key, tag.Value)
  return [...byKey].map(([Key, Value]) => ({ Key, Value }))
}

export function removeTags(existing: Tag[], keys: string[]): Tag[] {
  const removed = new Set(keys)
  return existing.filter((tag) => !removed.has(tag.Key))
}
