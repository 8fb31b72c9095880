/**
 * One import object's bytes turned into rows to load, a decompressed chunk at a time: lines are
 * split, parsed per InputFormat, checked as a PutItem would check the item, keyed and encoded for
 * the bulk load path. Pure and synchronous, so it runs in the import's parser thread
 * (parser-thread.ts) while the server's thread writes the previous rows.
 *
 * As in DynamoDB, blank lines are skipped and the first bad line ends the object: its error comes
 * back and every later chunk of the object is ignored.
 */
import { loadedNewItem } from '../items/loaded-items.js'
import { LineSplitter, pendingLineBytesMax } from '../s3/object-lines.js'
import type { LoadedItem } from '../storage/engine.js'
import type { TableSchema } from '../tables/schema.js'
import { itemTooLargeMessage } from '../validate/attribute-checks.js'
import type { ScalarKeyType } from '../values/types.js'
import { csvFields, csvItem } from './csv.js'
import type { ImportDescription } from './import-record.js'
import { checkedItem, itemsFromIonLine, itemsFromJsonLine, lineErrorMessage } from './item-lines.js'

/** What the parser needs to know of an import, per object. */
export interface ObjectParserSettings {
  format: ImportDescription['InputFormat']
  csv: NonNullable<ImportDescription['InputFormatOptions']>['Csv']
  table: TableSchema
  /** Lines of the object stored before a restart: skipped (a CSV header among them still read). */
  linesDone: number
  /** Items of line `linesDone` stored before the restart (a line may hold several): skipped too. */
  lineItemsDone: number
}

/** A row parsed from the object's line `line` (0-based, blank lines counted), its `item`th (0-based). */
export interface ParsedRow {
  line: number
  item: number
  row: LoadedItem
}

/** What one chunk (or the end of the object) gave. */
export interface ParsedLines {
  rows: ParsedRow[]
  /** Lines of the object seen so far, the bad line included. */
  linesSeen: number
  /** The object's first bad line: its index and the words for the error log. */
  error?: { line: number; message: string }
}

/** Turns one line into its items (none for a CSV header); CSV keeps its header between lines. */
interface LineReader {
  read(line: string): Iterable<unknown>
  /** Whether the next non-blank line is a header (CSV without HeaderList, before its first line). */
  wantsHeader(): boolean
}

function lineReaderFor(settings: ObjectParserSettings): LineReader {
  const noHeader = () => false
  if (settings.format === 'DYNAMODB_JSON') return { read: itemsFromJsonLine, wantsHeader: noHeader }
  if (settings.format === 'ION') return { read: itemsFromIonLine, wantsHeader: noHeader }
  const delimiter = settings.csv?.Delimiter ?? ','
  const keyTypes: Record<string, ScalarKeyType> = settings.table.attributeTypes
  // Without a HeaderList, each object's first line is its header.
  let header = settings.csv?.HeaderList
  return {
    read(line) {
      const fields = csvFields(line, delimiter)
      if (!header) {
        header = fields
        return []
      }
      return [csvItem(fields, header, keyTypes)]
    },
    wantsHeader: () => header === undefined,
  }
}

export class ObjectParser {
  readonly #settings: ObjectParserSettings
  readonly #reader: LineReader
  readonly #splitter = new LineSplitter()
  #linesSeen = 0
  #failed = false

  constructor(settings: ObjectParserSettings) {
    this.#settings = settings
    this.#reader = lineReaderFor(settings)
  }

  push(chunk: Buffer): ParsedLines {
    const parsed = this.#parsed(this.#failed ? [] : this.#splitter.push(chunk))
    if (this.#failed || this.#splitter.pendingBytes <= pendingLineBytesMax) return parsed
    // A line this long can only be an item over 400 KB: it fails now, unread to its end.
    this.#failed = true
    const line = this.#linesSeen++
    return { rows: parsed.rows, linesSeen: this.#linesSeen, error: { line, message: itemTooLargeMessage } }
  }

  end(): ParsedLines {
    return this.#parsed(this.#failed ? [] : this.#splitter.end())
  }

  #parsed(lines: string[]): ParsedLines {
    const rows: ParsedRow[] = []
    const { table, linesDone, lineItemsDone } = this.#settings
    for (const line of lines) {
      const index = this.#linesSeen++
      if (index < linesDone) {
        // Stored before the restart; a CSV object's header is still read.
        if (this.#reader.wantsHeader() && line.trim() !== '') this.#reader.read(line)
        continue
      }
      if (line.trim() === '') continue
      let item = 0
      try {
        for (const raw of this.#reader.read(line)) {
          if (index === linesDone && item < lineItemsDone) {
            item++
            continue
          }
          const checked = checkedItem(table, raw)
          rows.push({ line: index, item: item++, row: loadedNewItem(table, checked.key.encoded, checked.item) })
        }
      } catch (error) {
        const message = lineErrorMessage(error)
        if (message === undefined) throw error
        this.#failed = true
        return { rows, linesSeen: this.#linesSeen, error: { line: index, message } }
      }
    }
    return { rows, linesSeen: this.#linesSeen }
  }
}
