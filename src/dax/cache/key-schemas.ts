/**
 * The key attribute names of each table, for write-through: the cache key of a PutItem's item
 * (the other writes name their key). They come from the same lookup the wire layer answers
 * defineKeySchema with (wire/table-schemas.ts: the upstream's DescribeTable, relearnt after 60 s,
 * so a table deleted and created again with another key on the upstream is followed).
 */
import type { Clock } from '../../api/context.js'
import type { DynamoDbExecutor } from '../node-api.js'
import { TableSchemas } from '../wire/table-schemas.js'
import type { KeySchema } from '../wire/keys.js'
import { ownMember, setMember } from '../../values/members.js'

export class KeySchemas {
  readonly #tables: TableSchemas

  constructor(upstream: DynamoDbExecutor, clock: Clock) {
    this.#tables = new TableSchemas(upstream, clock)
  }

  /** The names of each schema learnt, made once per schema rather than on every write. */
  readonly #names = new WeakMap<KeySchema, string[]>()

  /** The table's key attribute names; rejects as the upstream's DescribeTable does. */
  async keyNames(tableName: string): Promise<string[]> {
    const schema = await this.#tables.get(tableName)
    if (schema.length === 0) throw new Error(`no key schema for table ${tableName}`)
    let names = this.#names.get(schema)
    if (names === undefined) this.#names.set(schema, names = schema.map((element) => element.name))
    return names
  }

  /** Key names of every table, or undefined for tables whose schema cannot be had. */
  async keyNamesOf(tableNames: Iterable<string>): Promise<Map<string, string[] | undefined>> {
    const unique = [...new Set(tableNames)]
    const settled = await Promise.allSettled(unique.map((name) => this.keyNames(name)))
    return new Map(unique.map((name, index) => {
      const result = settled[index]!
      return [name, result.status === 'fulfilled' ? result.value : undefined]
    }))
  }

  /** Forgets a table's schema (after DeleteTable, or when a write says the key no longer fits). */
  forget(tableName: string): void {
    this.#tables.forget(tableName)
  }
}

/** The key attributes of `item` (undefined when one is missing). */
export function pickKey(item: Record<string, unknown>, keyNames: readonly string[]): Record<string, unknown> | undefined {
  const key: Record<string, unknown> = {}
  for (const name of keyNames) {
    const value = ownMember(item, name)
    if (value === undefined) return undefined
    setMember(key, name, value)
  }
  return key
}
