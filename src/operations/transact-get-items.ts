import type { OperationHandler } from '../api/context.js'
import type { TransactGetItemsInput } from '../shapes/transact-get-items.js'
import { TransactionCanceledException, ValidationException } from '../errors.js'
import { applyProjection } from '../expressions/index.js'
import { normalizeItem } from '../values/attribute-value.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { CapacityMeter, readUnits, reportAll } from '../items/capacity.js'
import { keyFromKeyParameter } from '../items/keys.js'
import { rejectNestedKeyPaths, transactionActionExpressions } from '../items/request-expressions.js'
import { keyOrProblem, rejectRepeatedItems, transactionItemBytesMax } from './transact-write-items.js'
import { refuseStrongTransaction } from '../replication/strong-consistency.js'

/** What each Get adds to the response's size beside its item: the member name "Item". */
const responseMemberBytes = 'Item'.length

/** TransactGetItems: up to 100 items read from one consistent snapshot, in request order. */
export const transactGetItems: OperationHandler<TransactGetItemsInput> = async (ctx, input) => {
  const meters = new Map<string, CapacityMeter>()
  const gets = input.TransactItems.map(({ Get: get }) => {
    const { projection } = transactionActionExpressions(get)
    const table = ctx.catalog.require(get.TableName)
    refuseStrongTransaction(table)
    rejectNestedKeyPaths(table, { projection })
    if (!meters.has(table.name)) meters.set(table.name, new CapacityMeter(table, 'read'))
    const { key, problem } = keyOrProblem(() => keyFromKeyParameter(table, normalizeItem(get.Key)))
    return { table, projection, key, problem }
  })
  rejectRepeatedItems(gets)
  // A key of the wrong type or size cancels the read, with a reason per Get (ExtendDB's
  // test_transact_get_wrong_key_type, recorded on AWS).
  if (gets.some((get) => get.problem)) {
    throw new TransactionCanceledException(gets.map((get) =>
      get.problem ? { Code: 'ValidationError', Message: get.problem.message } : { Code: 'None' }))
  }
  // A transaction, not a read view: every item must come from the same moment.
  const responses = await ctx.storage.transact(async (view) => {
    const items: Array<{ Item?: Item }> = []
    let responseBytes = 0
    for (const get of gets) {
      const json = await view.getItem(get.table.tableId, get.key.encoded)
      const item: Item | undefined = json === undefined ? undefined : JSON.parse(json)
      const bytes = item ? itemSizeBytes(item) : 0
      // Transactional reads cost twice a strongly consistent read.
      meters.get(get.table.name)!.addTable(2 * readUnits(bytes, true))
      const projected = item && get.projection ? applyProjection(get.projection, item) : item
      // "DynamoDB rejects the entire TransactGetItems request if … the aggregate size of the
      // items in the transaction exceeded 4 MB" (API reference), counted on what is returned:
      // each Get's projected item (nothing when missing) and the 4 bytes of its "Item", the
      // running sum refused once past 4 MiB with DynamoDB Local's words and figure (AWS's are
      // unknown). A projection keeps a transaction of large items under the limit there.
      responseBytes += responseMemberBytes + (projected ? itemSizeBytes(projected) : 0)
      if (responseBytes > transactionItemBytesMax) throw new ValidationException(`Payload in response is too large.${responseBytes}`)
      // Unlike GetItem, a projection that selects nothing leaves no Item at all (an AWS-validated
      // suite's "GetItem — projection matching nothing").
      items.push(projected && Object.keys(projected).length > 0 ? { Item: projected } : {})
    }
    return items
  })
  const output: Record<string, unknown> = { Responses: responses }
  const consumed = reportAll(meters.values(), input.ReturnConsumedCapacity)
  if (consumed) output.ConsumedCapacity = consumed
  return output
}
