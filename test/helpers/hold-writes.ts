/**
 * Makes a race between two requests deterministic: holds the storage's write queue (a
 * transaction that does not end until released), lets the test see when each request has
 * reached it (a transaction asked for, a catalog change asked for), then lets go, so the
 * transactions run in the order they were asked for. For SQLite on a file, which runs one write
 * transaction at a time and reads through another connection (in memory, reads wait for the held
 * write too); on PostgreSQL transactions do not queue behind one another.
 */
import type { RegionContext } from '../../src/api/context.js'

/**
 * Why a test that holds the write queue cannot run here: its servers store their data in
 * PostgreSQL (EDDYDB_TEST_STORAGE_URL, test/run-on-postgres.ts), whose transactions do not queue
 * behind a held one. Those races are covered there by serializable isolation, not this helper.
 */
export const holdWritesSkipReason: string | undefined = process.env.EDDYDB_TEST_STORAGE_URL
  ? 'holds a SQLite file\'s write queue; on PostgreSQL transactions run side by side' : undefined

type CatalogChange = 'create' | 'update' | 'remove'

export interface HeldWrites {
  /** Resolves once this many transactions were asked for since the hold. */
  transactions(count: number): Promise<void>
  /** Resolves once the catalog was asked for this many changes of this kind since the hold. */
  catalogChanges(kind: CatalogChange, count: number): Promise<void>
  release(): Promise<void>
}

/** A counter whose waiters resolve once it reaches their count. */
function counter() {
  let value = 0
  const waiters: Array<{ count: number; resolve: () => void }> = []
  return {
    add() {
      value++
      for (const waiter of waiters.filter((each) => value >= each.count)) waiter.resolve()
    },
    reaches: (count: number) => new Promise<void>((resolve) => {
      if (value >= count) resolve()
      else waiters.push({ count, resolve })
    }),
  }
}

export function holdWrites(region: RegionContext): HeldWrites {
  const { storage, catalog } = region
  let release!: () => void
  const held = storage.transact(() => new Promise<void>((resolve) => { release = resolve }))
  const transactions = counter()
  const transact = storage.transact
  storage.transact = ((...args: Parameters<typeof transact>) => {
    transactions.add()
    return transact.apply(storage, args)
  }) as typeof transact
  const changes = { create: counter(), update: counter(), remove: counter() }
  const originals = { create: catalog.create, update: catalog.update, remove: catalog.remove }
  for (const kind of Object.keys(changes) as CatalogChange[]) {
    const original = originals[kind] as (...args: unknown[]) => unknown
    ;(catalog as unknown as Record<CatalogChange, unknown>)[kind] = (...args: unknown[]) => {
      changes[kind].add()
      return original.apply(catalog, args)
    }
  }
  return {
    transactions: (count) => transactions.reaches(count),
    catalogChanges: (kind, count) => changes[kind].reaches(count),
    async release() {
      storage.transact = transact
      Object.assign(catalog, originals)
      release()
      await held
    },
  }
}

/**
 * A racing request's promise with its rejection marked as handled: the test awaits its answer
 * only after the other request's (a rejection left unhandled meanwhile would fail the test).
 */
export function sent<T>(request: Promise<T>): Promise<T> {
  request.catch(() => {})
  return request
}
