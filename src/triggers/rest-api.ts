/**
 * Lambda's event-source-mapping REST API on the server's own port, routed by path:
 *   POST   /2015-03-31/event-source-mappings/          CreateEventSourceMapping (202)
 *   GET    /2015-03-31/event-source-mappings/          ListEventSourceMappings
 *   GET    /2015-03-31/event-source-mappings/{UUID}    GetEventSourceMapping
 *   PUT    /2015-03-31/event-source-mappings/{UUID}    UpdateEventSourceMapping (202)
 *   DELETE /2015-03-31/event-source-mappings/{UUID}    DeleteEventSourceMapping (202)
 * and its tag operations on a mapping's ARN (the only Lambda resource served here):
 *   GET    /2017-03-31/tags/{ARN}                      ListTags
 *   POST   /2017-03-31/tags/{ARN}                      TagResource (204)
 *   DELETE /2017-03-31/tags/{ARN}?tagKeys=...          UntagResource (204)
 * The region comes from the SigV4 credential scope, as for every other API here.
 */
import type { RegionContext } from '../api/context.js'
import { DynamoError } from '../errors.js'
import { createAuthenticator, type Authenticator } from '../http/auth.js'
import { authorizeAction } from '../security/authorize.js'
import type { PathRoute, RestReply, RestRequest } from '../http/server.js'
import { LambdaError } from './lambda-errors.js'
import { parseBody } from './mapping-input.js'
import {
  createMapping, deleteMapping, getMapping, listMappings, listMappingTags, tagMapping, untagMapping, updateMapping, type MappingRegistry,
} from './mapping-operations.js'

export const mappingsPathPrefix = '/2015-03-31/event-source-mappings'
const tagsPathPrefix = '/2017-03-31/tags/'

export interface MappingRouteOptions {
  region(name: string, accountId?: string): RegionContext | Promise<RegionContext>
  registry(region: RegionContext): MappingRegistry
  defaultRegion: string
  /** Verifies the Lambda-scoped signature; default: any well-signed request, in the default account. */
  authenticator?: Authenticator
}

export function mappingRoutes(options: MappingRouteOptions): PathRoute[] {
  const authenticator = options.authenticator ??
    createAuthenticator({ defaultRegion: options.defaultRegion, accountId: '', now: Date.now })
  return [
    lambdaRoute(mappingsPathPrefix, (request) => route(options, authenticator, request)),
    lambdaRoute(tagsPathPrefix, (request) => routeTags(options, authenticator, request)),
  ]
}

/** A route answering Lambda's way: its errors as Lambda words them. */
function lambdaRoute(prefix: string, handle: (request: RestRequest) => Promise<RestReply>): PathRoute {
  return {
    prefix,
    async handle(request: RestRequest): Promise<RestReply> {
      try {
        return await handle(request)
      } catch (error) {
        if (error instanceof LambdaError) return error.toReply()
        if (error instanceof DynamoError) {
          // Signature problems are reported with the same error types across AWS services.
          return new LambdaError(error.type, error.statusCode, error.message).toReply()
        }
        throw error
      }
    },
  }
}

/** The region a request is signed for, once its caller may take `action`. */
async function regionFor(options: MappingRouteOptions, authenticator: Authenticator, request: RestRequest, action: string): Promise<RegionContext> {
  const caller = authenticator.authenticate(request.signed, 'lambda')
  authorizeAction(caller, `lambda:${action}`)
  return options.region(caller.region, caller.accountId || undefined)
}

async function routeTags(options: MappingRouteOptions, authenticator: Authenticator, request: RestRequest): Promise<RestReply> {
  const action = request.method === 'GET' ? 'ListTags' : request.method === 'POST' ? 'TagResource' : request.method === 'DELETE' ? 'UntagResource' : undefined
  if (action === undefined) throw unknownOperation()
  let arn: string
  try {
    arn = decodeURIComponent(request.path.slice(tagsPathPrefix.length))
  } catch {
    throw unknownOperation()
  }
  const region = await regionFor(options, authenticator, request, action)
  if (action === 'ListTags') return listMappingTags(region, arn)
  if (action === 'TagResource') return tagMapping(region, arn, parseBody(request.body))
  return untagMapping(region, arn, request.query.getAll('tagKeys'))
}

async function route(options: MappingRouteOptions, authenticator: Authenticator, request: RestRequest): Promise<RestReply> {
  const rest = request.path.slice(mappingsPathPrefix.length)
  if (rest !== '' && !rest.startsWith('/')) throw unknownOperation()
  const uuid = rest.replace(/^\/+|\/+$/g, '')
  if (uuid.includes('/')) throw unknownOperation()
  const region = await regionFor(options, authenticator, request, lambdaActionOf(request.method, uuid))
  const registry = options.registry(region)
  if (uuid === '') {
    if (request.method === 'POST') return createMapping(region, registry, parseBody(request.body))
    if (request.method === 'GET') return listMappings(region, request.query)
    throw unknownOperation()
  }
  switch (request.method) {
    case 'GET': return getMapping(region, uuid)
    case 'PUT': return updateMapping(region, registry, uuid, parseBody(request.body))
    case 'DELETE': return deleteMapping(region, registry, uuid)
    default: throw unknownOperation()
  }
}

/** Lambda's action name for IAM policies. */
function lambdaActionOf(method: string, uuid: string): string {
  if (uuid === '') return method === 'POST' ? 'CreateEventSourceMapping' : 'ListEventSourceMappings'
  return method === 'PUT' ? 'UpdateEventSourceMapping' : method === 'DELETE' ? 'DeleteEventSourceMapping' : 'GetEventSourceMapping'
}

function unknownOperation(): LambdaError {
  return new LambdaError('UnknownOperationException', 404, 'Unknown operation')
}
