/**
 * JSON text that is the same for requests that differ only in the order of their members:
 * object members sorted by name, array elements kept in order, binary (the SDK v3 form,
 * Uint8Array) as base64 text. Used where two requests must be recognised as one: the DAX query
 * cache's keys and TransactWriteItems' ClientRequestToken check.
 */

/** The canonical text, or undefined when the value nests deeper than `depthMax`. */
export function canonicalJson(value: unknown, depthMax: number, depth = 0): string | undefined {
  if (depth > depthMax) return undefined
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (value instanceof Uint8Array) {
    return JSON.stringify({ $binary: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') })
  }
  if (Array.isArray(value)) {
    const elements: string[] = []
    for (const element of value) {
      const text = canonicalJson(element, depthMax, depth + 1)
      if (text === undefined) return undefined
      elements.push(text)
    }
    return `[${elements.join(',')}]`
  }
  const record = value as Record<string, unknown>
  const members: string[] = []
  for (const name of Object.keys(record).sort()) {
    if (record[name] === undefined) continue
    const text = canonicalJson(record[name], depthMax, depth + 1)
    if (text === undefined) return undefined
    members.push(`${JSON.stringify(name)}:${text}`)
  }
  return `{${members.join(',')}}`
}
