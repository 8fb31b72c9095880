/**
 * A least-recently-used cache of parsed expressions, keyed by kind and text. Clients send the
 * same few expressions over and over; a hit skips lexing and parsing, leaving only resolution.
 * Parsed trees are never changed after parsing, so sharing them is safe. Syntax errors are not
 * cached: they are rare and cheap to find again.
 */
import { ByteLru } from '../byte-lru.js'

export class ParseCache<Value> {
  /** Each entry weighs one, so the budget is a number of entries. */
  readonly #entries: ByteLru<Value>

  constructor(entriesMax: number) {
    this.#entries = new ByteLru(entriesMax)
  }

  getOrParse(key: string, parse: () => Value): Value {
    const cached = this.#entries.get(key)
    if (cached !== undefined) return cached.value
    const parsed = parse()
    this.#entries.set(key, parsed, 1, 0)
    return parsed
  }

  get size(): number {
    return this.#entries.size
  }
}
