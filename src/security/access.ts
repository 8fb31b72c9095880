/**
 * What every listener of a server needs to let the right callers in: the authenticator for
 * SigV4-signed HTTP requests and, for the DAX wire protocol's authorizeConnection, an access
 * key's secret, account and policies. Built once from the config (src/server.ts) and handed to each surface.
 */
import type { Authenticator } from '../http/auth.js'
import { createAuthenticator } from '../http/auth.js'
import type { CredentialStore } from './credentials.js'
import type { PeerAuth } from '../replication/peer-auth.js'
import { signingPeerAuth } from './peer-signing.js'
import type { KeyLookup } from '../dax/wire/auth.js'

export interface ServerAccess {
  authenticator: Authenticator
  /** An access key's secret, account and policies, for authorizeConnection; undefined when any key is accepted. */
  keyFor?: KeyLookup
  /** What this server signs its requests to global-table peers with (undefined: it signs nothing). */
  peerAuth?: PeerAuth
}

export function serverAccess(options: { credentials?: CredentialStore; defaultRegion: string; accountId: string; now: () => number }): ServerAccess {
  const { credentials } = options
  return {
    authenticator: createAuthenticator(options),
    keyFor: credentials && ((accessKeyId) => credentials.lookup(accessKeyId)),
    peerAuth: credentials?.operatorKey && signingPeerAuth(credentials.operatorKey, options.now),
  }
}
