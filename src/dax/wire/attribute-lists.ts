/**
 * The attribute-list registry. Items travel as "stream items": an attribute-list id followed by
 * the non-key values in that list's order, so names are sent once per list rather than once
 * per item. Clients cache ids for the life of their process, so an id is never reused for a
 * different list: the registry is append-only. It is shared by every node in this process,
 * which makes it cluster-wide for the clusters this process serves.
 */
import { WireFormatError } from './attribute-values.js'

/** Id 1 is reserved for the empty list; clients never ask about it. */
export const emptyAttributeListId = 1
/** Past this many distinct lists the registry refuses new ones instead of growing forever. */
export const attributeListsMax = 1_000_000
/** DynamoDB items are at most 400 KB, so no list of names can be longer than this. */
export const attributeListNamesMax = 100_000

export class AttributeListRegistry {
  readonly #idByKey = new Map<string, number>()
  readonly #namesById = new Map<number, readonly string[]>([[emptyAttributeListId, []]])
  #nextId = emptyAttributeListId + 1

  /** The id of this exact (ordered) list of names, registering it if new. */
  idFor(names: readonly string[]): number {
    if (names.length === 0) return emptyAttributeListId
    const key = JSON.stringify(names)
    const known = this.#idByKey.get(key)
    if (known !== undefined) return known
    if (this.#nextId - emptyAttributeListId > attributeListsMax) {
      throw new WireFormatError('too many distinct attribute lists')
    }
    if (names.length > attributeListNamesMax) throw new WireFormatError('attribute list is too long')
    const id = this.#nextId++
    this.#idByKey.set(key, id)
    this.#namesById.set(id, Object.freeze([...names]))
    return id
  }

  /** The names of a registered list, or undefined for an unknown id. */
  namesFor(id: number): readonly string[] | undefined {
    return this.#namesById.get(id)
  }
}

/** The registry every wire server in this process shares unless given its own. */
export const processAttributeLists = new AttributeListRegistry()

/** The client's canonical order: non-key names sorted by UTF-16 code units (JS default sort). */
export function canonicalAttributeNames(names: Iterable<string>, keyNames: readonly string[]): string[] {
  const result: string[] = []
  for (const name of names) if (!keyNames.includes(name)) result.push(name)
  return result.sort()
}
