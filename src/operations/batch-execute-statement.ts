import { withCatalogCaughtUp } from '../cluster/catalog-miss.js'
import type { OperationHandler, RequestContext } from '../api/context.js'
import { ConditionalCheckFailedException, DynamoError, ValidationException } from '../errors.js'
import { loggedServerFailure } from '../http/reply.js'
import { mergeReports } from '../items/capacity.js'
import { keyFromKeyParameter, type PrimaryKey } from '../items/keys.js'
import type { SelectStatement, Statement } from '../partiql/ast.js'
import { allReads, errorCode, keyOnlySelect, parseAll } from '../partiql/batch.js'
import { refuseOversizedKey, statementTable } from '../partiql/keys.js'
import { runSelect } from '../partiql/reads.js'
import { existsOutsideTransactionMessage, runWrite } from '../partiql/run.js'
import { translateWrite, type WriteRequest } from '../partiql/writes.js'
import type { BatchExecuteStatementInput, BatchStatementRequest } from '../shapes/batch-execute-statement.js'
import type { TableSchema } from '../tables/schema.js'
import type { Item } from '../values/types.js'
import { rejectDuplicateKeys } from './batch-get-item.js'

interface StatementResponse {
  TableName?: string
  Item?: Item
  Error?: { Code: string; Message: string; Item?: Item }
}

/**
 * BatchExecuteStatement: up to 25 statements, all reads (single-item SELECTs) or all writes.
 * Each statement succeeds or fails on its own; a failure is its response's Error, not the
 * batch's. Statements run one after another, not as a transaction. A member's RETURNING is
 * honoured (its values are the response's Item), each read is rated by its own ConsistentRead,
 * and the capacity of all members is reported per table (an AWS-validated suite's
 * BatchExecuteStatement cases).
 */
export const batchExecuteStatement: OperationHandler<BatchExecuteStatementInput> = async (ctx, input) => {
  const parsed = parseAll(input.Statements)
  const statements = parsed.flatMap((entry) => 'statement' in entry ? [entry.statement] : [])
  const reads = allReads(statements, 'Read and write requests together in the same batch is not supported.')
  const selects = reads ? resolveReads(ctx, parsed) : []
  const writes = reads ? [] : translateWrites(ctx, input.Statements, parsed)
  rejectRepeatedKeys(reads ? selects : writtenKeys(ctx, writes))
  const responses: StatementResponse[] = []
  const consumed: Array<Record<string, unknown>> = []
  const capacity = input.ReturnConsumedCapacity === 'NONE' ? undefined : input.ReturnConsumedCapacity
  for (const [index, entry] of parsed.entries()) {
    if ('error' in entry) {
      responses.push(errorResponse(entry.error))
      continue
    }
    try {
      const ran = reads
        ? await readOne(ctx, entry.statement as SelectStatement, selects[index]!, input.Statements[index]!, capacity)
        : await writeOne(ctx, writes[index]!, capacity)
      responses.push(ran.response)
      if (ran.consumed) consumed.push(ran.consumed)
    } catch (error) {
      // A failure that is not the client's is this member's answer too: the members before it
      // have committed, and failing the whole batch would have its retry apply them again.
      const failure = error instanceof DynamoError ? error : loggedServerFailure(error, ctx.requestId, ctx.log)
      responses.push(errorResponse(failure, reads ? undefined : writes[index]))
    }
  }
  return capacity ? { Responses: responses, ConsumedCapacity: mergeReports(consumed) } : { Responses: responses }
}

interface MemberResult {
  response: StatementResponse
  consumed?: Record<string, unknown>
}

async function readOne(
  ctx: RequestContext, select: SelectStatement, named: MemberKey | DynamoError, request: BatchStatementRequest,
  capacity: BatchExecuteStatementInput['ReturnConsumedCapacity'],
): Promise<MemberResult> {
  if (named instanceof DynamoError) throw named
  const { table } = named
  const { Items: [item], ConsumedCapacity } = await runSelect(ctx, select, { ConsistentRead: request.ConsistentRead, ReturnConsumedCapacity: capacity })
  return { response: item ? { TableName: table.name, Item: item } : { TableName: table.name }, consumed: ConsumedCapacity as MemberResult['consumed'] }
}

async function writeOne(ctx: RequestContext, write: WriteRequest | DynamoError, capacity: BatchExecuteStatementInput['ReturnConsumedCapacity']): Promise<MemberResult> {
  if (write instanceof DynamoError) throw write
  // Each statement commits on its own, so one that meets a table changed on another node runs
  // again by itself: rerunning the whole batch would apply the statements before it twice.
  const { Items: [item], ConsumedCapacity } = await withCatalogCaughtUp(ctx, () => runWrite(ctx, write, capacity))
  const response: StatementResponse = { TableName: write.input.TableName as string }
  // An empty MODIFIED projection leaves no Item at all (not Item: {}).
  if (item) response.Item = item
  return { response, consumed: ConsumedCapacity as MemberResult['consumed'] }
}

/** Writes are translated up front so repeated keys are found before anything is written. */
function translateWrites(ctx: RequestContext, requests: BatchStatementRequest[], parsed: ReturnType<typeof parseAll>): Array<WriteRequest | DynamoError> {
  return parsed.map((entry, index) => {
    if ('error' in entry) return entry.error
    if (entry.statement.kind === 'exists') return new ValidationException(existsOutsideTransactionMessage)
    try {
      return translateWrite(ctx.catalog, entry.statement as Exclude<Statement, SelectStatement>, requests[index]!)
    } catch (error) {
      if (error instanceof DynamoError) return error
      throw error
    }
  })
}

/** A member's table and the key of the item it names. */
interface MemberKey {
  table: TableSchema
  key: Item
}

/**
 * The table and item each SELECT names, resolved up front as writes are (translateWrites), so
 * repeated keys are found before anything runs; a member that names none keeps its error.
 */
function resolveReads(ctx: RequestContext, parsed: ReturnType<typeof parseAll>): Array<MemberKey | DynamoError> {
  return parsed.map((entry) => {
    if ('error' in entry) return entry.error
    const select = entry.statement as SelectStatement
    try {
      const table = statementTable(ctx.catalog, select.table)
      const key = keyOnlySelect(table, select, 'BatchExecuteStatement')
      refuseOversizedKey(table, key)
      return { table, key }
    } catch (error) {
      if (error instanceof DynamoError) return error
      throw error
    }
  })
}

function writtenKeys(ctx: RequestContext, writes: Array<WriteRequest | DynamoError>): Array<MemberKey | DynamoError> {
  return writes.map((write) => write instanceof DynamoError ? write : { table: ctx.catalog.require(write.input.TableName as string), key: write.key })
}

/**
 * A batch naming one item twice is refused whole: reads as BatchGetItem refuses them, writes as
 * BatchWriteItem does (DynamoDB Local answers both so). Keys compare as stored, so 1 and 1.0 are
 * one item; a key that does not fit its table's schema is left for its member to refuse.
 */
function rejectRepeatedKeys(members: Array<MemberKey | DynamoError>): void {
  const keysByTable = new Map<string, PrimaryKey[]>()
  for (const member of members) {
    if (member instanceof DynamoError) continue
    const { table, key } = member
    let primaryKey: PrimaryKey
    try {
      primaryKey = keyFromKeyParameter(table, key)
    } catch (error) {
      if (error instanceof DynamoError) continue
      throw error
    }
    const keys = keysByTable.get(table.name) ?? []
    keys.push(primaryKey)
    keysByTable.set(table.name, keys)
  }
  for (const keys of keysByTable.values()) rejectDuplicateKeys(keys)
}

/**
 * A member's failure. A write that reached its table names the table, whatever stopped it there (a
 * failed condition, a key an INSERT found taken, a value nested too deep); one refused before it
 * ran, while it was parsed or translated, does not (an AWS-validated suite's cases).
 */
function errorResponse(error: DynamoError, write?: WriteRequest | DynamoError): StatementResponse {
  const response: StatementResponse = { Error: { Code: errorCode(error), Message: error.message } }
  if (error instanceof ConditionalCheckFailedException && error.item) response.Error!.Item = error.item
  if (write && !(write instanceof DynamoError)) return { TableName: write.input.TableName as string, ...response }
  return response
}
