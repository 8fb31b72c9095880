/**
 * The request log: with --log-level debug, one line per API request, after it is answered:
 * operation, table, region, status, error type and message, and latency. An error such as
 * ResourceNotFoundException names no table on the wire (DynamoDB's message does not), so this
 * line is where an operator sees which table, in which region, a client was looking for.
 * REST routes (the Lambda API, the status route) get the same line. Below debug the dispatcher
 * and routes are returned unchanged: the hot path pays nothing.
 */
import { performance } from 'node:perf_hooks'
import { DynamoError } from '../errors.js'
import { callerFromHeaders } from '../http/auth.js'
import type { ApiRequest, Dispatch, PathRoute } from '../http/server.js'
import type { Logger } from '../log.js'

export function withRequestLog(dispatch: Dispatch, log: Logger, defaultRegion: string): Dispatch {
  if (!log.isEnabled('debug')) return dispatch
  return async (request) => {
    const startedMs = performance.now()
    try {
      const text = await dispatch(request)
      log.debug('request', { ...describeRequest(request, defaultRegion), status: 200, latencyMs: elapsedSince(startedMs) })
      return text
    } catch (error) {
      const known = error instanceof DynamoError
      log.debug('request', {
        ...describeRequest(request, defaultRegion),
        status: known ? error.statusCode : 500,
        errorType: known ? error.type : 'InternalServerError',
        errorMessage: error instanceof Error ? error.message : String(error),
        latencyMs: elapsedSince(startedMs),
      })
      throw error
    }
  }
}

/** The same line for a REST route (Lambda's event-source-mapping API, the status route, ...). */
export function withRouteLog(route: PathRoute, log: Logger, defaultRegion: string): PathRoute {
  if (!log.isEnabled('debug')) return route
  return {
    prefix: route.prefix,
    async handle(request) {
      const startedMs = performance.now()
      const reply = await route.handle(request)
      const errorType = reply.headers?.['x-amzn-ErrorType']
      log.debug('request', {
        requestId: request.requestId, operation: `${request.method} ${request.path}`, region: regionOf(request.headers, defaultRegion),
        status: reply.status, ...(errorType ? { errorType } : {}), latencyMs: elapsedSince(startedMs),
      })
      return reply
    },
  }
}

function regionOf(headers: ApiRequest['headers'], defaultRegion: string): string | undefined {
  try {
    return callerFromHeaders(headers, defaultRegion).region
  } catch {
    return undefined // unsigned or badly signed: the status and error type say so
  }
}

function elapsedSince(startedMs: number): number {
  return Math.round((performance.now() - startedMs) * 1000) / 1000
}

/** Operation, request id, region and the table(s) a request names, as far as they can be read. */
function describeRequest(request: ApiRequest, defaultRegion: string): Record<string, unknown> {
  const fields: Record<string, unknown> = { requestId: request.requestId, operation: request.target || undefined, region: regionOf(request.headers, defaultRegion) }
  // A large body may not have been read (an unsigned one is refused unread): it is not read for the log.
  const tables = request.body.large ? [] : tablesNamedBy(request.body.text())
  if (tables.length === 1) fields.table = tables[0]
  else if (tables.length > 1) fields.tables = tables
  return fields
}

/** TableName, or the tables of a batch or transaction. */
function tablesNamedBy(body: string): string[] {
  let input: Record<string, any>
  try {
    input = JSON.parse(body) as Record<string, any>
  } catch {
    return []
  }
  if (typeof input !== 'object' || input === null) return []
  if (typeof input.TableName === 'string') return [input.TableName]
  if (typeof input.RequestItems === 'object' && input.RequestItems !== null) return Object.keys(input.RequestItems)
  if (Array.isArray(input.TransactItems)) {
    const names = input.TransactItems.map((entry: Record<string, any> | null) => {
      const action = entry && typeof entry === 'object' ? Object.values(entry)[0] as Record<string, any> | undefined : undefined
      return typeof action?.TableName === 'string' ? action.TableName : undefined
    })
    return [...new Set(names.filter((name: unknown): name is string => name !== undefined))]
  }
  return []
}
