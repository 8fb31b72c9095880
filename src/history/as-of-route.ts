/**
 * `GET /_eddydb/as-of?table=NAME&time=T[&region=R][&limit=N][&after=KEY]`: a page of a table's
 * items as they were at T (epoch seconds, or ISO 8601), without restoring it; what
 * `eddydb scan TABLE --as-of T` prints. T must lie in the table's PITR window. The reply is
 * `{"Items": [...], "LastEvaluatedKey": "<hex>"}`; passing that back as `after` reads the next
 * page, each page exact at T however the table changed in between (history/table-as-of.ts).
 */
import { DynamoError, InvalidRestoreTimeException, PointInTimeRecoveryUnavailableException, TableNotFoundException, ValidationException } from '../errors.js'
import { errorRouteReply, jsonRouteReply } from '../http/route-replies.js'
import type { PathRoute, RestReply, RestRequest } from '../http/server.js'
import type { Regions } from '../regions.js'
import { rowsAsOf } from './table-as-of.js'
import { pitrWindow } from './pitr.js'

export const asOfPath = '/_eddydb/as-of'
const pageItemsDefault = 1000
const pageItemsMax = 10_000


/** Epoch seconds, or any date Date.parse reads; undefined when it is neither. */
export function parseInstantMs(text: string): number | undefined {
  const seconds = Number(text)
  if (text.trim() !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000)
  const parsed = Date.parse(text)
  return Number.isNaN(parsed) ? undefined : parsed
}

export function asOfRoute(regions: Regions, defaultRegion: string): PathRoute {
  return {
    prefix: asOfPath,
    async handle(request: RestRequest): Promise<RestReply> {
      if (request.path !== asOfPath) return { status: 404 }
      if (request.method !== 'GET') return { status: 405, headers: { Allow: 'GET' } }
      try {
        return await asOfPage(regions, defaultRegion, request.query)
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error
        return errorRouteReply(error)
      }
    },
  }
}

/** One page, or the error RestoreTableToPointInTime would give for the same table and time. */
async function asOfPage(regions: Regions, defaultRegion: string, query: URLSearchParams): Promise<RestReply> {
  const ctx = await regions.get(query.get('region') ?? defaultRegion)
  const name = query.get('table') ?? ''
  const table = ctx.catalog.get(name)
  if (!table) throw new TableNotFoundException(`Table not found: ${name}`)
  const instantMs = parseInstantMs(query.get('time') ?? '')
  if (instantMs === undefined) throw new ValidationException('time must be epoch seconds or an ISO 8601 date')
  const window = await pitrWindow(ctx, table.tableId)
  if (!window) throw new PointInTimeRecoveryUnavailableException(`Point in time recovery is not enabled for table '${name}'`)
  if (instantMs < window.earliestMs || instantMs > window.latestMs) {
    throw new InvalidRestoreTimeException(
      `time must be between ${new Date(window.earliestMs).toISOString()} and ${new Date(window.latestMs).toISOString()}`)
  }
  const limit = Math.min(Number(query.get('limit') ?? pageItemsDefault) || pageItemsDefault, pageItemsMax)
  const afterText = query.get('after')
  const items: unknown[] = []
  let lastKey: Buffer | undefined
  const rows = rowsAsOf(ctx, table.tableId, { micros: instantMs * 1000 }, afterText ? { after: Buffer.from(afterText, 'hex') } : {})
  for await (const row of rows) {
    if (items.length === limit) return jsonRouteReply(200, { Items: items, LastEvaluatedKey: lastKey!.toString('hex') })
    items.push(JSON.parse(row.json))
    lastKey = row.key
  }
  return jsonRouteReply(200, { Items: items })
}
