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
    let input: unknown
    if (request.body) {
      try {
        input = JSON.parse(request.body)
      } catch {
        throw new SerializationException('')
      }
    }
    const dot = request.target.indexOf('.')
    const action = request.target.slice(dot + 1)
    const operation = dot > 0 ? services[request.target.slice(0, dot)]?.[action] : undefined
    if (!operation || !Object.hasOwn(services[request.target.slice(0, dot)]!, action)) {
      throw new UnknownOperationException()
    }
    const caller = callerFromHeaders(request.headers, defaultRegion)
    // A body that is JSON but not an object (null, a list, a string) has no members to read.
    if (!request.body || typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new SerializationException('')
    }
    validateRequest(action, input)
    const region = await regions.get(caller.region)
    const output = await operation({ ...region, requestId: request.requestId }, input)
    return output instanceof JsonText ? output.text : JSON.stringify(output)
  }
}
