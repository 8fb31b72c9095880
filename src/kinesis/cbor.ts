/**
 * Kinesis's CBOR 1.1 protocol (application/x-amz-cbor-1.1), which the Java SDKs, the KCL and the
 * KPL send by default: the JSON 1.1 shapes encoded as CBOR, except that blobs are byte strings
 * and timestamps are tag 1 values (the Java SDKs put epoch milliseconds in them). The server
 * works in JSON: a request is transcoded to JSON 1.1 text on the way in and the JSON reply to
 * CBOR on the way out, so every operation serves both protocols unchanged.
 */
import { decode, encode, Token, Type, type TagDecoder } from 'cborg'
import { KinesisSerializationException } from './errors.js'

export { cborContentType } from './cbor-media-type.js'

/** Reply members that are blobs (base64 in JSON) and timestamps (epoch seconds in JSON). */
const blobMembers = new Set(['Data'])
const timestampMember = /Timestamp$/

/** Tag 1 holds epoch seconds in standard CBOR and epoch milliseconds from the Java SDKs. */
const epochMillisecondsMin = 100_000_000_000

const tags: TagDecoder[] = []
tags[1] = (value: unknown) => new EpochTime(typeof value === 'number' && value >= epochMillisecondsMin ? value / 1000 : Number(value))

/** A decoded tag 1 value, in seconds: written to JSON as the number Kinesis JSON carries. */
class EpochTime {
  constructor(readonly seconds: number) {}
  toJSON(): number {
    return this.seconds
  }
}

/** A CBOR request body as the equivalent JSON 1.1 text; SerializationException if it is not CBOR. */
export function cborRequestToJson(body: Buffer): string {
  if (body.length === 0) return ''
  let value: unknown
  try {
    value = decode(body, { tags, allowUndefined: true, coerceUndefinedToNull: true, allowBigInt: false })
  } catch {
    throw new KinesisSerializationException('The request body is not valid CBOR')
  }
  return JSON.stringify(value, (_key, member) => (member instanceof Uint8Array ? Buffer.from(member).toString('base64') : member))
}

/** A JSON 1.1 reply (or error) text as CBOR. */
export function jsonReplyToCbor(text: string): Buffer {
  const value = JSON.parse(text, (key, member) => {
    if (blobMembers.has(key) && typeof member === 'string') return Buffer.from(member, 'base64')
    if (timestampMember.test(key) && typeof member === 'number') return new EpochTime(member)
    return member
  })
  return Buffer.from(encode(value, { typeEncoders: { Object: encodeEpochTime } }))
}

function encodeEpochTime(value: unknown): Token[] | null {
  if (!(value instanceof EpochTime)) return null
  return [new Token(Type.tag, 1), new Token(Type.uint, Math.round(value.seconds * 1000))]
}
