/**
 * ReadView.rangeJoined for an engine that reads rows one by one: the rows joined after the read.
 * (SQLite joins them in the statement, so that each row need not become a JavaScript value.)
 */
import type { JoinedRows, Row } from './engine.js'

export function joinRows(rows: readonly Row[]): JoinedRows {
  let bytes = 0
  for (const row of rows) bytes += row.size
  return { count: rows.length, bytes, jsonList: rows.map((row) => row.json).join(','), last: rows.at(-1) }
}
