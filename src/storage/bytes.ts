/** Byte-string helpers shared by storage engines and the key encoding. */

/** The smallest byte string greater than every byte string that starts with `prefix` (none when it is all 0xFF). */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  for (let index = prefix.length - 1; index >= 0; index--) {
    if (prefix[index] !== 0xff) {
      const end = Buffer.from(prefix.subarray(0, index + 1))
      end[index]!++
      return end
    }
  }
  return undefined
}
