/**
 * `GET /_eddydb/as-of?table=NAME&time=T[&region=R][&limit=N][&after=KEY]`: a page of a table's
 * items as they were at T (epoch seconds, or ISO 8601), without restoring it; what
 * `eddydb scan TABLE --as-of T` prints. T must lie in the table's PITR window. The reply is
 * `{"Items": [...], "LastEvaluatedKey": "<hex>"}`; passing that back as `after` reads the next
 * page, each page exact at T however the table changed in between (history/table-as-of.ts).
 */
import type { PathRoute, RestReply, RestRequest } from '../http/server.js'
import type { Regions } from '../regions.js'
import { rowsAsOf } from './table-as-of.js'
import { pitrWindow } from './pitr.js'

export const asOfPath = '/_eddydb/as-of'
const pageItemsDefault = 1000
const pageItemsMax = 10_000

const jsonReply = (status: number, body: object): RestReply =>
  ({ status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

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
      const ctx = await regions.get(request.query.get('region') ?? defaultRegion)
      const name = request.query.get('table') ?? ''
      const table = ctx.catalog.get(name)
      if (!table) return jsonReply(404, { message: `Table not found: ${name}` })
      const instantMs = parseInstantMs(request.query.get('time') ?? '')
      if (instantMs === undefined) return jsonReply(400, { message: 'time must be epoch seconds or an ISO 8601 date' })
      const window = await pitrWindow(ctx, table.tableId)
      if (!window) return jsonReply(400, { message: `Point in time recovery is not enabled for table '${name}'` })
      if (instantMs < window.earliestMs || instantMs > window.latestMs) {
        return jsonReply(400, { message: `time must be between ${new Date(window.earliestMs).toISOString()} and ${new Date(window.latestMs).toISOString()}` })
      }
      const limit = Math.min(Number(request.query.get('limit') ?? pageItemsDefault) || pageItemsDefault, pageItemsMax)
      const afterText = request.query.get('after')
      const items: unknown[] = []
      let lastKey: Buffer | undefined
      const rows = rowsAsOf(ctx, table.tableId, instantMs * 1000, afterText ? { after: Buffer.from(afterText, 'hex') } : {})
      for await (const row of rows) {
        if (items.length === limit) return jsonReply(200, { Items: items, LastEvaluatedKey: lastKey!.toString('hex') })
        items.push(JSON.parse(row.json))
        lastKey = row.key
      }
      return jsonReply(200, { Items: items })
    },
  }
}
