/**
 * Key schemas by table, learned through the executor's DescribeTable (so a DAX node in front
 * of any DynamoDB endpoint can answer defineKeySchema). Entries are refreshed after the same
 * 60 s the clients wait before asking again, and on every defineKeySchema call.
 */
import type { DynamoDbExecutor } from '../node-api.js'
import type { Clock } from '../../api/context.js'
import type { ScalarKeyType } from '../../values/types.js'
import type { KeySchema } from './keys.js'

export const keySchemaTtlMs = 60_000
/** Tables remembered at once; the oldest entry goes first past this. */
const tablesRememberedMax = 10_000

interface Entry { schema: KeySchema; fetchedAt: number }

interface DescribedTable {
  KeySchema?: { AttributeName: string; KeyType: string }[]
  AttributeDefinitions?: { AttributeName: string; AttributeType: string }[]
}

export class TableSchemas {
  readonly #entries = new Map<string, Entry>()
  /** Lookups under way: requests for a table arriving together make one DescribeTable. */
  readonly #fetching = new Map<string, Promise<KeySchema>>()

  constructor(readonly executor: DynamoDbExecutor, readonly clock: Clock) {}

  /** The table's key schema, hash key first. Throws the executor's error (ResourceNotFound...). */
  get(tableName: string, refresh = false): Promise<KeySchema> {
    const entry = this.#entries.get(tableName)
    if (entry && !refresh && this.clock.now() - entry.fetchedAt < keySchemaTtlMs) return Promise.resolve(entry.schema)
    let fetching = this.#fetching.get(tableName)
    if (fetching === undefined) {
      fetching = this.#fetch(tableName)
      this.#fetching.set(tableName, fetching)
      const done = (): void => { if (this.#fetching.get(tableName) === fetching) this.#fetching.delete(tableName) }
      fetching.then(done, done)
    }
    return fetching
  }

  /** Forgets a table's schema (after DeleteTable, or when a write says the key no longer fits). */
  forget(tableName: string): void {
    this.#entries.delete(tableName)
  }

  async #fetch(tableName: string): Promise<KeySchema> {
    const now = this.clock.now()
    const output = await this.executor.execute('DescribeTable', { TableName: tableName })
    const schema = keySchemaOf(output.Table as DescribedTable)
    this.#entries.delete(tableName)
    if (this.#entries.size >= tablesRememberedMax) this.#entries.delete(this.#entries.keys().next().value!)
    this.#entries.set(tableName, { schema, fetchedAt: now })
    return schema
  }
}

function keySchemaOf(table: DescribedTable): KeySchema {
  const typeByName = new Map((table.AttributeDefinitions ?? []).map((definition) => [definition.AttributeName, definition.AttributeType]))
  const ordered = [...(table.KeySchema ?? [])].sort((a, b) => (a.KeyType === 'HASH' ? 0 : 1) - (b.KeyType === 'HASH' ? 0 : 1))
  return ordered.map((element) => ({ name: element.AttributeName, type: (typeByName.get(element.AttributeName) ?? 'S') as ScalarKeyType }))
}
