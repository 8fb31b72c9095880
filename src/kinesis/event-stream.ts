/**
 * The AWS event stream framing (application/vnd.amazon.eventstream) SubscribeToShard answers
 * with: each message is a prelude (total length, headers length, CRC32 of those 8 bytes), the
 * headers (name, type 7 = string, value), the payload, and a CRC32 of everything before it.
 */
import { crc32 } from 'node:zlib'

export const eventStreamContentType = 'application/vnd.amazon.eventstream'

const stringHeaderType = 7

export function eventMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerParts: Buffer[] = []
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8')
    const valueBytes = Buffer.from(value, 'utf8')
    const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length)
    header.writeUInt8(nameBytes.length, 0)
    nameBytes.copy(header, 1)
    header.writeUInt8(stringHeaderType, 1 + nameBytes.length)
    header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length)
    valueBytes.copy(header, 4 + nameBytes.length)
    headerParts.push(header)
  }
  const headerBytes = Buffer.concat(headerParts)
  const totalLength = 12 + headerBytes.length + payload.length + 4
  const message = Buffer.alloc(totalLength)
  message.writeUInt32BE(totalLength, 0)
  message.writeUInt32BE(headerBytes.length, 4)
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8)
  headerBytes.copy(message, 12)
  payload.copy(message, 12 + headerBytes.length)
  message.writeUInt32BE(crc32(message.subarray(0, totalLength - 4)), totalLength - 4)
  return message
}

/** An event of the stream (`initial-response`, `SubscribeToShardEvent`). */
export function eventOf(eventType: string, payload: Buffer, contentType: string): Buffer {
  return eventMessage({ ':message-type': 'event', ':event-type': eventType, ':content-type': contentType }, payload)
}

/** An error after the stream has started (the HTTP status is already 200). */
export function exceptionOf(errorType: string, payload: Buffer, contentType: string): Buffer {
  return eventMessage({ ':message-type': 'exception', ':exception-type': errorType, ':content-type': contentType }, payload)
}
