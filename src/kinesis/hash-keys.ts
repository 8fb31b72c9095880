/**
 * Kinesis's hash key space: a partition key's MD5 read as an unsigned 128-bit integer picks the
 * shard whose [StartingHashKey, EndingHashKey] holds it. Keys travel as decimal strings.
 */
import { md5Digest } from '../md5.js'

export const hashKeyMax = (1n << 128n) - 1n

export function hashKeyOfPartitionKey(partitionKey: string): bigint {
  return BigInt(`0x${md5Digest(partitionKey).toString('hex')}`)
}

/** `count` contiguous ranges splitting [start, end] as evenly as integers allow. */
export function evenRanges(count: number, start = 0n, end = hashKeyMax): Array<{ start: bigint; end: bigint }> {
  const size = end - start + 1n
  const ranges: Array<{ start: bigint; end: bigint }> = []
  for (let index = 0; index < count; index++) {
    const from = start + (size * BigInt(index)) / BigInt(count)
    const to = start + (size * BigInt(index + 1)) / BigInt(count) - 1n
    ranges.push({ start: from, end: to })
  }
  return ranges
}
