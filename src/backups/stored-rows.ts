/** The rows stored under a storage table id (a backup's items), in key order, a page per read. */
import type { RegionContext } from '../api/context.js'
import type { Row, TableId } from '../storage/engine.js'

const pageRows = 1000

/** Every row, or those after the encoded key `after`, a page of rows at a time. */
export async function* storedPages(ctx: RegionContext, storageId: TableId, after?: Buffer): AsyncIterable<Row[]> {
  for (;;) {
    const rows = await ctx.storage.read((view) => view.rangeItems(storageId, after ? { start: after, startInclusive: false } : {}, pageRows))
    if (rows.length > 0) yield rows
    if (rows.length < pageRows) return
    after = rows.at(-1)!.key
  }
}
