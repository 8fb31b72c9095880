import { ageNow, type OperationHandler, type RequestContext } from '../api/context.js'
import type { TransactWriteItem, TransactWriteItemsInput } from '../shapes/transact-write-items.js'
import {
  ConditionalCheckFailedException, ItemCollectionSizeLimitExceededException, ItemValidationException, RequestValidationException, TransactionCanceledException,
  ValidationException, type CancellationReason,
} from '../errors.js'
import type { Condition, UpdatePlan } from '../expressions/index.js'
import type { TableSchema } from '../tables/schema.js'
import { normalizeItem } from '../values/attribute-value.js'
import type { Item } from '../values/types.js'
import { byKeyTransaction, type StoredItem } from '../storage/engine.js'
import { CapacityMeter, readUnits, reportAll, writeUnits, type CapacityDetail } from '../items/capacity.js'
import { fingerprintOf, lookupToken, rememberToken, type TableUnits } from '../items/idempotency.js'
import { keyFromItem, keyFromKeyParameter, type PrimaryKey } from '../items/keys.js'
import { checkCondition, rejectNestedKeyPaths, transactionActionExpressions } from '../items/request-expressions.js'
import { attributeValueSizeBytes, itemSizeBytes, itemSizeBytesMax } from '../values/size.js'
import { applyWrite, readCurrentItems, type NextItem } from '../items/write-item.js'
import { itemTooLargeMessage } from '../validate/attribute-checks.js'
import { rejectKeyUpdates, updatedItem, updateOversizeMessage } from './update-item.js'
import { refuseStrongTransaction } from '../replication/strong-consistency.js'
import { itemCollectionMetricsByTable } from '../items/item-collection.js'

type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update'

interface Action {
  kind: ActionKind
  table: TableSchema
  key: PrimaryKey
  /** An item-level validation problem found while parsing: the action's cancellation reason. */
  problem?: ItemValidationException
  condition?: Condition
  update?: UpdatePlan
  item?: Item
  returnOnFailure?: string
}

const actionKinds: ActionKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update']

/** The one action a TransactItems entry holds (the request shape allows exactly one), and its kind. */
function actionOf(entry: TransactWriteItem): { kind: ActionKind; request: Record<string, any> } {
  const kind = actionKinds.find((candidate) => entry[candidate] !== undefined)!
  return { kind, request: entry[kind]! }
}

/**
 * "The aggregate size of the items in the transaction cannot exceed 4 MB" (TransactWriteItems
 * docs); TransactWriteItems measures its payload against it (rejectOversizePayload).
 */
export const transactionItemBytesMax = 4 * 1024 * 1024

/**
 * TransactWriteItems: up to 100 writes and condition checks that succeed or fail together.
 * Every condition is evaluated first; if any fails, nothing is written and the cancellation
 * reasons say which, in request order.
 */
export const transactWriteItems: OperationHandler<TransactWriteItemsInput> = async (ctx, input) => {
  const token: string | undefined = input.ClientRequestToken
  // The replay answers in its own ReturnConsumedCapacity mode, so the mode is no part of the request's identity.
  const fingerprint = token === undefined ? '' : fingerprintOf(requestIdentity(input))
  // Tokens are remembered and looked up on the age clock, which their clean-up reads: a retry
  // while the wall clock is stepped forward is still a replay.
  const nowMs = ageNow(ctx.clock)
  if (token !== undefined) {
    const earlier = await ctx.storage.read((view) => lookupToken(view, token, fingerprint, nowMs))
    if (earlier) return replayReply(ctx, earlier, input.ReturnConsumedCapacity)
  }
  rejectOversizePayload(input.TransactItems)
  const actions = input.TransactItems.map((entry) => parseAction(ctx, entry))
  rejectRepeatedItems(actions)
  const meters = new Map<string, CapacityMeter>()
  for (const action of actions) {
    if (!meters.has(action.table.name)) meters.set(action.table.name, new CapacityMeter(action.table, 'write'))
  }
  const outcome = await ctx.storage.transact(async (tx) => {
    // Another node may have applied the same token since the read above: then this call is a replay.
    const replayed = token === undefined ? undefined : await lookupToken(tx, token, fingerprint, nowMs)
    if (replayed) return { replayed }
    const current = await readCurrentItems(tx, actions)
    const checkedActions = checkAll(actions, current)
    const results: CapacityMeter[] = []
    for (const [index, action] of actions.entries()) {
      // A ConditionCheck is billed as a transactional write of the item it checks (an
      // AWS-validated suite: 2 WCU for a small item), though it writes nothing.
      if (action.kind === 'ConditionCheck') {
        const meter = new CapacityMeter(action.table)
        meter.addTable(2 * writeUnits(current[index]?.sizeBytes ?? 0))
        results.push(meter)
        continue
      }
      const { item, next } = checkedActions[index]!
      const options = { unitMultiplier: 2, current: current[index], currentItem: item }
      results.push((await applyWrite(tx, ctx, action.table, action.key, { replaceWith: next }, options).catch((error: unknown) => {
        throw error instanceof ItemCollectionSizeLimitExceededException ? collectionTooLarge(actions, index) : error
      })).consumed)
    }
    if (token !== undefined) await rememberToken(tx, token, fingerprint, nowMs, replayUnitsOf(actions, current, checkedActions))
    return { results }
  }, byKeyTransaction)
  if (outcome.replayed) return replayReply(ctx, outcome.replayed, input.ReturnConsumedCapacity)
  const { results } = outcome
  // Metered after the commit, from the run that committed (storage may have run it twice).
  for (const consumed of results) meters.get(consumed.schema.name)!.addAll(consumed)
  const output: Record<string, unknown> = {}
  const consumed = reportAll(meters.values(), input.ReturnConsumedCapacity)
  if (consumed) output.ConsumedCapacity = consumed
  // The items each Put, Update and Delete wrote (a ConditionCheck writes none), as DynamoDB reports them.
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    output.ItemCollectionMetrics = itemCollectionMetricsByTable(actions.filter((action) => action.kind !== 'ConditionCheck'))
  }
  return output
}

/**
 * An action that would grow its item collection (a partition of a table with local secondary
 * indexes) past the limit cancels the transaction, with its own reason, as DynamoDB documents
 * ("A local secondary index (LSI) becomes too large"; the reason's code and message are the
 * TransactionCanceledException reference's). The transaction is rolled back by the throw.
 */
function collectionTooLarge(actions: Action[], failed: number): TransactionCanceledException {
  return new TransactionCanceledException(actions.map((_, index): CancellationReason => index === failed
    ? { Code: 'ItemCollectionSizeLimitExceeded', Message: 'Collection size exceeded.' }
    : { Code: 'None' }))
}

/**
 * What makes two calls with one ClientRequestToken the same request: everything but the token and
 * the ReturnConsumedCapacity mode. Rest properties rather than `{ ...input, Token: undefined }`:
 * members written after a spread give every such object a V8 hidden class of its own, and SDKs
 * send a token with every TransactWriteItems.
 */
function requestIdentity(input: TransactWriteItemsInput): object {
  const { ClientRequestToken: _token, ReturnConsumedCapacity: _mode, ...identity } = input
  return identity
}

/**
 * What a replay of the token reports, per table. DynamoDB answers a repeated ClientRequestToken
 * with the read capacity of reading the transaction's items, as transactional reads (2 units per
 * 4 KB of each item), not with the write units of the first call (the dynamodb-conformance suite,
 * eu-west-2: a 1.5 KB Put costs 4 write units, its replay 2 read units). An item is read as the
 * transaction left it: a deleted one costs the minimum; a checked one is as it was.
 */
function replayUnitsOf(actions: Action[], current: Array<StoredItem | null>, checked: CheckedAction[]): TableUnits[] {
  const units = new Map<string, number>()
  for (const [index, action] of actions.entries()) {
    const next = checked[index]?.next
    const sizeBytes = action.kind === 'ConditionCheck' ? current[index]?.sizeBytes ?? 0 : next ? itemSizeBytes(next) : 0
    units.set(action.table.name, (units.get(action.table.name) ?? 0) + 2 * readUnits(sizeBytes, true))
  }
  return [...units].map(([tableName, total]) => ({ tableName, units: total }))
}

/** A repeated ClientRequestToken writes nothing again and reports the read units remembered for it, in the replay's own mode. */
function replayReply(ctx: RequestContext, first: TableUnits[], detail: CapacityDetail | undefined): Record<string, unknown> {
  const replayed = first.flatMap(({ tableName, units }) => {
    const schema = ctx.catalog.get(tableName)
    if (!schema) return []
    const meter = new CapacityMeter(schema, 'read')
    meter.addTable(units)
    return [meter]
  })
  const consumed = reportAll(replayed, detail)
  return consumed ? { ConsumedCapacity: consumed } : {}
}

function parseAction(ctx: RequestContext, entry: TransactWriteItem): Action {
  const { kind, request } = actionOf(entry)
  const { condition, update } = transactionActionExpressions(request)
  const table = ctx.catalog.require(request.TableName)
  refuseStrongTransaction(table)
  const returnOnFailure = request.ReturnValuesOnConditionCheckFailure
  rejectNestedKeyPaths(table, { condition, update })
  const item = kind === 'Put' ? normalizeItem(request.Item) : undefined
  const { key, problem } = keyOrProblem(() => item ? keyFromItem(table, item) : keyFromKeyParameter(table, normalizeItem(request.Key)))
  return { kind, table, key, problem, condition, update, item, returnOnFailure }
}

/**
 * The key `keyOf` returns; a key of the wrong type or size instead becomes the action's
 * cancellation reason, as DynamoDB reports it (ExtendDB's tests recorded on AWS). Callers build
 * each action whole with both fields: spreading an action and adding the key after it would give
 * every action object a hidden class of its own in V8.
 */
export function keyOrProblem(keyOf: () => PrimaryKey): { key: PrimaryKey; problem: ItemValidationException | undefined } {
  try {
    return { key: keyOf(), problem: undefined }
  } catch (error) {
    if (!(error instanceof ItemValidationException)) throw error
    return { key: { attributes: {}, encoded: Buffer.alloc(0) }, problem: error }
  }
}

/** One transaction may name an item once (checked before any condition is evaluated). */
export function rejectRepeatedItems(actions: Array<{ table: TableSchema; key: PrimaryKey; problem?: unknown }>): void {
  const seen = new Set<string>()
  for (const action of actions) {
    if (action.problem) continue
    const id = action.table.tableId + ':' + action.key.encoded.toString('latin1')
    if (seen.has(id)) throw new ValidationException('Transaction request cannot include multiple operations on one item')
    seen.add(id)
  }
}

/**
 * DynamoDB limits what a transaction carries, its payload, not the size of the items it touches:
 * deleting 5 MB of items in one small transaction is allowed, putting 5 MB is refused, in the
 * error's words "Transaction payload size cannot exceed" (Alternator's tests, checked against
 * DynamoDB). What counts, and the message, are DynamoDB Local's: each action's item (a Put) or key,
 * its expressions, the names they stand for and the values they use, added up action by action;
 * the size named is the sum when it first passed 4 MB. Checked before any table is looked up, as
 * there.
 */
function rejectOversizePayload(entries: TransactWriteItem[]): void {
  let payloadBytes = 0
  for (const entry of entries) {
    payloadBytes += actionPayloadBytes(entry)
    if (payloadBytes > transactionItemBytesMax) {
      throw new ValidationException(`Transaction payload size cannot exceed 4MB. Payload Size: ${payloadBytes}`)
    }
  }
}

function actionPayloadBytes(entry: TransactWriteItem): number {
  const { kind, request } = actionOf(entry)
  let bytes = itemSizeBytes(kind === 'Put' ? request.Item : request.Key)
  for (const expression of [request.ConditionExpression, request.UpdateExpression]) {
    if (typeof expression === 'string') bytes += Buffer.byteLength(expression, 'utf8')
  }
  const names: Record<string, string> = request.ExpressionAttributeNames ?? {}
  for (const placeholder in names) bytes += Buffer.byteLength(names[placeholder]!, 'utf8')
  const values: Item = request.ExpressionAttributeValues ?? {}
  for (const placeholder in values) bytes += attributeValueSizeBytes(values[placeholder]!)
  return bytes
}

/** An action checked against its item: the item as it is now, and as the action leaves it. */
interface CheckedAction {
  item: Item | undefined
  next: NextItem
}

/**
 * Evaluates every action against its item's current row; cancels the transaction if any fails.
 * Returns each action's item, parsed, and its next item (the row is current for the whole
 * transaction: no two actions share an item), so the writes need not parse the rows or evaluate
 * the updates again.
 */
function checkAll(actions: Action[], stored: Array<StoredItem | null>): CheckedAction[] {
  rejectFirstInvalidAction(actions)
  const reasons: CancellationReason[] = []
  const checked: CheckedAction[] = []
  let cancelled = false
  for (const [index, action] of actions.entries()) {
    const row = stored[index]
    const current: Item | undefined = row ? JSON.parse(row.json) : undefined
    try {
      checkCondition(action.condition, current, action.returnOnFailure)
      const next = nextItem(action, current)
      checkItemSize(action, next)
      checked.push({ item: current, next })
      reasons.push({ Code: 'None' })
    } catch (error) {
      if (error instanceof RequestValidationException) throw error
      if (error instanceof ConditionalCheckFailedException) {
        reasons.push(error.item ? { Code: 'ConditionalCheckFailed', Message: error.message, Item: error.item } : { Code: 'ConditionalCheckFailed', Message: error.message })
      } else if (error instanceof ValidationException) {
        reasons.push({ Code: 'ValidationError', Message: error.message })
      } else throw error
      cancelled = true
    }
  }
  if (cancelled) throw new TransactionCanceledException(reasons)
  return checked
}

/**
 * An action that is invalid whatever its item holds (a key of the wrong type or shape, an Update
 * of a key attribute) cancels the transaction before any condition is evaluated: DynamoDB stops
 * at the first, gives it a ValidationError and every other action None (Alternator's
 * test_transact_write_cancellation_reasons_validationerror, run against DynamoDB). An Update of a
 * key attribute is such a reason, as in DynamoDB Local; a lone UpdateItem fails whole.
 */
function rejectFirstInvalidAction(actions: Action[]): void {
  for (const [index, action] of actions.entries()) {
    let problem: unknown = action.problem
    if (problem === undefined && action.kind === 'Update' && action.update) {
      try {
        rejectKeyUpdates(action.table, action.update)
      } catch (error) {
        problem = error
      }
    }
    if (problem === undefined) continue
    if (!(problem instanceof ValidationException) || problem instanceof RequestValidationException) throw problem
    throw new TransactionCanceledException(actions.map((_, other): CancellationReason =>
      other === index ? { Code: 'ValidationError', Message: problem.message } : { Code: 'None' }))
  }
}

/** An item that would pass 400 KB cancels the transaction ("An item size becomes too large", AWS docs). */
function checkItemSize(action: Action, next: NextItem): void {
  if (next === null || action.kind === 'ConditionCheck' || itemSizeBytes(next) <= itemSizeBytesMax) return
  throw new ValidationException(action.kind === 'Update' ? updateOversizeMessage : itemTooLargeMessage)
}

function nextItem(action: Action, current: Item | undefined): NextItem {
  switch (action.kind) {
    case 'Put': return action.item!
    case 'Delete': return null
    case 'ConditionCheck': return current ?? null
    case 'Update': return updatedItem(action.table, action.key, action.update, current).item
  }
}
