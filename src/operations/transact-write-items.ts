import type { OperationHandler, RequestContext } from '../api/context.js'
import {
  ConditionalCheckFailedException, TransactionCanceledException, ValidationException, type CancellationReason,
} from '../errors.js'
import { applyUpdate, type Condition, type UpdatePlan } from '../expressions/index.js'
import type { TableSchema } from '../tables/schema.js'
import { normalizeItem } from '../values/attribute-value.js'
import type { Item } from '../values/types.js'
import { CapacityMeter, reportAll } from './capacity.js'
import { idempotencyCacheFor } from './idempotency.js'
import { checkIndexKeys, keyFromItem, keyFromKeyParameter, type PrimaryKey } from './keys.js'
import { checkCondition, requestExpressions } from './request-expressions.js'
import { applyWrite, readCurrentItems, type NextItem } from './write-item.js'
import { rejectKeyUpdates } from './update-item.js'

type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update'

interface Action {
  kind: ActionKind
  table: TableSchema
  key: PrimaryKey
  condition?: Condition
  update?: UpdatePlan
  item?: Item
  returnOnFailure?: string
}

const actionKinds: ActionKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update']

/**
 * TransactWriteItems: up to 100 writes and condition checks that succeed or fail together.
 * Every condition is evaluated first; if any fails, nothing is written and the cancellation
 * reasons say which, in request order.
 */
export const transactWriteItems: OperationHandler = async (ctx, input) => {
  const token: string | undefined = input.ClientRequestToken
  const fingerprint = token === undefined ? '' : JSON.stringify({ ...input, ClientRequestToken: undefined })
  const tokens = idempotencyCacheFor(ctx.storage)
  if (token !== undefined) {
    const earlier = tokens.lookup(token, fingerprint, ctx.clock.now())
    if (earlier) return earlier
  }
  const actions = (input.TransactItems as Record<string, any>[]).map((entry) => parseAction(ctx, entry))
  rejectRepeatedItems(actions)
  const meters = new Map<string, CapacityMeter>()
  for (const action of actions) if (!meters.has(action.table.name)) meters.set(action.table.name, new CapacityMeter(action.table))
  const results = await ctx.storage.transact(async (tx) => {
    const current = await readCurrentItems(tx, actions)
    checkAll(actions, current)
    const results = []
    for (const [index, action] of actions.entries()) {
      if (action.kind === 'ConditionCheck') continue
      const options = { unitMultiplier: 2, currentJson: current[index] }
      results.push(await applyWrite(tx, ctx, action.table, action.key, (item) => nextItem(action, item), options))
    }
    return results
  })
  // Metered after the commit, from the run that committed (storage may have run it twice).
  for (const result of results) meters.get(result.consumed.schema.name)!.addAll(result.consumed)
  const output: Record<string, unknown> = {}
  const consumed = reportAll(meters.values(), input.ReturnConsumedCapacity)
  if (consumed) output.ConsumedCapacity = consumed
  if (token !== undefined) tokens.remember(token, fingerprint, ctx.clock.now(), output)
  return output
}

function parseAction(ctx: RequestContext, entry: Record<string, any>): Action {
  const kind = actionKinds.find((candidate) => entry[candidate] !== undefined)!
  const request = entry[kind]
  const { condition, update } = requestExpressions(request)
  const table = ctx.catalog.require(request.TableName)
  const returnOnFailure = request.ReturnValuesOnConditionCheckFailure
  if (kind === 'Put') {
    const item = normalizeItem(request.Item)
    return { kind, table, key: keyFromItem(table, item), condition, item, returnOnFailure }
  }
  const key = keyFromKeyParameter(table, normalizeItem(request.Key))
  if (kind === 'Update' && update) rejectKeyUpdates(table, update)
  return { kind, table, key, condition, update, returnOnFailure }
}

/** One transaction may name an item once (checked before any condition is evaluated). */
export function rejectRepeatedItems(actions: Array<{ table: TableSchema; key: PrimaryKey }>): void {
  const seen = new Set<string>()
  for (const action of actions) {
    const id = action.table.tableId + ':' + action.key.encoded.toString('latin1')
    if (seen.has(id)) throw new ValidationException('Transaction request cannot include multiple operations on one item')
    seen.add(id)
  }
}

/** Evaluates every action against its item's current JSON; cancels the transaction if any fails. */
function checkAll(actions: Action[], currentJson: Array<string | null>): void {
  const reasons: CancellationReason[] = []
  let cancelled = false
  for (const [index, action] of actions.entries()) {
    const json = currentJson[index]
    const current: Item | undefined = json === null || json === undefined ? undefined : JSON.parse(json)
    try {
      checkCondition(action.condition, current, action.returnOnFailure)
      nextItem(action, current)
      reasons.push({ Code: 'None' })
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        reasons.push(error.item ? { Code: 'ConditionalCheckFailed', Message: error.message, Item: error.item } : { Code: 'ConditionalCheckFailed', Message: error.message })
      } else if (error instanceof ValidationException) {
        reasons.push({ Code: 'ValidationError', Message: error.message })
      } else throw error
      cancelled = true
    }
  }
  if (cancelled) throw new TransactionCanceledException(reasons)
}

function nextItem(action: Action, current: Item | undefined): NextItem {
  switch (action.kind) {
    case 'Put': return action.item!
    case 'Delete': return null
    case 'ConditionCheck': return current ?? null
    case 'Update': {
      const base = current ?? { ...action.key.attributes }
      if (!action.update) return base
      const next = applyUpdate(action.update, base, { itemExists: current !== undefined }).item
      checkIndexKeys(action.table, next)
      return next
    }
  }
}
