/**
 * What BatchExecuteStatement and ExecuteTransaction share: parsing every statement first,
 * telling reads from writes, and naming errors the way per-statement responses do.
 */
import { DynamoError, ValidationException } from '../errors.js'
import { findIndex, hasMultiAttributeKey, type TableSchema } from '../tables/schema.js'
import { attributeMapProblem } from '../validate/attribute-checks.js'
import { attributeValuesEqual } from '../values/attribute-value.js'
import type { AttributeValue, Item } from '../values/types.js'
import type { SelectStatement, Statement } from './ast.js'
import { conjuncts, singleValueOf } from './keys.js'
import { parseStatement } from './parser.js'
import { multiAttributeIndexRefusal } from './reads.js'
import { ownMember, setMember } from '../values/members.js'

export type Parsed = { statement: Statement } | { error: DynamoError }

/**
 * Every statement of a batch, parsed with its Parameters, each on its own: a statement that
 * cannot be parsed, or whose Parameters DynamoDB refuses (a number it cannot convert, values
 * nested too deeply), fails only itself, as its response's Error (an AWS-validated suite's
 * BatchExecuteStatement parameter cases).
 */
export function parseAll(requests: ReadonlyArray<{ Statement: string; Parameters?: AttributeValue[] }>): Parsed[] {
  return requests.map((request) => {
    const problem = attributeMapProblem({ ...request.Parameters })
    if (problem !== undefined) return { error: new ValidationException(problem) }
    try {
      return { statement: parseStatement(request.Statement, request.Parameters) }
    } catch (error) {
      if (error instanceof DynamoError) return { error }
      throw error
    }
  })
}

/**
 * The statements a PartiQL request carries that parse (ExecuteStatement's one, a batch's or a
 * transaction's each), for authorization: one that does not parse runs nothing.
 */
export function partiqlStatementsOf(action: string, input: Record<string, any>): Statement[] {
  const requests: Array<{ Statement: string; Parameters?: AttributeValue[] }> = action === 'ExecuteStatement' ? [input as { Statement: string }]
    : action === 'BatchExecuteStatement' ? input.Statements ?? [] : input.TransactStatements ?? []
  return parseAll(requests).flatMap((parsed) => 'statement' in parsed ? [parsed.statement] : [])
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

/**
 * The key of a SELECT in a batch or a transaction, which may name only its table's full primary
 * key: no index, no other condition (the AWS-validated dynamodb-conformance suite's PartiQL cases
 * for both operations, e.g. `pk = 'a' AND attribute_exists(b)`). A key attribute may be named more
 * than once with its one value, and `pk IN ['a']` names it as `pk = 'a'` does (floci's PartiQL
 * edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
 */
export function keyOnlySelect(table: TableSchema, select: SelectStatement, operation: 'BatchExecuteStatement' | 'ExecuteTransaction'): Item {
  const key = singleItemKey(table, select)
  if (!key) throw new ValidationException(`Select statements within ${operation} must specify the primary key in the where clause.`)
  return key
}

/** The item a SELECT names when its WHERE says nothing but its table's full primary key, no index. */
function singleItemKey(table: TableSchema, select: SelectStatement): Item | undefined {
  if (select.index !== undefined) {
    // The refusal to read a multi-attribute index comes ahead of the rule that a key is needed.
    const index = findIndex(table, select.index)
    if (index && hasMultiAttributeKey(index)) throw new ValidationException(multiAttributeIndexRefusal)
    return undefined
  }
  const attributes = [table.key.partitionKey, table.key.sortKey].filter((attribute) => attribute !== undefined)
  const key: Item = {}
  for (const condition of conjuncts(select.where)) {
    const named = attributes.find((attribute) => singleValueOf(condition, attribute) !== undefined)
    if (named === undefined) return undefined
    const value = singleValueOf(condition, named)!
    const earlier = ownMember(key, named)
    if (earlier !== undefined && !attributeValuesEqual(earlier, value)) return undefined
    setMember(key, named, value)
  }
  return attributes.every((attribute) => Object.hasOwn(key, attribute)) ? key : undefined
}

/**
 * A per-statement error Code: the error's type without "Exception"; ValidationException is
 * "ValidationError", ThrottlingException "ThrottlingError" (BatchStatementErrorCodeEnum).
 */
export function errorCode(error: DynamoError): string {
  if (error.type === 'ValidationException') return 'ValidationError'
  if (error.type === 'ThrottlingException') return 'ThrottlingError'
  return error.type.replace(/Exception$/, '')
}
