/**
 * SigV4 signing keys, cached: deriving one costs four HMACs, and a client signs every request of
 * a day with the same key, so verification costs one HMAC of the string-to-sign per request.
 */
import { createHmac } from 'node:crypto'

/** Enough for many keys × regions × services × two days; past it the cache starts over. */
const cachedKeysMax = 10_000

export class SigningKeys {
  readonly #keys = new Map<string, Buffer>()

  get(secretAccessKey: string, accessKeyId: string, day: string, region: string, service: string): Buffer {
    const id = `${accessKeyId}\n${day}\n${region}\n${service}`
    let key = this.#keys.get(id)
    if (key === undefined) {
      key = signingKey(secretAccessKey, day, region, service)
      if (this.#keys.size >= cachedKeysMax) this.#keys.clear()
      this.#keys.set(id, key)
    }
    return key
  }
}

export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  let key = hmac(`AWS4${secretAccessKey}`, day)
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part)
  return key
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest()
}
