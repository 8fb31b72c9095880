/**
 * Whether JSON text nests deeper than a bound, found by one pass over its characters without
 * parsing it. V8's JSON.parse spends about 3 µs per level of nesting past a few thousand (16 MB
 * of '[' then ']' took 22 s on a loaded 2-core machine, against 0.6 s for 13 MB of flat items),
 * and this pass costs a fraction of a flat parse, so the dispatcher runs it on bodies big enough
 * to nest that deep before parsing them (src/api/dispatch.ts).
 */

const quote = 0x22
const backslash = 0x5c
const openBracket = 0x5b
const closeBracket = 0x5d
const openBrace = 0x7b
const closeBrace = 0x7d

/** True when `text` opens more than `depthMax` arrays and objects inside one another (strings skipped). */
export function jsonNestsDeeperThan(text: string, depthMax: number): boolean {
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (inString) {
      if (code === backslash) index++
      else if (code === quote) inString = false
    } else if (code === quote) {
      inString = true
    } else if (code === openBracket || code === openBrace) {
      if (++depth > depthMax) return true
    } else if (code === closeBracket || code === closeBrace) {
      depth--
    }
  }
  return false
}
