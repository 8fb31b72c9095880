/**
 * The front door's defence against web pages. A browser lets any page send some requests to any
 * address (a form's POST with Content-Type text/plain needs no CORS preflight), and a page whose
 * host name its attacker re-points at 127.0.0.1 (DNS rebinding) is even same-origin with the
 * server. Without --credentials either one could read and change every table on a developer's
 * laptop. So, before any route or operation runs:
 *
 * - A request with an Origin (browsers send one on every cross-origin request and every POST)
 *   is served only when that origin is the server's own (the host and port of its Host header;
 *   the scheme is not compared, so a TLS-terminating proxy keeps working; or both are loopback
 *   names on the same port) or one --cors allows. A request without an Origin whose
 *   Sec-Fetch-Site says another site sent it (an <img> or <script> load) is refused the same
 *   way; a link followed to the console is a navigation, and served. SDKs send neither header.
 * - A server listening on loopback answers only a Host of localhost, *.localhost, a loopback
 *   address, its --host, or a name --allowed-hosts lists: a rebound name is refused. A server
 *   listening on another address answers any Host (it needs --credentials or --allow-anonymous).
 *
 * Refusals are 403 AccessDeniedException, saying which option would allow the request.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AccessDeniedException } from '../errors.js'
import type { CorsPolicy } from '../http/cors.js'
import { isLoopback } from './startup.js'

/** Host values already accepted, kept so that an SDK's requests cost one lookup; bounded. */
const acceptedHostValuesMax = 32

export interface BrowserRequestGuard {
  /** The refusal of a request a browser sent for another site, or undefined to serve it. */
  refusalOf(headers: IncomingHttpHeaders): AccessDeniedException | undefined
  /** The server now listens at `address`: Host names are checked when it is a loopback address. */
  listeningAt(address: AddressInfo | string | null): void
}

/**
 * `allowedHosts`: names served besides localhost and loopback addresses when listening on
 * loopback (the --host value and --allowed-hosts): a name, `.example.com` for that domain and
 * every name under it, or `*` for any Host.
 */
export function browserRequestGuard(cors: CorsPolicy, allowedHosts: readonly string[] = []): BrowserRequestGuard {
  const names = allowedHosts.map((name) => normalHostName(name))
  const anyHost = names.includes('*')
  let checkingHosts = false
  const acceptedHostValues = new Set<string>()
  const hostRefusal = (host: string): AccessDeniedException | undefined => {
    if (acceptedHostValues.has(host)) return undefined
    const name = normalHostName(hostNameOf(host))
    if (!isLoopbackName(name) && !names.some((allowed) => allowed === name || (allowed.startsWith('.') && `.${name}`.endsWith(allowed)))) {
      return new AccessDeniedException(`Host ${JSON.stringify(host)} refused: a server listening on loopback answers only ` +
        `localhost and loopback addresses (a page of another name re-pointed at this machine must not reach it); ` +
        `allow the name with --allowed-hosts ${JSON.stringify(name)}`)
    }
    if (acceptedHostValues.size < acceptedHostValuesMax) acceptedHostValues.add(host)
    return undefined
  }
  return {
    refusalOf(headers) {
      const host = headers.host ?? (headers[':authority'] as string | undefined)
      if (checkingHosts && host !== undefined) {
        const refusal = hostRefusal(host)
        if (refusal) return refusal
      }
      const origin = headers.origin
      if (origin !== undefined) {
        if (cors.allows(origin) || isOwnOrigin(origin, host)) return undefined
        return originRefusal(origin)
      }
      const site = headers['sec-fetch-site']
      if (site === 'cross-site' && headers['sec-fetch-mode'] !== 'navigate' && !cors.anyOrigin) {
        return originRefusal('another site')
      }
      return undefined
    },
    listeningAt(address) {
      checkingHosts = !anyHost && typeof address === 'object' && address !== null && isLoopback(address.address)
    },
  }
}

function originRefusal(origin: string): AccessDeniedException {
  return new AccessDeniedException(`Cross-origin request from ${origin} refused: this server answers browsers only from ` +
    `its own origin; allow another origin with --cors (e.g. --cors https://app.example)`)
}

/** Whether `origin` is the page's own: the same host and port as `host`, or both loopback on one port. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false
  const schemeEnd = origin.indexOf('://')
  if (schemeEnd < 0) return false
  const authority = origin.slice(schemeEnd + 3).toLowerCase()
  const lowerHost = host.toLowerCase()
  if (authority === lowerHost) return true
  return portOf(authority) === portOf(lowerHost) && isLoopbackName(normalHostName(hostNameOf(authority)))
    && isLoopbackName(normalHostName(hostNameOf(lowerHost)))
}

/** The name of a Host value or an origin's authority: without the port and IPv6 brackets. */
function hostNameOf(authority: string): string {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']')
    return end < 0 ? authority : authority.slice(1, end)
  }
  const colon = authority.indexOf(':')
  return colon < 0 ? authority : authority.slice(0, colon)
}

function portOf(authority: string): string {
  const colon = authority.lastIndexOf(':')
  return colon < 0 || authority.indexOf(']', colon) >= 0 ? '' : authority.slice(colon + 1)
}

/** Lower case, without the trailing dot of a fully qualified name. */
function normalHostName(name: string): string {
  const lower = name.toLowerCase()
  return lower.endsWith('.') ? lower.slice(0, -1) : lower
}

/** Names that never leave the machine: browsers resolve localhost and *.localhost to loopback themselves. */
function isLoopbackName(name: string): boolean {
  return isLoopback(name) || name.endsWith('.localhost')
}
