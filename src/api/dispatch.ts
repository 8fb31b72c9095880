/**
 * The request pipeline, in DynamoDB's order: JSON body → target → authentication → request
 * validation (types, then member constraints, then cross-field checks) → the operation.
 * Error order is part of compatibility, so do not reorder these steps.
 */
import { JsonText } from './json-text.js'
import type { OperationHandler } from './context.js'
import { SerializationException, UnknownOperationException } from '../errors.js'
import { callerFromHeaders } from '../http/auth.js'
import type { ApiRequest, Dispatch } from '../http/server.js'
import type { Regions } from '../regions.js'
import { validateRequest } from '../validate/index.js'
import { withCatalogCaughtUp } from '../cluster/catalog-miss.js'

/** The operations of one API, e.g. DynamoDB's, keyed by action name. */
export type ServiceOperations = Record<string, OperationHandler>

/** Target prefix ('DynamoDB_20120810') → that service's operations. */
export type Services = Record<string, ServiceOperations>

export interface DispatcherOptions {
  services: Services
  regions: Regions
  defaultRegion: string
}

export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { services, regions, defaultRegion } = options
  return async (request: ApiRequest): Promise<string> => {
    const input = parseBody(request.body)
    const operation = operationFor(services, request.target)
    if (!operation) throw new UnknownOperationException()
    const action = request.target.slice(request.target.indexOf('.') + 1)
    const caller = callerFromHeaders(request.headers, defaultRegion)
    requireObjectInput(request.body, input)
    validateRequest(action, input)
    const region = await regions.get(caller.region)
    const output = await withCatalogCaughtUp(region, () => operation({ ...region, requestId: request.requestId }, input))
    return output instanceof JsonText ? output.text : JSON.stringify(output)
  }
}

/**
 * The handler an X-Amz-Target ('Prefix.Action') names, if any. Own properties only, at both
 * levels: a target such as 'constructor.name' must not reach Object.prototype.
 */
function operationFor(services: Services, target: string): OperationHandler | undefined {
  const dot = target.indexOf('.')
  if (dot <= 0) return undefined
  const prefix = target.slice(0, dot)
  const action = target.slice(dot + 1)
  if (!Object.hasOwn(services, prefix) || !Object.hasOwn(services[prefix]!, action)) return undefined
  const operation = services[prefix]![action]
  return typeof operation === 'function' ? operation : undefined
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
