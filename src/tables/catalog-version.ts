/**
 * A token that changes with every change to a region's catalog, so that nodes sharing one
 * database notice each other's CreateTable, UpdateTable and DeleteTable (catalog-refresh.ts).
 * A random token rather than a counter: writing it needs no read, so a catalog change costs no
 * extra round trip, and a node only ever asks "is it still the one I read?".
 */
import { randomUUID } from 'node:crypto'
import type { ReadView, Transaction } from '../storage/engine.js'

const namespace = 'catalog'
const key = 'version'

/** Inside the transaction that changes a catalog row. */
export function markCatalogChanged(tx: Transaction): Promise<void> {
  return tx.putState(namespace, key, randomUUID())
}

/** The current token (undefined before the first change). */
export function readCatalogVersion(view: ReadView): Promise<string | undefined> {
  return view.getState(namespace, key)
}
