/** The copy loop of backups and restores: pages of rows in, written a page per transaction. */
import type { RegionContext } from '../api/context.js'
import { jobsOf } from './jobs.js'

/**
 * Writes the rows of `pages` (as the source reads them) in pages of `pageRows` with
 * `writePage`; false when the region is shutting down and the copy stopped early (it goes on
 * at the next start).
 */
export async function copyInPages<T>(
  ctx: RegionContext, pages: AsyncIterable<T[]>, pageRows: number, writePage: (page: T[]) => Promise<void>,
): Promise<boolean> {
  let page: T[] = []
  for await (const read of pages) {
    for (const row of read) {
      if (jobsOf(ctx).stopping) return false
      page.push(row)
      if (page.length < pageRows) continue
      await writePage(page)
      page = []
    }
  }
  if (page.length > 0) await writePage(page)
  return true
}
