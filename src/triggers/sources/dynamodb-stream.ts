/**
 * A DynamoDB stream as an event source: the table's change log read as one shard, from the
 * stream's start, with a change-log cursor (changes/cursors.ts) as the checkpoint, so the log is
 * never trimmed past what the mapping has not delivered.
 */
import { isTombstoneOnly } from '../../changes/tombstones.js'
import { md5Digest } from '../../md5.js'
import { deleteCursor, loadCursor, saveCursor } from '../../changes/cursors.js'
import type { Transaction } from '../../storage/engine.js'
import { pendingRecordOf, type PendingRecord } from '../event.js'
import type { DynamoDbStreamMapping } from '../mapping.js'
import { readerIdOf } from '../mapping-store.js'
import { readPageRecords, roundScanRecordsMax, type RecordFilter, type RecordSource, type SourceDeps, type SourceKind, type SourceRead } from '../record-source.js'

class DynamoDbStreamSource implements RecordSource {
  readonly batchInfoKey = 'DDBStreamBatchInfo'
  readonly finished = false
  readonly shardId: string
  readonly streamArn: string
  readonly #deps: SourceDeps
  #position = 0

  constructor(deps: SourceDeps) {
    this.#deps = deps
    this.shardId = shardIdOf(this.#mapping)
    this.streamArn = this.#mapping.EventSourceArn
  }

  get #mapping(): DynamoDbStreamMapping {
    return this.#deps.mapping() as DynamoDbStreamMapping
  }

  get position(): number {
    return this.#position
  }

  async open(): Promise<void> {
    const { tableId, UUID } = this.#mapping
    this.#position = (await this.#deps.region.storage.read((view) => loadCursor(view, tableId, readerIdOf(UUID)))) ?? 0
  }

  /**
   * The stream is readable unless its table is live with another stream (or none): then changes
   * being made now are not in this stream. A deleted table's stream stays readable to its end.
   */
  isReadable(): boolean {
    const mapping = this.#mapping
    const record = this.#deps.region.catalog.record(mapping.tableName)
    if (!record || record.description.TableId !== mapping.tableId) return true
    return record.description.StreamSpecification?.StreamEnabled === true && record.description.LatestStreamArn === mapping.EventSourceArn
  }

  async read(wanted: number, filter: RecordFilter | undefined): Promise<SourceRead> {
    const { region } = this.#deps
    const mapping = this.#mapping
    const pending: PendingRecord[] = []
    let through = this.#position
    for (let scanned = 0; pending.length < wanted && scanned < roundScanRecordsMax;) {
      const changes = await region.storage.read((view) => view.readChanges(mapping.tableId, through, readPageRecords))
      for (const change of changes) {
        if (pending.length >= wanted) break
        through = change.sequence
        scanned += 1
        if (change.timeMicros < mapping.streamStartMs * 1000 || isTombstoneOnly(change)) continue
        const record = pendingRecordOf(change, mapping.streamViewType, region.region, mapping.EventSourceArn)
        if (!filter || filter(record.record)) pending.push(record)
      }
      if (changes.length < readPageRecords) break
    }
    return { pending, through }
  }

  async checkpoint(through: number, alongside?: (tx: Transaction) => Promise<void>): Promise<void> {
    const { tableId, UUID } = this.#mapping
    await this.#deps.region.storage.transact(async (tx) => {
      await this.#deps.lease?.fence(tx)
      await saveCursor(tx, tableId, readerIdOf(UUID), through)
      await alongside?.(tx)
    })
    this.#position = through
  }
}

/**
 * The shard id shown in failure records. Triggers read a table's whole change log as one shard;
 * the id follows DynamoDB's format, from the stream's creation time and table.
 */
export function shardIdOf(mapping: DynamoDbStreamMapping): string {
  const suffix = md5Digest(mapping.tableId).toString('hex').slice(0, 8)
  return `shardId-${String(mapping.streamStartMs).padStart(20, '0')}-${suffix}`
}

export const dynamoDbStreamKind: SourceKind<DynamoDbStreamMapping> = {
  /** Before the oldest change (TRIM_HORIZON), or after the newest one at this moment (LATEST). */
  async startCheckpoints(tx, mapping) {
    const startAfterSequence = mapping.StartingPosition === 'LATEST' ? await tx.lastChangeSequence(mapping.tableId) : 0
    await saveCursor(tx, mapping.tableId, readerIdOf(mapping.UUID), startAfterSequence)
  },
  forgetCheckpoints: (tx, mapping) => deleteCursor(tx, mapping.tableId, readerIdOf(mapping.UUID)),
  /** The one shard, started once and never finished. */
  plan: (deps) => ({
    newSources: async (running) => (running.has(shardIdOf(deps.mapping() as DynamoDbStreamMapping)) ? [] : [new DynamoDbStreamSource(deps)]),
  }),
}
