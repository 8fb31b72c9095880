/**
 * The parts of a SigV4 canonical request that the signer (dax/upstream/sigv4.ts: the CLI and
 * the DAX upstream) and the verifier (sigv4-verifier.ts) must build alike, so that what one signs
 * the other checks: URI escaping and the canonical query string.
 */

/** RFC 3986 escaping, as SigV4 asks: encodeURIComponent plus the four characters it leaves. */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** The canonical query string of decoded name/value pairs: each escaped, sorted by name then value. */
export function canonicalQueryOf(pairs: Iterable<readonly [string, string]>): string {
  return [...pairs]
    .map(([name, value]) => [escapeUri(name), escapeUri(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0)
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}
