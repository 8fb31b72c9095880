/**
 * CBOR (RFC 8949) as the DAX wire protocol uses it: a stream of data items with no framing, so
 * the reader must tell a complete item from a partial one. Decoding yields plain JS values;
 * the few shapes that JS cannot tell apart are wrapped: a float stays a CborFloat (1.0 must not
 * become the integer 1), a tag stays a CborTag, and maps stay Maps (DAX keys them by int).
 */

/** A CBOR float (major type 7), kept apart from integers. */
export class CborFloat {
  constructor(readonly value: number) {}
}

/** A tagged item: tag 2/3 bignums, tag 4 decimals, DAX's 3321-3324. */
export class CborTag {
  constructor(readonly tag: number, readonly value: CborValue) {}
}

export type CborValue =
  | number
  | bigint
  | string
  | Buffer
  | boolean
  | null
  | undefined
  | CborFloat
  | CborTag
  | CborValue[]
  | Map<CborValue, CborValue>

/** Thrown when the buffer ends inside an item: wait for more bytes. */
export class NeedMoreData extends Error {
  constructor() { super('CBOR item is incomplete') }
}

/** Malformed input: the connection cannot be read any further. */
export class CborSyntaxError extends Error {}

/** Deeper nesting than any DAX request needs is refused rather than risking the stack. */
const nestingDepthMax = 64
/** An indefinite-length item may hold at most this many chunks or elements. */
const indefiniteElementsMax = 1_000_000

const majorUnsigned = 0
const majorNegative = 1
const majorBytes = 2
const majorText = 3
const majorArray = 4
const majorMap = 5
const majorTag = 6
const majorSimple = 7
const breakByte = 0xff

/** Reads CBOR items one after another from one buffer. */
export class CborReader {
  position: number

  constructor(readonly buffer: Buffer, start = 0, readonly end = buffer.length) {
    this.position = start
  }

  get atEnd(): boolean {
    return this.position >= this.end
  }

  /** The next whole item; NeedMoreData if the buffer ends inside it. */
  read(depth = 0): CborValue {
    if (depth > nestingDepthMax) throw new CborSyntaxError('CBOR nesting is too deep')
    const initial = this.#byte()
    const major = initial >> 5
    const info = initial & 0x1f
    switch (major) {
      case majorUnsigned: return this.#argument(info)
      case majorNegative: {
        const argument = this.#argument(info)
        return typeof argument === 'bigint' ? -1n - argument : -1 - argument
      }
      case majorBytes: return this.#bytes(info)
      case majorText: return this.#bytes(info, majorText).toString('utf8')
      case majorArray: return this.#array(info, depth)
      case majorMap: return this.#map(info, depth)
      case majorTag: return new CborTag(Number(this.#argument(info)), this.read(depth + 1))
      default: return this.#simple(info)
    }
  }

  #byte(): number {
    if (this.position >= this.end) throw new NeedMoreData()
    return this.buffer[this.position++]!
  }

  #take(length: number): Buffer {
    if (this.position + length > this.end) throw new NeedMoreData()
    const slice = this.buffer.subarray(this.position, this.position + length)
    this.position += length
    return slice
  }

  /** The argument of a head: small ints as numbers, 64-bit values past 2^53 as bigints. */
  #argument(info: number): number | bigint {
    if (info < 24) return info
    if (info === 24) return this.#take(1)[0]!
    if (info === 25) return this.#take(2).readUInt16BE(0)
    if (info === 26) return this.#take(4).readUInt32BE(0)
    if (info === 27) {
      const value = this.#take(8).readBigUInt64BE(0)
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
    }
    throw new CborSyntaxError(`unsupported CBOR additional info ${info}`)
  }

  #length(info: number): number {
    const length = this.#argument(info)
    if (typeof length === 'bigint') throw new CborSyntaxError('CBOR length is too large')
    return length
  }

  #bytes(info: number, major = majorBytes): Buffer {
    if (info !== 31) return Buffer.from(this.#take(this.#length(info)))
    const chunks: Buffer[] = []
    for (let count = 0; count < indefiniteElementsMax; count++) {
      const head = this.#byte()
      if (head === breakByte) return Buffer.concat(chunks)
      if (head >> 5 !== major || (head & 0x1f) === 31) throw new CborSyntaxError('bad chunk in an indefinite string')
      chunks.push(this.#take(this.#length(head & 0x1f)))
    }
    throw new CborSyntaxError('indefinite string has too many chunks')
  }

  #isBreak(): boolean {
    if (this.position >= this.end) throw new NeedMoreData()
    if (this.buffer[this.position] !== breakByte) return false
    this.position++
    return true
  }

  #array(info: number, depth: number): CborValue[] {
    const items: CborValue[] = []
    const length = info === 31 ? indefiniteElementsMax : this.#length(info)
    for (let index = 0; index < length; index++) {
      if (info === 31 && this.#isBreak()) return items
      items.push(this.read(depth + 1))
    }
    if (info === 31) throw new CborSyntaxError('indefinite array has too many elements')
    return items
  }

  #map(info: number, depth: number): Map<CborValue, CborValue> {
    const map = new Map<CborValue, CborValue>()
    const length = info === 31 ? indefiniteElementsMax : this.#length(info)
    for (let index = 0; index < length; index++) {
      if (info === 31 && this.#isBreak()) return map
      const key = this.read(depth + 1)
      map.set(key, this.read(depth + 1))
    }
    if (info === 31) throw new CborSyntaxError('indefinite map has too many entries')
    return map
  }

  #simple(info: number): CborValue {
    switch (info) {
      case 20: return false
      case 21: return true
      case 22: return null
      case 23: return undefined
      case 25: return new CborFloat(halfToNumber(this.#take(2).readUInt16BE(0)))
      case 26: return new CborFloat(this.#take(4).readFloatBE(0))
      case 27: return new CborFloat(this.#take(8).readDoubleBE(0))
      default: throw new CborSyntaxError(`unsupported CBOR simple value ${info}`)
    }
  }
}

function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f
  const fraction = half & 0x3ff
  const sign = half & 0x8000 ? -1 : 1
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 31) return fraction ? NaN : sign * Infinity
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

/**
 * The offset just past the complete item at `position`, or undefined when the buffer ends
 * inside it. Walks heads only (byte strings are jumped over), so checking whether a large
 * request has fully arrived stays cheap however often it is asked.
 */
export function skipItem(buffer: Buffer, position: number, depth = 0): number | undefined {
  if (depth > nestingDepthMax) throw new CborSyntaxError('CBOR nesting is too deep')
  if (position >= buffer.length) return undefined
  const initial = buffer[position]!
  const major = initial >> 5
  const info = initial & 0x1f
  if (info === 31) return skipIndefinite(buffer, position + 1, major, depth)
  const head = headLength(info)
  if (position + head > buffer.length) return undefined
  let next = position + head
  // Ints, floats and tag numbers may use all 64 bits; only lengths and counts are read.
  if (major === majorUnsigned || major === majorNegative || major === majorSimple) return next
  if (major === majorTag) return skipItem(buffer, next, depth + 1)
  const argument = info < 24 ? info : readArgument(buffer, position + 1, head - 1)
  switch (major) {
    case majorBytes:
    case majorText:
      next += argument
      return next <= buffer.length ? next : undefined
    case majorArray:
    case majorMap: {
      const count = major === majorMap ? argument * 2 : argument
      for (let index = 0; index < count; index++) {
        const after = skipItem(buffer, next, depth + 1)
        if (after === undefined) return undefined
        next = after
      }
      return next
    }
    default: return next
  }
}

function skipIndefinite(buffer: Buffer, position: number, major: number, depth: number): number | undefined {
  if (major < majorBytes || major > majorMap) throw new CborSyntaxError('bad indefinite-length item')
  let next = position
  for (let count = 0; count < indefiniteElementsMax; count++) {
    if (next >= buffer.length) return undefined
    if (buffer[next] === breakByte) return next + 1
    const after = skipItem(buffer, next, depth + 1)
    if (after === undefined) return undefined
    next = after
  }
  throw new CborSyntaxError('indefinite item has too many elements')
}

function headLength(info: number): number {
  if (info < 24) return 1
  if (info <= 27) return 1 + (1 << (info - 24))
  throw new CborSyntaxError(`unsupported CBOR additional info ${info}`)
}

function readArgument(buffer: Buffer, offset: number, width: number): number {
  if (width === 1) return buffer[offset]!
  if (width === 2) return buffer.readUInt16BE(offset)
  if (width === 4) return buffer.readUInt32BE(offset)
  const value = buffer.readBigUInt64BE(offset)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborSyntaxError('CBOR length is too large')
  return Number(value)
}

/** Builds CBOR output into a growing buffer. */
export class CborWriter {
  #buffer: Buffer
  #length = 0

  constructor(initialSize = 256) {
    this.#buffer = Buffer.allocUnsafe(initialSize)
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + extra))
    this.#buffer.copy(grown, 0, 0, this.#length)
    this.#buffer = grown
  }

  #head(major: number, argument: number | bigint): this {
    const tag = major << 5
    this.#reserve(9)
    if (typeof argument === 'bigint' || argument > 0xffffffff) {
      this.#buffer[this.#length++] = tag | 27
      this.#buffer.writeBigUInt64BE(BigInt(argument), this.#length)
      this.#length += 8
    } else if (argument < 24) {
      this.#buffer[this.#length++] = tag | argument
    } else if (argument <= 0xff) {
      this.#buffer[this.#length++] = tag | 24
      this.#buffer[this.#length++] = argument
    } else if (argument <= 0xffff) {
      this.#buffer[this.#length++] = tag | 25
      this.#buffer.writeUInt16BE(argument, this.#length)
      this.#length += 2
    } else {
      this.#buffer[this.#length++] = tag | 26
      this.#buffer.writeUInt32BE(argument, this.#length)
      this.#length += 4
    }
    return this
  }

  /** An integer; must be a safe integer (use bigint past 2^53). */
  int(value: number | bigint): this {
    if (typeof value === 'bigint') {
      return value >= 0n ? this.#head(majorUnsigned, value) : this.#head(majorNegative, -1n - value)
    }
    return value >= 0 ? this.#head(majorUnsigned, value) : this.#head(majorNegative, -1 - value)
  }

  float64(value: number): this {
    this.#reserve(9)
    this.#buffer[this.#length++] = 0xfb
    this.#buffer.writeDoubleBE(value, this.#length)
    this.#length += 8
    return this
  }

  text(value: string): this {
    const length = Buffer.byteLength(value, 'utf8')
    this.#head(majorText, length)
    this.#reserve(length)
    this.#buffer.write(value, this.#length, 'utf8')
    this.#length += length
    return this
  }

  bytes(value: Uint8Array): this {
    this.#head(majorBytes, value.length)
    return this.raw(value)
  }

  /** Bytes already in CBOR (or raw key bytes), appended as they are. */
  raw(value: Uint8Array): this {
    this.#reserve(value.length)
    this.#buffer.set(value, this.#length)
    this.#length += value.length
    return this
  }

  arrayHeader(length: number): this { return this.#head(majorArray, length) }
  mapHeader(length: number): this { return this.#head(majorMap, length) }
  tag(tag: number): this { return this.#head(majorTag, tag) }
  bool(value: boolean): this { return this.#simpleByte(value ? 0xf5 : 0xf4) }
  null(): this { return this.#simpleByte(0xf6) }

  #simpleByte(byte: number): this {
    this.#reserve(1)
    this.#buffer[this.#length++] = byte
    return this
  }

  /** The bytes written so far (a copy, so the writer can be reused). */
  toBuffer(): Buffer {
    return Buffer.from(this.#buffer.subarray(0, this.#length))
  }

  get length(): number {
    return this.#length
  }
}
