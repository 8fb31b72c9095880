/**
 * The key attribute names of each table, learnt from the upstream's DescribeTable. Write-through
 * needs them to find the cache key of a PutItem's item (the other writes name their key). DAX
 * clients make the same call (defineKeySchema) and cache its answer too. A table can be deleted
 * and created again with another key on the upstream, unseen by this node: an answer is relearnt
 * after keySchemaTtlMs, as the wire layer's own (wire/table-schemas.ts), so the two agree.
 */
import type { Clock } from '../../api/context.js'
import type { DynamoDbExecutor } from '../node-api.js'
import { keySchemaTtlMs } from '../wire/table-schemas.js'

/** More tables than an account may have (DynamoDB's default quota is 2,500 per region). */
const tablesRememberedMax = 10_000

export class KeySchemas {
  readonly #upstream: DynamoDbExecutor
  readonly #clock: Clock
  readonly #byTable = new Map<string, { names: Promise<string[]>; learntAtMs: number }>()

  constructor(upstream: DynamoDbExecutor, clock: Clock) {
    this.#upstream = upstream
    this.#clock = clock
  }

  /** The table's key attribute names; rejects as the upstream's DescribeTable does. */
  keyNames(tableName: string): Promise<string[]> {
    const now = this.#clock.now()
    const known = this.#byTable.get(tableName)
    if (known !== undefined && now - known.learntAtMs < keySchemaTtlMs) return known.names
    if (this.#byTable.size >= tablesRememberedMax) this.#byTable.clear()
    const entry = { names: this.#describe(tableName), learntAtMs: now }
    this.#byTable.set(tableName, entry)
    // A failed lookup (table not there yet) is asked again next time.
    entry.names.catch(() => {
      if (this.#byTable.get(tableName) === entry) this.#byTable.delete(tableName)
    })
    return entry.names
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
    this.#byTable.delete(tableName)
  }

  async #describe(tableName: string): Promise<string[]> {
    const output = await this.#upstream.execute('DescribeTable', { TableName: tableName })
    const keySchema = output.Table?.KeySchema as { AttributeName: string }[] | undefined
    if (!Array.isArray(keySchema) || keySchema.length === 0) throw new Error(`no key schema for table ${tableName}`)
    return keySchema.map((element) => element.AttributeName)
  }
}

/** The key attributes of `item` (undefined when one is missing). */
export function pickKey(item: Record<string, unknown>, keyNames: readonly string[]): Record<string, unknown> | undefined {
  const key: Record<string, unknown> = {}
  for (const name of keyNames) {
    if (item[name] === undefined) return undefined
    key[name] = item[name]
  }
  return key
}
