/**
 * The lines of an export's data files (spec §6.4-6.6), in DynamoDB JSON or Ion:
 *  - full exports: one `{"Item":{…}}` (Ion: `$ion_1_0 {Item:{…}}`) per item;
 *  - incremental exports: one line per key changed in the window, compacted to the key's state
 *    before the window (OldImage) and after it (NewImage), with the time of its last write.
 */
import { ionDecimal, ionStruct } from '../s3/ion-items.js'
import type { Item } from '../values/types.js'

export type ExportFormat = 'DYNAMODB_JSON' | 'ION'
export type ExportViewType = 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES'

export function dataFileExtension(format: ExportFormat): string {
  return format === 'ION' ? '.ion.gz' : '.json.gz'
}

/**
 * How a full export's line wraps one stored item: DynamoDB JSON uses the item's wire JSON text
 * as it is, between `prefix` and `suffix`; Ion re-encodes the item (`encode`).
 */
export interface FullExportLines {
  prefix: string
  suffix: string
  encode?: (itemJson: string) => string
}

export function fullExportLines(format: ExportFormat): FullExportLines {
  if (format === 'DYNAMODB_JSON') return { prefix: '{"Item":', suffix: '}\n' }
  return { prefix: '$ion_1_0 {Item:', suffix: '}\n', encode: (itemJson) => ionStruct(JSON.parse(itemJson) as Item) }
}


/** A key's changes within an incremental export's window, compacted. */
export interface CompactedChange {
  keysJson: string
  /** The item when the window opened; undefined when it did not exist. */
  oldImageJson?: string
  /** The item when the window closed; undefined when it was deleted. */
  newImageJson?: string
  /** Time of the key's last write in the window. */
  lastWriteMicros: number
}

/** Images list attributes in ascending name order, as DynamoDB's incremental files do. */
function sortedImage(json: string): Item {
  const item = JSON.parse(json) as Item
  return Object.fromEntries(Object.keys(item).sort().map((name) => [name, item[name]!]))
}

/**
 * The line for one compacted change; undefined for a key created and deleted within the window
 * (it existed neither before nor after). With NEW_IMAGE a delete carries only Metadata and Keys.
 */
export function incrementalExportLine(change: CompactedChange, format: ExportFormat, view: ExportViewType): string | undefined {
  if (change.oldImageJson === undefined && change.newImageJson === undefined) return undefined
  const keys = JSON.parse(change.keysJson) as Item
  const micros = String(change.lastWriteMicros)
  const oldImage = view === 'NEW_AND_OLD_IMAGES' && change.oldImageJson !== undefined ? sortedImage(change.oldImageJson) : undefined
  const newImage = change.newImageJson !== undefined ? sortedImage(change.newImageJson) : undefined
  if (format === 'DYNAMODB_JSON') {
    const record: Record<string, unknown> = { Metadata: { WriteTimestampMicros: { N: micros } }, Keys: keys }
    if (oldImage) record.OldImage = oldImage
    if (newImage) record.NewImage = newImage
    return `${JSON.stringify(record)}\n`
  }
  let text = `$ion_1_0 {Metadata:{WriteTimestampMicros:${ionDecimal(micros)}},Keys:${ionStruct(keys)}`
  if (oldImage) text += `,OldImage:${ionStruct(oldImage)}`
  if (newImage) text += `,NewImage:${ionStruct(newImage)}`
  return `${text}}\n`
}
