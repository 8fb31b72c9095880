/**
 * The request pipeline, in DynamoDB's order: JSON body → target → authentication → request
 * validation (types, then member constraints, then cross-field checks, with the shape the
 * target's registry entry carries) → authorization → the operation.
 * Error order is part of compatibility, so do not reorder these steps.
 */
import { runOperation } from './context.js'
import { JsonText, responseText } from './json-text.js'
import { operationNamed, type Operation } from './operation.js'
import { SerializationException, UnknownOperationException } from '../errors.js'
import { createAuthenticator, type Authenticator } from '../http/auth.js'
import { signingServiceOf } from '../security/signing-services.js'
import { authorize } from '../security/authorize.js'
import type { ApiRequest, Dispatch } from '../http/server.js'
import type { Regions } from '../regions.js'
import { StreamingReply } from '../http/streaming-reply.js'
import { withCatalogCaughtUp } from '../cluster/catalog-miss.js'
import { isForegroundAction, noteForegroundRequest } from './foreground.js'

/** The operations of one API, e.g. DynamoDB's, keyed by action name. */
export type ServiceOperations = Record<string, Operation>

/** Target prefix ('DynamoDB_20120810') → that service's operations. */
export type Services = Record<string, ServiceOperations>

export interface DispatcherOptions {
  services: Services
  regions: Regions
  defaultRegion: string
  /** Who may call (see src/http/auth.ts); default: any well-signed request, in the default account. */
  authenticator?: Authenticator
}

export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { services, regions, defaultRegion } = options
  // Decided once per operation, so a request only looks its operation up (src/api/foreground.ts).
  const foregroundOperations = new Set(Object.entries(services['DynamoDB_20120810'] ?? {})
    .filter(([action]) => isForegroundAction(action)).map(([, operation]) => operation))
  const authenticator = options.authenticator ??
    createAuthenticator({ defaultRegion, accountId: regions.defaultAccountId, now: Date.now })
  return async (request: ApiRequest): Promise<string | StreamingReply> => {
    const input = parseBody(request.body)
    const operation = operationFor(services, request.target)
    if (!operation) throw new UnknownOperationException()
    if (foregroundOperations.has(operation)) noteForegroundRequest()
    const caller = authenticator.authenticate(request.signed, signingServiceOf(request.target))
    requireObjectInput(request.body, input)
    const accepted = operation.accept(input)
    // The region is almost always open already, and callers are unverified unless credentials
    // are configured: neither is awaited then, as each await is a turn of the microtask queue.
    const regionOrOpening = regions.get(caller.region, caller.accountId)
    const region = regionOrOpening instanceof Promise ? await regionOrOpening : regionOrOpening
    if (caller.verified) await authorize(caller, request.target, input, region)
    const output = await withCatalogCaughtUp(region, () => runOperation(region, request.requestId, accepted))
    if (output instanceof StreamingReply) return output
    return output instanceof JsonText ? output.text : responseText(output)
  }
}

/**
 * The operation an X-Amz-Target ('Prefix.Action') names, if any. Own properties only, at both
 * levels: a target such as 'constructor.name' must not reach Object.prototype.
 */
function operationFor(services: Services, target: string): Operation | undefined {
  const dot = target.indexOf('.')
  if (dot <= 0) return undefined
  const prefix = target.slice(0, dot)
  if (!Object.hasOwn(services, prefix)) return undefined
  return operationNamed(services[prefix]!, target.slice(dot + 1))
}

/** The request body as JSON (undefined when empty); SerializationException when it is not JSON. */
export function parseBody(body: string): unknown {
  if (!body) return undefined
  try {
    return JSON.parse(body)
  } catch {
    throw new SerializationException('')
  }
}

/**
 * An empty body, or JSON that is not an object (null, a list, a string), has no members to
 * read: DynamoDB answers SerializationException. Checked after the target and the signature,
 * as DynamoDB orders its errors.
 */
export function requireObjectInput(body: string, input: unknown): asserts input is Record<string, unknown> {
  if (!body || typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SerializationException('')
  }
}
