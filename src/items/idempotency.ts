/**
 * ClientRequestToken for TransactWriteItems: a repeated token within 10 minutes returns the
 * first call's result without applying it again; the same token with other parameters is an
 * error. Tokens live in the storage state store, written in the same transaction as the writes
 * they stand for, so every node answers a retry the same way and two nodes given the same token
 * at once apply it once (the second transaction finds the first one's token and replays it).
 * Expired tokens are removed by the change-log retention pass (changes/retention.ts).
 */
import { createHash } from 'node:crypto'
import { IdempotentParameterMismatchException } from '../errors.js'
import { canonicalJson } from '../values/canonical-json.js'
import type { ReadView, Transaction } from '../storage/engine.js'

/** DynamoDB's idempotency window. */
export const idempotencyWindowMs = 10 * 60 * 1000

const namespace = 'idempotency-tokens'

/** What a replay of the token reports, per table: the read units of reading its items (transact-write-items.ts). */
export interface TableUnits {
  tableName: string
  units: number
}

interface RememberedToken {
  fingerprint: string
  atMs: number
  tables: TableUnits[]
}

/**
 * The request's identity, hashed: the stored row stays small whatever the request's size. The
 * same request with its members in another order is the same request (DynamoDB answers a retry
 * whose item lists its attributes in another order as a retry: LocalStack's
 * test_dynamodb_idempotent_writing, recorded against DynamoDB).
 */
export function fingerprintOf(request: unknown): string {
  // A validated request nests within inputNestingDepthMax, so the canonical text always exists.
  const text = canonicalJson(request, Number.POSITIVE_INFINITY)!
  return createHash('sha256').update(text).digest('base64')
}

/** The earlier result for this token, if any; throws if the token came with other parameters. */
export async function lookupToken(view: ReadView, token: string, fingerprint: string, nowMs: number): Promise<TableUnits[] | undefined> {
  const json = await view.getState(namespace, token)
  if (json === undefined) return undefined
  const remembered = JSON.parse(json) as RememberedToken
  if (nowMs - remembered.atMs > idempotencyWindowMs) return undefined
  if (remembered.fingerprint !== fingerprint) {
    throw new IdempotentParameterMismatchException('The request uses the same client token as a previous, but non-identical request.')
  }
  return remembered.tables
}

/** Inside the transaction that applies the request. */
export function rememberToken(tx: Transaction, token: string, fingerprint: string, nowMs: number, tables: TableUnits[]): Promise<void> {
  const remembered: RememberedToken = { fingerprint, atMs: nowMs, tables }
  return tx.putState(namespace, token, JSON.stringify(remembered))
}

/** Removes tokens past the window; returns how many. */
export async function forgetExpiredTokens(tx: Transaction, nowMs: number): Promise<number> {
  let forgotten = 0
  for (const entry of await tx.listState(namespace)) {
    if (nowMs - (JSON.parse(entry.value) as RememberedToken).atMs <= idempotencyWindowMs) continue
    await tx.deleteState(namespace, entry.key)
    forgotten++
  }
  return forgotten
}
