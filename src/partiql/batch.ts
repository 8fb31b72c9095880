/**
 * What BatchExecuteStatement and ExecuteTransaction share: parsing every statement first,
 * telling reads from writes, and naming errors the way per-statement responses do.
 */
import { DynamoError, ValidationException } from '../errors.js'
import { findIndex, hasMultiAttributeKey, type TableSchema } from '../tables/schema.js'
import type { AttributeValue, Item } from '../values/types.js'
import type { SelectStatement, Statement } from './ast.js'
import { findFullKey } from './keys.js'
import { parseStatement } from './parser.js'
import { multiAttributeIndexRefusal } from './reads.js'

export type Parsed = { statement: Statement } | { error: DynamoError }

export function parseAll(requests: ReadonlyArray<{ Statement: string; Parameters?: AttributeValue[] }>): Parsed[] {
  return requests.map((request) => {
    try {
      return { statement: parseStatement(request.Statement, request.Parameters) }
    } catch (error) {
      if (error instanceof DynamoError) return { error }
      throw error
    }
  })
}

export function isRead(statement: Statement): statement is SelectStatement {
  return statement.kind === 'select'
}

/** Whether the statements are all reads; throws `mixedMessage` when reads and writes are mixed. */
export function allReads(statements: Statement[], mixedMessage: string): boolean {
  const reads = statements.filter(isRead).length
  if (reads > 0 && reads < statements.length) throw new ValidationException(mixedMessage)
  return reads > 0
}

/** A SELECT that names exactly one item: its table's full primary key, no index. */
export function singleItemKey(table: TableSchema, select: SelectStatement): Item | undefined {
  if (select.index !== undefined) {
    // The refusal to read a multi-attribute index comes ahead of the rule that a key is needed.
    const index = findIndex(table, select.index)
    if (index && hasMultiAttributeKey(index)) throw new ValidationException(multiAttributeIndexRefusal)
    return undefined
  }
  return findFullKey(table, select.where)?.key
}

/** A per-statement error Code: the error's type without "Exception"; ValidationException is "ValidationError". */
export function errorCode(error: DynamoError): string {
  if (error.type === 'ValidationException') return 'ValidationError'
  return error.type.replace(/Exception$/, '')
}
