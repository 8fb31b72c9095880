/**
 * The request log: with --log-level debug, one line per API request, after it is answered:
 * operation, table, region, status, error type and message, and latency. An error such as
 * ResourceNotFoundException names no table on the wire (DynamoDB's message does not), so this
 * line is where an operator sees which table, in which region, a client was looking for.
 * Below debug the dispatcher is returned unchanged: the hot path pays nothing.
 */
import { performance } from 'node:perf_hooks'
import { DynamoError } from '../errors.js'
import { callerFromHeaders } from '../http/auth.js'
import type { ApiRequest, Dispatch } from '../http/server.js'
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

function elapsedSince(startedMs: number): number {
  return Math.round((performance.now() - startedMs) * 1000) / 1000
}

/** Operation, request id, region and the table(s) a request names, as far as they can be read. */
function describeRequest(request: ApiRequest, defaultRegion: string): Record<string, unknown> {
  const fields: Record<string, unknown> = { requestId: request.requestId, operation: request.target || undefined }
  try {
    fields.region = callerFromHeaders(request.headers, defaultRegion).region
  } catch {
    // Unsigned or badly signed: the error line says so.
  }
  const tables = tablesNamedBy(request.body)
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
