/**
 * A least-recently-used cache of parsed expressions, keyed by kind and text. Clients send the
 * same few expressions over and over; a hit skips lexing and parsing, leaving only resolution.
 * Parsed trees are never changed after parsing, so sharing them is safe. Syntax errors are not
 * cached: they are rare and cheap to find again.
 */
export class ParseCache<Value> {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  private readonly entries = new Map<string, Value>()

  constructor(private readonly entriesMax: number) {}

  getOrParse(key: string, parse: () => Value): Value {
    const cached = this.entries.get(key)
    if (cached !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, cached)
      return cached
    }
    const parsed = parse()
    this.entries.set(key, parsed)
    if (this.entries.size > this.entriesMax) this.entries.delete(this.entries.keys().next().value!)
    return parsed
  }

  get size(): number {
    return this.entries.size
  }
}
