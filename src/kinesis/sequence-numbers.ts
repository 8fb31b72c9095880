/**
 * Sequence numbers. Inside storage a record has an `ordinal` within its shard: the arrival time in
 * milliseconds times 1024 plus a counter, kept strictly increasing (a burst of more than 1024
 * records in one millisecond borrows from the next). So ordinals order a shard's records, and a
 * time maps to an ordinal bound (AT_TIMESTAMP, retention) without an index on time.
 *
 * On the wire a sequence number is a 56-digit decimal string, as Kinesis's are: '49', the
 * ordinal (20 digits), the shard index (10 digits) and the stream's creation time (24 digits).
 * Numeric order within a shard is ordinal order, which is what the KCL compares.
 */
import { InvalidArgumentException } from './errors.js'

export const ordinalsPerMs = 1024

export function firstOrdinalAt(ms: number): number {
  return ms * ordinalsPerMs
}

/** The next ordinal of a shard whose newest record has `lastOrdinal` (0 when it has none). */
export function nextOrdinal(lastOrdinal: number, nowMs: number): number {
  return Math.max(lastOrdinal + 1, firstOrdinalAt(nowMs))
}

export function formatSequenceNumber(ordinal: number, shardIndex: number, streamCreatedMs: number): string {
  return `49${String(ordinal).padStart(20, '0')}${String(shardIndex).padStart(10, '0')}${String(streamCreatedMs).padStart(24, '0')}`
}

export interface ParsedSequenceNumber {
  ordinal: number
  shardIndex: number
  streamCreatedMs: number
}

const sequencePattern = /^49(\d{20})(\d{10})(\d{24})$/

/** Undefined when the text is not one of our sequence numbers. */
export function parseSequenceNumber(text: string): ParsedSequenceNumber | undefined {
  const match = sequencePattern.exec(text)
  if (!match) return undefined
  return { ordinal: Number(match[1]), shardIndex: Number(match[2]), streamCreatedMs: Number(match[3]) }
}

/** The ordinal of a sequence number given for one shard of one stream, or InvalidArgumentException. */
export function ordinalFor(text: string, shardIndex: number, streamCreatedMs: number, shardId: string, streamName: string): number {
  const parsed = parseSequenceNumber(text)
  if (!parsed || parsed.shardIndex !== shardIndex || parsed.streamCreatedMs !== streamCreatedMs) {
    throw new InvalidArgumentException(
      `Invalid StartingSequenceNumber. It encodes ${parsed ? `shardId-${String(parsed.shardIndex).padStart(12, '0')}` : 'no shard'}, ` +
      `while it was used in a call to a shard with ${shardId} in stream ${streamName}`)
  }
  return parsed.ordinal
}
