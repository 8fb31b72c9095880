/**
 * `--peer REGION=URL` (repeatable; EDDYDB_PEERS as a comma-separated list; "peers" in a config
 * file): the regions other EddyDB servers serve. Requests about replicas in those regions, and
 * replicated writes, go to that server.
 */
import { ConfigError } from '../startup-error.js'
import { regionNamePattern } from '../region-names.js'

export function parsePeers(entries: readonly string[] | undefined): Map<string, string> {
  const peers = new Map<string, string>()
  for (const entry of entries ?? []) {
    const [region, url] = entry.split(/=(.*)/s, 2) as [string, string | undefined]
    if (!url || !regionNamePattern.test(region)) throw new ConfigError(`--peer must be REGION=URL, got ${JSON.stringify(entry)}`)
    try {
      const parsed = new URL(url)
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http')
    } catch {
      throw new ConfigError(`--peer ${region}: ${JSON.stringify(url)} is not an http(s) URL`)
    }
    peers.set(region, url)
  }
  return peers
}
