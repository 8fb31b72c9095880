/**
 * HTTP compression as DynamoDB does it, both ways.
 *
 * Requests: a body sent with Content-Encoding gzip (what SDKs with request compression send) or
 * deflate is inflated before parsing. An encoding DynamoDB does not know, and a body that does
 * not inflate (not gzip at all, empty, cut short), fails as InternalServerError (500), which is
 * what DynamoDB answers (ScyllaDB Alternator's test_compressed_request.py, checked against AWS).
 * Concatenated gzip members are one body, as the gzip format allows.
 *
 * Responses: compressed only when the client's Accept-Encoding allows gzip or deflate and the
 * body is at least 4 KB, DynamoDB's threshold (test_compressed_response.py). The choice follows
 * the q-values as DynamoDB reads them, quirks included: see chooseResponseEncoding.
 */
import { deflateSync, gzipSync, inflateSync, gunzipSync } from 'node:zlib'
import { InternalServerError } from '../errors.js'

export type ResponseEncoding = 'gzip' | 'deflate'

/** DynamoDB leaves replies shorter than this uncompressed, whatever the client accepts. */
export const responseCompressionBytesMin = 4096

/** The message of the 500 for a body that cannot be decoded. */
const undecodableBodyMessage = 'The request body could not be decoded with its Content-Encoding'

/**
 * The request body's bytes, inflated as its Content-Encoding says. `inflatedBytesMax` bounds the
 * inflated size, so a small compressed body cannot expand without limit; past it `tooLarge()`
 * is thrown.
 */
export function inflateRequestBody(raw: Buffer, contentEncoding: string | undefined, inflatedBytesMax: number,
  tooLarge: () => Error): Buffer {
  const encoding = contentEncoding?.trim().toLowerCase()
  if (!encoding || encoding === 'identity') return raw
  const inflate = encoding === 'gzip' ? gunzipSync : encoding === 'deflate' ? inflateSync : undefined
  if (inflate === undefined) throw new InternalServerError(`Unsupported Content-Encoding: ${contentEncoding}`)
  try {
    return inflate(raw, { maxOutputLength: inflatedBytesMax })
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge()
    throw new InternalServerError(undecodableBodyMessage)
  }
}

/** One entry of Accept-Encoding: a coding, its quality and where it stands in the header. */
interface AcceptedCoding {
  name: string
  quality: number
  position: number
}

/**
 * The encoding for a reply, from the request's Accept-Encoding (the last one when a client sends
 * several headers, as DynamoDB reads them), or undefined for none. DynamoDB's reading:
 *  - only gzip, deflate and '*' count; identity and unknown codings are ignored, so are
 *    malformed entries ('"gzip"', 'gzip br', 'gzip:q=1');
 *  - q is the first 'q=' parameter; above 1 counts as 1, 0 or below refuses the coding, and a
 *    value that is not a number counts as 1;
 *  - the highest quality wins; on a tie a named coding beats '*', then the earlier entry wins,
 *    and '*' alone means gzip.
 */
export function chooseResponseEncoding(acceptEncoding: string | undefined): ResponseEncoding | undefined {
  if (!acceptEncoding) return undefined
  const named = new Map<string, AcceptedCoding>()
  let star: AcceptedCoding | undefined
  acceptEncoding.split(',').forEach((entry, position) => {
    const coding = parseCoding(entry, position)
    if (coding === undefined) return
    if (coding.name === '*') {
      if (!star || coding.quality > star.quality) star = coding
      return
    }
    const seen = named.get(coding.name)
    if (!seen || coding.quality > seen.quality) named.set(coding.name, { ...coding, position: seen?.position ?? position })
  })
  let best: { encoding: ResponseEncoding; quality: number; rank: number } | undefined
  for (const encoding of ['gzip', 'deflate'] as const) {
    const explicit = named.get(encoding)
    const quality = explicit ? explicit.quality : star?.quality ?? 0
    // Lower rank wins a tie: named codings by position, then '*' (gzip before deflate).
    const rank = explicit ? explicit.position : 1_000_000 + (encoding === 'gzip' ? 0 : 1)
    if (quality <= 0) continue
    if (!best || quality > best.quality || (quality === best.quality && rank < best.rank)) {
      best = { encoding, quality, rank }
    }
  }
  return best?.encoding
}

function parseCoding(entry: string, position: number): AcceptedCoding | undefined {
  const [rawName, ...parameters] = entry.split(';')
  const name = rawName!.trim().toLowerCase()
  if (name !== 'gzip' && name !== 'deflate' && name !== '*') return undefined
  let quality = 1
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=')
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'q') continue
    const value = parameter.slice(equals + 1).trim()
    const parsed = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : 1
    quality = Math.min(parsed, 1)
    break
  }
  return { name, quality, position }
}

/** The reply body as sent: compressed when an encoding was chosen and the body is big enough. */
export function encodeResponseBody(body: Buffer, encoding: ResponseEncoding | undefined): { body: Buffer; encoding?: ResponseEncoding } {
  if (encoding === undefined || body.length < responseCompressionBytesMin) return { body }
  return { body: encoding === 'gzip' ? gzipSync(body) : deflateSync(body), encoding }
}
