/**
 * The attribute-list registry. Items travel as "stream items": an attribute-list id followed by
 * the non-key values in that list's order, so names are sent once per list rather than once
 * per item. Clients cache ids for the life of their process, across restarts of the node they
 * talk to, so an id must never come to mean another list (spec dax.md §B10): a client would then
 * read and write values under the wrong names.
 *
 * So an id is made from the list itself (a hash of its names), not from a counter: the same list
 * gets the same id in every process and after every restart, and an id the server has not seen
 * since it started is unknown, never another list's. Only two lists whose hashes collide make the
 * id depend on which came first; a registry given a file (`persistTo`, the server's data
 * directory) keeps every id it hands out there, so even those, and the lists no client has
 * defined again since a restart, keep their ids. The registry is shared by every node in this
 * process, which makes it cluster-wide for the clusters this process serves.
 */
import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs'
import { WireFormatError } from './attribute-values.js'
import { attributeListFile } from '../attribute-list-file.js'

/** Id 1 is reserved for the empty list; clients never ask about it. */
export const emptyAttributeListId = 1
/** Past this many distinct lists the registry refuses new ones instead of growing forever. */
export const attributeListsMax = 1_000_000
/** DynamoDB items are at most 400 KB, so no list of names can be longer than this. */
export const attributeListNamesMax = 100_000

/** Ids stay within a signed 32-bit int, which every client's decoder takes as a plain integer. */
const idMask = 0x7fffffff

export class AttributeListRegistry {
  readonly #idByKey = new Map<string, number>()
  readonly #namesById = new Map<number, readonly string[]>([[emptyAttributeListId, []]])
  #file: number | undefined
  /** Where the lists are kept, read at first use; undefined keeps them in memory only. */
  #filePath: (() => string | undefined) | undefined

  constructor(filePath?: () => string | undefined) {
    this.#filePath = filePath
  }

  /** The id of this exact (ordered) list of names, registering it if new. */
  idFor(names: readonly string[]): number {
    if (names.length === 0) return emptyAttributeListId
    this.#loadOnce()
    const key = JSON.stringify(names)
    const known = this.#idByKey.get(key)
    if (known !== undefined) return known
    if (this.#namesById.size > attributeListsMax) throw new WireFormatError('too many distinct attribute lists')
    if (names.length > attributeListNamesMax) throw new WireFormatError('attribute list is too long')
    let id = hashedId(key)
    while (this.#namesById.has(id)) id = nextId(id)
    this.#remember(id, key, names)
    if (this.#file !== undefined) {
      // On disk before any client hears of the id.
      writeSync(this.#file, `${JSON.stringify({ id, names })}\n`)
      fsyncSync(this.#file)
    }
    return id
  }

  /** The names of a registered list, or undefined for an unknown id. */
  namesFor(id: number): readonly string[] | undefined {
    this.#loadOnce()
    return this.#namesById.get(id)
  }

  #loadOnce(): void {
    if (this.#filePath === undefined) return
    const path = this.#filePath()
    this.#filePath = undefined
    if (path !== undefined) this.persistTo(path)
  }

  /**
   * Loads the lists kept in `path` (one JSON line each; a torn last line, from a crash while
   * appending, was never answered and is skipped) and appends every new one there.
   */
  persistTo(path: string): void {
    if (this.#file !== undefined) return
    let text = ''
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    for (const line of text.split('\n')) {
      const entry = parsedLine(line)
      if (entry && !this.#namesById.has(entry.id)) this.#remember(entry.id, JSON.stringify(entry.names), entry.names)
    }
    this.#file = openSync(path, 'a')
    // A torn last line must not swallow the next one.
    if (text.length > 0 && !text.endsWith('\n')) writeSync(this.#file, '\n')
  }

  /** Stops appending (the file stays for the next start). */
  close(): void {
    if (this.#file === undefined) return
    closeSync(this.#file)
    this.#file = undefined
  }

  #remember(id: number, key: string, names: readonly string[]): void {
    this.#idByKey.set(key, id)
    this.#namesById.set(id, Object.freeze([...names]))
  }
}

function hashedId(key: string): number {
  const id = createHash('sha256').update(key).digest().readUInt32BE(0) & idMask
  return id <= emptyAttributeListId ? id + 2 : id
}

function nextId(id: number): number {
  const next = (id + 1) & idMask
  return next <= emptyAttributeListId ? emptyAttributeListId + 1 : next
}

function parsedLine(line: string): { id: number; names: string[] } | undefined {
  if (line.trim() === '') return undefined
  try {
    const entry = JSON.parse(line) as { id?: unknown; names?: unknown }
    if (!Number.isInteger(entry.id) || !Array.isArray(entry.names) || !entry.names.every((name) => typeof name === 'string')) return undefined
    return { id: entry.id as number, names: entry.names as string[] }
  } catch {
    return undefined
  }
}

/** The registry every wire server in this process shares unless given its own. */
export const processAttributeLists = new AttributeListRegistry(() => attributeListFile.path)

/** The client's canonical order: non-key names sorted by UTF-16 code units (JS default sort). */
export function canonicalAttributeNames(names: Iterable<string>, keyNames: readonly string[]): string[] {
  const result: string[] = []
  for (const name of names) if (!keyNames.includes(name)) result.push(name)
  return result.sort()
}
