/**
 * The request pipeline, in DynamoDB's order: JSON body → target → authentication → request
 * validation (types, then member constraints, then cross-field checks, with the shape the
 * target's registry entry carries) → authorization → the operation.
 * Error order is part of compatibility, so do not reorder these steps. One exception: with
 * signatures verified, a large body (src/http/request-body.ts) is authenticated first, so an
 * unsigned request never costs more than reading its bytes.
 */
import { runOperation } from './context.js'
import { JsonText, responseText } from './json-text.js'
import { operationNamed, type Operation } from './operation.js'
import { SerializationException, UnknownOperationException, ValidationException } from '../errors.js'
import { createAuthenticator, type AuthenticatedCaller, type Authenticator } from '../http/auth.js'
import { jsonNestsDeeperThan } from '../validate/json-nesting.js'
import { inputNestingDepthMax } from '../validate/coerce.js'
import { nestingMessage } from '../values/attribute-value.js'
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
    const service = signingServiceOf(request.target)
    const largeBodyCaller = authenticateLargeBody(request, authenticator, service)
    const body = request.body.text()
    const input = parseBody(body)
    const operation = operationFor(services, request.target)
    if (!operation) throw new UnknownOperationException()
    if (foregroundOperations.has(operation)) noteForegroundRequest()
    const caller = largeBodyCaller ?? authenticator.authenticate(request.signed, service)
    requireObjectInput(body, input)
    const accepted = operation.accept(input)
    // The region is almost always open already, and callers are unverified unless credentials
    // are configured: neither is awaited then, as each await is a turn of the microtask queue.
    regions.refuseMisrouted(caller.region)
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

/**
 * With signatures verified, the caller of a request with a large body, authenticated before the
 * body is inflated or parsed (the signature covers the bytes as sent); undefined otherwise, and
 * the caller is authenticated in DynamoDB's order.
 */
export function authenticateLargeBody(request: ApiRequest, authenticator: Authenticator, service: string): AuthenticatedCaller | undefined {
  return request.body.large && authenticator.verifying ? authenticator.authenticate(request.signed, service) : undefined
}

/**
 * Bodies longer than this are checked for nesting before they are parsed; shorter ones cannot
 * nest deep enough to cost JSON.parse much (2,048 levels, under a millisecond), and the small
 * requests of the hot path skip the check.
 */
const nestingCheckBodyLengthMin = 4096

/**
 * The request body as JSON (undefined when empty); SerializationException when it is not JSON.
 * A long body nesting deeper than any request can (inputNestingDepthMax: DynamoDB allows 32
 * levels of values) is refused unparsed with the error such nesting gets in an item.
 */
export function parseBody(body: string): unknown {
  if (!body) return undefined
  if (body.length > nestingCheckBodyLengthMin && jsonNestsDeeperThan(body, inputNestingDepthMax)) {
    throw new ValidationException(nestingMessage)
  }
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
