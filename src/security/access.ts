/**
 * What every listener of a server needs to let the right callers in: the authenticator for
 * SigV4-signed HTTP requests and, for the DAX wire protocol's authorizeConnection, the secret of
 * an access key. Built once from the config (src/server.ts) and handed to each surface.
 */
import type { Authenticator } from '../http/auth.js'
import { createAuthenticator } from '../http/auth.js'
import type { CredentialStore } from './credentials.js'
import type { PeerAuth } from '../replication/peer-auth.js'
import { signingPeerAuth } from './peer-signing.js'

export interface ServerAccess {
  authenticator: Authenticator
  /** The secret of an access key, for authorizeConnection; undefined when any key is accepted. */
  secretFor?: (accessKeyId: string) => string | undefined
  /** What this server signs its requests to global-table peers with (undefined: it signs nothing). */
  peerAuth?: PeerAuth
}

export function serverAccess(options: { credentials?: CredentialStore; defaultRegion: string; accountId: string; now: () => number }): ServerAccess {
  const { credentials } = options
  return {
    authenticator: createAuthenticator(options),
    // Keys with policies cannot open DAX connections: the wire protocol does not evaluate policies.
    secretFor: credentials && ((accessKeyId) => {
      const credential = credentials.lookup(accessKeyId)
      return credential?.policies ? undefined : credential?.secretAccessKey
    }),
    peerAuth: credentials?.operatorKey && signingPeerAuth(credentials.operatorKey, options.now),
  }
}
