/**
 * A DAX wire connection over a raw socket, for what the official clients never show: the exact
 * response items, and calls made out of the order the clients make them. The handshake either
 * carries a fixed well-formed signature (for servers that check no secrets) or is signed by the
 * official v3 client's own SigV4 code, so a server with secrets verifies it as the client's.
 */
import { createRequire } from 'node:module'
import { connect, type Socket } from 'node:net'
import { CborReader, CborWriter, skipItem, type CborValue } from '../../src/dax/wire/cbor.js'

/** Method ids, fixed by the protocol. */
export const authorizeMethod = 1489122155
export const endpointsMethod = 455855874
export const defineKeySchemaMethod = -742646399
export const defineAttributeListIdMethod = -1230579644
export const defineAttributeListMethod = 670678385

const validStringToSign = 'AWS4-HMAC-SHA256\n20250101T000000Z\n20250101/us-east-1/dax/aws4_request\n' + 'ab'.repeat(32)

const require = createRequire(import.meta.url)
const SigV4Gen = require('@amazon-dax-sdk/client-dax/src/SigV4Gen.js') as {
  generateSigAndStringToSign(credentials: object, endpoint: string, region: string, payload: string): { signature: string; stringToSign: string; sessionToken: string | null }
}

export interface RawCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** A response: a success's payload items, or an error's three items. */
export type RawReply =
  | { payload: CborValue[]; error?: undefined }
  | { error: { codes: number[]; message: string; detail: CborValue[] }; payload?: undefined }

/** A raw connection that sends CBOR items and collects whole response items. */
export class RawClient {
  readonly socket: Socket
  #buffer = Buffer.alloc(0)
  #waiters: (() => void)[] = []
  closed = false

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1')
    this.socket.on('data', (chunk) => { this.#buffer = Buffer.concat([this.#buffer, chunk]); this.#wake() })
    this.socket.on('close', () => { this.closed = true; this.#wake() })
  }

  #wake(): void { for (const waiter of this.#waiters.splice(0)) waiter() }

  send(build: (writer: CborWriter) => void): void {
    const writer = new CborWriter()
    build(writer)
    this.socket.write(writer.toBuffer())
  }

  preamble(): void {
    this.send((w) => w.text('J7yne5G').int(0).bytes(Buffer.alloc(16)).mapHeader(1).text('UserAgent').text('raw-test').int(0))
  }

  authorize(signature = 'cd'.repeat(32)): void {
    this.send((w) => w.int(1).int(authorizeMethod).text('AKIDEXAMPLE').text(signature).bytes(Buffer.from(validStringToSign)).null().null())
  }

  /** The handshake the official client makes for these credentials. */
  authorizeAs(credentials: RawCredentials, region = 'us-east-1'): void {
    const { signature, stringToSign, sessionToken } = SigV4Gen.generateSigAndStringToSign(credentials, 'https://dax.amazonaws.com', region, '')
    this.send((w) => {
      w.int(1).int(authorizeMethod).text(credentials.accessKeyId).text(signature).bytes(Buffer.from(stringToSign))
      if (sessionToken === null) w.null()
      else w.text(sessionToken)
      w.text('raw-test')
    })
  }

  /** The next response, a success carrying `payloadItems` items or an error. */
  async reply(payloadItems = 1): Promise<RawReply> {
    const [first] = await this.items(1)
    // A success starts with an empty array; an error with its non-empty array of codes.
    if (Array.isArray(first) && first.length === 0) return { payload: await this.items(payloadItems) }
    const [message, detail] = await this.items(2)
    return { error: { codes: first as number[], message: message as string, detail: detail as CborValue[] } }
  }

  /** The next `count` top-level items, waiting for bytes as they arrive. */
  async items(count: number): Promise<CborValue[]> {
    for (;;) {
      let position = 0
      const ends: number[] = []
      while (ends.length < count) {
        const end = skipItem(this.#buffer, position)
        if (end === undefined) break
        ends.push(end)
        position = end
      }
      if (ends.length === count) {
        const reader = new CborReader(this.#buffer)
        const values = ends.map(() => reader.read())
        this.#buffer = this.#buffer.subarray(position)
        return values
      }
      // Woken by the next bytes or the close; a server that sends neither is left to the test's timeout.
      if (this.closed) throw new Error(`only part of ${count} items arrived before the connection closed`)
      await new Promise<void>((resolve) => { this.#waiters.push(resolve) })
    }
  }

  close(): void { this.socket.destroy() }
}
