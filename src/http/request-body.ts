/**
 * A request body as the API dispatcher reads it: small bodies are decoded (inflated, CBOR read as
 * JSON) at once, as before; a large one only when the dispatcher asks, which with signatures
 * verified is after the signature holds (src/api/dispatch.ts). SigV4 signs the bytes as sent,
 * still compressed, so nothing of a large body need be inflated or parsed to refuse a request
 * that is not signed: a 15 KB gzip body inflating to 16 MB of nested brackets costs an
 * unsigned client no more than reading its bytes.
 */
import { inflateRequestBody } from './compression.js'
import { RequestEntityTooLargeException } from '../errors.js'

/** DynamoDB's own request size cap (a BatchWriteItem of 25 × 400 KB items fits well inside it). */
export const requestBodyBytesMax = 16 * 1024 * 1024

/**
 * Bodies up to this size, as sent and once inflated, are decoded and parsed in DynamoDB's error
 * order (a SerializationException before UnknownOperation and the signature's errors); larger
 * ones, with signatures verified, only once the signature is. Every request an SDK sends except
 * the largest batches and Kinesis PutRecords fits, and parsing this much costs at most ~0.1 s of
 * CPU even when it is 32,000 levels of nested brackets.
 */
export const smallBodyBytesMax = 64 * 1024

export const requestTooLargeMessage = `Request body exceeds the maximum size of ${requestBodyBytesMax} bytes`

/** Turns a Kinesis CBOR body into JSON text (src/kinesis/cbor.ts). */
export type CborReader = (body: Buffer) => string

export class RequestBody {
  /** Over smallBodyBytesMax as sent or once inflated: decoded only when text() is called. */
  readonly large: boolean
  readonly #raw: Buffer
  readonly #contentEncoding: string | undefined
  readonly #cbor: CborReader | undefined
  #text: string | undefined

  /** Decodes a small body at once, throwing what decoding throws (500 for a body that does not inflate). */
  constructor(raw: Buffer, contentEncoding: string | undefined, cbor?: CborReader) {
    this.#raw = raw
    this.#contentEncoding = contentEncoding
    this.#cbor = cbor
    if (raw.length === 0 && !contentEncoding) {
      this.#text = ''
      this.large = false
    } else if (raw.length > smallBodyBytesMax) {
      this.large = true
    } else {
      // Inflating at most smallBodyBytesMax says whether the body is small, at a bounded cost.
      let bytes: Buffer | undefined
      try {
        bytes = inflateRequestBody(raw, contentEncoding, smallBodyBytesMax, isLarge)
      } catch (error) {
        if (error !== largeBody) throw error
      }
      this.large = bytes === undefined
      if (bytes !== undefined) this.#text = cbor ? cbor(bytes) : bytes.toString('utf8')
    }
  }

  /** The body text ('' when empty); a large body is decoded now, throwing 413 or 500 as that fails. */
  text(): string {
    if (this.#text === undefined) {
      const bytes = inflateRequestBody(this.#raw, this.#contentEncoding, requestBodyBytesMax, tooLarge)
      this.#text = this.#cbor ? this.#cbor(bytes) : bytes.toString('utf8')
    }
    return this.#text
  }
}

/** Thrown and caught in the constructor's bounded inflate: the body is large. */
const largeBody = new Error('the body inflates past smallBodyBytesMax')
const isLarge = (): Error => largeBody

function tooLarge(): Error {
  return new RequestEntityTooLargeException(requestTooLargeMessage)
}
