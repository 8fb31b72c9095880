/**
 * Replication between EddyDB servers when credentials are configured: a server signs each request
 * it sends a global-table peer with SigV4 for 'dynamodb', as any client would, using its operator
 * key (CredentialStore.operatorKey). The peer verifies it like every other request and admits only
 * operator keys to its replication route, so peers share that key in their credentials files.
 */
import { createHash, createHmac } from 'node:crypto'
import type { PeerAuth } from '../replication/peer-auth.js'
import type { Credential } from './credentials.js'
import { basicFormat } from './sigv4-verifier.js'
import { SigningKeys } from './signing-keys.js'

export function signingPeerAuth(key: Credential, now: () => number): PeerAuth {
  const keys = new SigningKeys()
  return {
    sign(body, url, region) {
      const { host, pathname } = new URL(url)
      const amzDate = basicFormat(now())
      const day = amzDate.slice(0, 8)
      const scope = `${day}/${region}/dynamodb/aws4_request`
      const signedHeaders = 'host;x-amz-date'
      const canonicalRequest = `POST\n${pathname}\n\nhost:${host}\nx-amz-date:${amzDate}\n\n${signedHeaders}\n${sha256Hex(body)}`
      const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`
      const signature = createHmac('sha256', keys.get(key.secretAccessKey, key.accessKeyId, day, region, 'dynamodb'))
        .update(stringToSign, 'utf8').digest('hex')
      return {
        'X-Amz-Date': amzDate,
        Authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      }
    },
    // The replication route sits behind the signature check (security/guarded-route.ts).
    verify: () => true,
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
