/**
 * The hook for authenticating replication between EddyDB servers. Without credentials every peer
 * request is accepted (peers are then meant to be on a trusted network). With --credentials the
 * replication route admits only requests signed with an operator key (security/guarded-route.ts)
 * and each server signs what it sends with its own (security/peer-signing.ts).
 */
import type { IncomingHttpHeaders } from 'node:http'

export interface PeerAuth {
  /** Headers to add to a request with this body sent to `url`, a peer serving `region`. */
  sign(body: string, url: string, region: string): Record<string, string>
  /** Whether a request that claims to come from a peer may be served. */
  verify(headers: IncomingHttpHeaders, body: string): boolean
}

export const openPeerAuth: PeerAuth = {
  sign: () => ({}),
  verify: () => true,
}
