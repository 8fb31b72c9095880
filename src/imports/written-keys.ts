/**
 * The keys an import has stored so far, as a Bloom filter: "certainly not stored" for nearly
 * every key of a new line, so its batch need not read the table to learn that the key is new
 * (a read per item was about a tenth of an import's main-thread time). A "maybe" is settled by
 * reading the table, so a false positive costs a lookup and never a wrong write.
 *
 * The memory is fixed (`filterBits` / 8 bytes per running import), whatever the import's size:
 * past a few million keys most answers become "maybe", and the import reads as it did before.
 * A filter only knows the keys of its own run: an import resumed after a restart starts with a
 * filter that says "maybe" to everything (see `knowsEveryKey`).
 */

/** 2^23 bits (1 MiB): about 2.7% false positives at 1M keys with 3 probes. */
const filterBits = 1 << 23
const probes = 3

/** FNV-1a over the key's bytes, 32 bits, from a given basis. */
function fnv1a(key: Buffer, basis: number): number {
  let hash = basis
  for (let index = 0; index < key.length; index++) {
    hash ^= key[index]!
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

export class WrittenKeys {
  readonly #bits = new Uint8Array(filterBits / 8)

  /** `knowsEveryKey`: the table held nothing of this import before the filter was made. */
  constructor(readonly knowsEveryKey: boolean) {}

  /** Bit positions by double hashing (Kirsch and Mitzenmacher): h1 + i·h2. */
  #positions(key: Buffer): number[] {
    const first = fnv1a(key, 0x811c9dc5)
    const second = fnv1a(key, 0x01000193) | 1
    const positions: number[] = []
    for (let probe = 0; probe < probes; probe++) positions.push((first + Math.imul(probe, second)) >>> 0 & (filterBits - 1))
    return positions
  }

  add(key: Buffer): void {
    for (const position of this.#positions(key)) this.#bits[position >>> 3]! |= 1 << (position & 7)
  }

  /** False only when the key was certainly not stored by this import. */
  mayHave(key: Buffer): boolean {
    if (!this.knowsEveryKey) return true
    return this.#positions(key).every((position) => (this.#bits[position >>> 3]! & (1 << (position & 7))) !== 0)
  }
}
