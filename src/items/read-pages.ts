/**
 * One page of Query or Scan results: walk rows of the table or an index in key order within a
 * range, stopping at Limit evaluated items or at 1 MB read, filter, project, and say where the
 * next page starts. Items without a projection are passed through as their stored JSON text.
 */
import type { RequestContext } from '../api/context.js'
import { jsonWithRawMembers, type JsonText } from '../api/json-text.js'
import { ValidationException } from '../errors.js'
import { applyProjection, evaluateCondition, type Condition, type Projection } from '../expressions/index.js'
import type { JoinedRows, KeyRange, ReadView, Row } from '../storage/engine.js'
import { indexKeyAttributeNames, tableKeyNames, type IndexSchema, type TableSchema } from '../tables/schema.js'
import { normalizeItem } from '../values/attribute-value.js'
import { encodeIndexKey, encodePrimaryKey } from '../values/key.js'
import { itemSizeBytes } from '../values/size.js'
import { typeOf, type Item } from '../values/types.js'
import { CapacityMeter, readUnits } from './capacity.js'
import { indexKeyAttributesOf, keyAttributesOf, keyFromKeyParameter } from './keys.js'
import { ownMember } from '../values/members.js'
import { unprojectedAttributes } from './select.js'

/** DynamoDB stops a Query or Scan page once it has read 1 MB. */
export const pageBytesMax = 1024 * 1024
/** Rows fetched from storage per round trip while filling a page. */
const rowsPerFetch = 256

/**
 * The average size of the rows the last page of each table or index read, so that the next
 * page's first read asks for about a page's worth of rows instead of rowsPerFetch: 256 rows of
 * 400 KB items are 100 MB read and dropped for a page of 1 MB (a scale probe saw every page of a
 * partition of 400 KB items take a second). Keyed by the table's or index's schema object, so a
 * Query makes no key and the hints go when the catalog replaces the schema.
 */
const rowSizeHints = new WeakMap<TableSchema | IndexSchema, number>()

const rowSizeHintKey = (request: PageRequest) => request.index ?? request.table

/**
 * A page of a table or index without a hint (its first since the server started) starts with
 * this many rows, and each read that stays under the 1 MB mark asks for four times as many as
 * the last, up to rowsPerFetch: 16 rows of 400 KB are 6 MB, where 256 were 100 MB.
 */
const rowsWithoutHint = 16

function firstReadRows(request: PageRequest): number {
  const rowBytes = rowSizeHints.get(rowSizeHintKey(request))
  return rowBytes === undefined ? rowsWithoutHint : Math.min(rowsPerFetch, Math.max(1, Math.ceil(pageBytesMax / rowBytes)))
}

const nextReadRows = (rows: number) => Math.min(rowsPerFetch, rows * 4)

function noteRowSize(request: PageRequest, state: PageState): void {
  if (state.scanned > 0) rowSizeHints.set(rowSizeHintKey(request), state.bytes / state.scanned)
}

export interface PageRequest {
  table: TableSchema
  index?: IndexSchema
  range: KeyRange
  limit?: number
  filter?: Condition
  projection?: Projection
  select: 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT'
  consistent: boolean
  exclusiveStartKey?: Item
  /**
   * For a Query: the key prefix every row of the queried partition starts with. An
   * ExclusiveStartKey must lie in that partition and within `range`.
   */
  queryPartitionPrefix?: Buffer
  returnConsumedCapacity?: 'NONE' | 'TOTAL' | 'INDEXES'
  /** A parallel Scan's segment: `range` is its slice of the hash space. */
  segment?: { segment: number; totalSegments: number }
}

interface PageState {
  texts: string[]
  count: number
  scanned: number
  /** Bytes toward the page's 1 MB: the rows read, and the table items an LSI query fetched. */
  bytes: number
  /** Bytes of the rows read (the table's, or the index's entries): the page's own read units. */
  rowBytes: number
  /**
   * Read units of the table items an LSI query fetched. Each fetch is its
   * own read, rounded up on its own: "you are charged for read capacity units for every base table
   * item fetched" (Developer Guide, LSI read considerations); DynamoDB Local charges the same.
   */
  tableFetchUnits: number
  /** The last row evaluated: the next page starts after it. */
  lastRow?: Row
  stoppedEarly: boolean
}

export async function readPage(ctx: RequestContext, request: PageRequest): Promise<JsonText> {
  if (request.segment && request.exclusiveStartKey) checkStartKeyInSegment(encodeStartKey(request), request.range, request.segment)
  const range = startAfter(request)
  const state: PageState = { texts: [], count: 0, scanned: 0, bytes: 0, rowBytes: 0, tableFetchUnits: 0, stoppedEarly: false }
  // Items that go out as stored are read joined, until a read would pass the 1 MB mark: then
  // row by row, to stop at the row that passes it.
  const readsTableItems = request.index !== undefined && needsTableItem(request)
  let joined = passesItemsThrough(request, readsTableItems)
  let rowsPerRead = firstReadRows(request)
  await ctx.storage.read(async (view) => {
    for (;;) {
      const want = request.limit ? Math.min(request.limit - state.scanned, rowsPerRead) : rowsPerRead
      if (joined) {
        const rows = await view.rangeJoined(request.table.tableId, request.index?.name, range, want)
        if (state.bytes + rows.bytes < pageBytesMax) {
          takeJoinedRows(state, rows)
          if (request.limit && state.scanned >= request.limit) {
            state.stoppedEarly = true
            return
          }
          if (rows.count < want) return
          continueAfter(range, rows.last!.key)
          rowsPerRead = nextReadRows(rowsPerRead)
          continue
        }
        // Row by row from here, about as many rows as fit before the mark at the size these
        // had (the loop reads on if they fall short), not the whole read again.
        joined = false
        rowsPerRead = Math.max(1, Math.ceil((pageBytesMax - state.bytes) * rows.count / rows.bytes))
        continue
      }
      const rows = request.index
        ? await view.rangeIndex(request.table.tableId, request.index.name, range, want)
        : await view.rangeItems(request.table.tableId, range, want)
      for (const row of rows) {
        // Only an LSI row that lacks attributes needs another read; the rest stay synchronous.
        const tableItem = readsTableItems ? await readTableItem(view, request, row) : undefined
        takeRow(request, state, row, tableItem)
        if ((request.limit && state.scanned >= request.limit) || state.bytes >= pageBytesMax) {
          state.stoppedEarly = true
          return
        }
      }
      if (rows.length < want) return
      continueAfter(range, rows[rows.length - 1]!.key)
      rowsPerRead = nextReadRows(rowsPerRead)
    }
  })
  noteRowSize(request, state)
  return pageReply(request, state)
}

/** Moves `range` past `key`, the last row read, in the direction of the walk. */
function continueAfter(range: KeyRange, key: Buffer): void {
  if (range.reverse) Object.assign(range, { end: key, endInclusive: false })
  else Object.assign(range, { start: key, startInclusive: false })
}

/** Whether every row read goes into the page as its stored JSON: no filter, projection or table read. */
function passesItemsThrough(request: PageRequest, readsTableItems: boolean): boolean {
  return request.filter === undefined && request.projection === undefined && request.select !== 'COUNT' && !readsTableItems
}

/** takeRow for joined rows that all go out as stored (passesItemsThrough). */
function takeJoinedRows(state: PageState, rows: JoinedRows): void {
  if (rows.count === 0) return
  state.scanned += rows.count
  state.count += rows.count
  state.bytes += rows.bytes
  state.rowBytes += rows.bytes
  state.lastRow = rows.last
  state.texts.push(rows.jsonList)
}

/** The table's item behind an index row (undefined when it is gone). */
async function readTableItem(view: ReadView, request: PageRequest, row: Row): Promise<TableItem | undefined> {
  const indexItem: Item = JSON.parse(row.json)
  const { partitionKey, sortKey } = request.table.key
  const tableJson = await view.getItem(request.table.tableId, encodePrimaryKey(indexItem[partitionKey]!, sortKey ? indexItem[sortKey] : undefined))
  return tableJson === undefined ? undefined : { text: tableJson, item: JSON.parse(tableJson) }
}

interface TableItem {
  text: string
  item: Item
}

function takeRow(request: PageRequest, state: PageState, row: Row, tableItem: TableItem | undefined): void {
  state.scanned++
  state.bytes += row.size
  state.rowBytes += row.size
  state.lastRow = row
  let text = row.json
  let item: Item | undefined
  if (tableItem) {
    text = tableItem.text
    item = tableItem.item
    // The table item fetched is read too: it counts toward the page's 1 MB (as DynamoDB Local
    // counts it), or one page of a KEYS_ONLY index could carry a whole partition of large items.
    const fetchedBytes = itemSizeBytes(item)
    state.bytes += fetchedBytes
    state.tableFetchUnits += readUnits(fetchedBytes, request.consistent)
  }
  // Without a filter or projection the stored text goes out as is: no parse on the hot path.
  if (request.filter) {
    item ??= JSON.parse(text) as Item
    if (!evaluateCondition(request.filter, item)) return
  }
  state.count++
  if (request.select === 'COUNT') return
  if (request.projection) {
    item ??= JSON.parse(text) as Item
    text = JSON.stringify(applyProjection(request.projection, item))
  }
  state.texts.push(text)
}

/**
 * A local secondary index can return attributes it does not project by reading the table
 * (DynamoDB charges for that read); a global one cannot. A projection of attributes the index
 * holds reads only the index: "If you query or scan a local secondary index and request only
 * attributes that are projected into that index, the operation will read only the index and not
 * the table" (Query's Select, API reference). (A filter is tested on what the index holds: a
 * Query's on attributes it lacks is refused, and a Scan's does not match them.)
 */
function needsTableItem(request: PageRequest): boolean {
  const index = request.index!
  if (index.kind !== 'local' || index.projectionType === 'ALL') return false
  if (request.select === 'ALL_ATTRIBUTES') return true
  if (request.projection === undefined || request.select === 'COUNT') return false
  return unprojectedAttributes(request.table, index, request.projection.paths).length > 0
}

function startAfter(request: PageRequest): KeyRange {
  const range: KeyRange = { ...request.range }
  if (!request.exclusiveStartKey) return range
  const start = encodeStartKey(request)
  if (request.queryPartitionPrefix) checkStartKeyInQuery(start, request.queryPartitionPrefix, range)
  continueAfter(range, start)
  return range
}

/**
 * A Query's ExclusiveStartKey must be in the queried partition and satisfy the sort key
 * conditions. (Which of the two DynamoDB reports first is unconfirmed.)
 */
function checkStartKeyInQuery(start: Buffer, partitionPrefix: Buffer, range: KeyRange): void {
  if (start.length < partitionPrefix.length || !start.subarray(0, partitionPrefix.length).equals(partitionPrefix)) {
    throw new ValidationException('The provided starting key is outside query boundaries based on provided condition')
  }
  const afterStart = !range.start || (range.startInclusive ? Buffer.compare(start, range.start) >= 0 : Buffer.compare(start, range.start) > 0)
  const beforeEnd = !range.end || (range.endInclusive ? Buffer.compare(start, range.end) <= 0 : Buffer.compare(start, range.end) < 0)
  if (!afterStart || !beforeEnd) throw new ValidationException('The provided starting key does not match the range key predicate')
}

/**
 * The storage key an ExclusiveStartKey names: the table key, plus every index key attribute
 * when reading an index (as LastEvaluatedKey carries them). A Query reports any mismatch with
 * the bare message, a Scan says why.
 */
function encodeStartKey(request: PageRequest): Buffer {
  const { table, index } = request
  const key = normalizeItem(request.exclusiveStartKey!)
  try {
    if (!index) return keyFromKeyParameter(table, key).encoded
    const tableKey = keyFromKeyParameter(table, keyAttributesOf(table, key)).attributes
    const indexNames = indexKeyAttributeNames(index)
    const expected = new Set([...tableKeyNames(table), ...indexNames])
    const fits = Object.keys(key).length === expected.size &&
      indexNames.every((name) => ownMember(key, name) !== undefined && typeOf(key[name]!) === table.attributeTypes[name])
    if (!fits) throw new ValidationException('The provided key element does not match the schema')
    return encodeIndexKey(
      index.key.partitionKeys.map((name) => key[name]!), index.key.sortKeys.map((name) => key[name]!),
      tableKey[table.key.partitionKey]!, table.key.sortKey ? tableKey[table.key.sortKey] : undefined)
  } catch (error) {
    if (!(error instanceof ValidationException)) throw error
    // Without the reason, for Scan too since DynamoDB's September 2026 rollout reached eu-west-2
    // (the dynamodb-conformance suite; before, a Scan's message went on ": <the reason>").
    throw new ValidationException('The provided starting key is invalid')
  }
}

function pageReply(request: PageRequest, state: PageState): JsonText {
  const fields: Record<string, unknown> = { Count: state.count, ScannedCount: state.scanned }
  if (state.stoppedEarly && state.lastRow) {
    const lastItem: Item = JSON.parse(state.lastRow.json)
    fields.LastEvaluatedKey = request.index
      ? indexKeyAttributesOf(request.table, request.index, lastItem)
      : keyAttributesOf(request.table, lastItem)
  }
  const meter = new CapacityMeter(request.table)
  // The rows read are one read, rounded up once per page; an index's are its entries alone, the
  // table items fetched being charged to the table ("the sum of all projected attribute sizes
  // across all of the items returned", Developer Guide, LSI read considerations).
  const pageUnits = readUnits(state.rowBytes, request.consistent)
  if (request.index) {
    meter.addIndex(request.index.name, pageUnits)
    if (state.tableFetchUnits) meter.addTable(state.tableFetchUnits)
  } else meter.addTable(pageUnits)
  const consumed = meter.report(request.returnConsumedCapacity)
  if (consumed) fields.ConsumedCapacity = consumed
  return jsonWithRawMembers(fields, { Items: request.select === 'COUNT' ? undefined : `[${state.texts.join(',')}]` })
}

/**
 * A parallel Scan's ExclusiveStartKey must lie in the scanned segment (Alternator's
 * test_scan_parallel_with_exclusive_start_key quotes DynamoDB's message).
 */
function checkStartKeyInSegment(start: Buffer, range: KeyRange, { segment, totalSegments }: { segment: number; totalSegments: number }): void {
  const hash = start.subarray(0, range.start?.length ?? range.end?.length ?? 0)
  if ((range.start && hash.compare(range.start) < 0) || (range.end && hash.compare(range.end) >= 0)) {
    throw new ValidationException('The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ' +
      `ExclusiveStartKey with correct Segment. TotalSegments: ${totalSegments} Segment: ${segment}`)
  }
}
