/**
 * A hand-written recursive-descent parser for the PartiQL subset DynamoDB runs:
 *   SELECT (* | path, ...) FROM "table"[."index"] [WHERE condition] [ORDER BY path [ASC|DESC], ...]
 *   INSERT INTO "table" VALUE {...}
 *   UPDATE "table" (SET path = value, ... | REMOVE path, ...)+ WHERE condition [RETURNING ...]
 *   FROM "table" WHERE condition (SET path = value, ... | REMOVE path, ...)+ [RETURNING ...]
 *   DELETE FROM "table" WHERE condition [RETURNING ALL OLD *]
 *   EXISTS(SELECT ...)   (ExecuteTransaction condition checks)
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
 */
import { ValidationException } from '../errors.js'
import type { AttributeValue } from '../values/types.js'
import type {
  Condition, DeleteStatement, InsertStatement, Operand, OrderBy, Path, Returning, SelectStatement, Statement, UpdateAction,
  UpdateStatement, UpdateValue,
} from './ast.js'
import { parseArguments, parseCondition, parseName, parseOperand, parsePath, parseTypeName } from './condition-parser.js'
import { Cursor } from './cursor.js'
import { malformedStatement, missingKeyEqualityMessage } from './errors.js'
import { parseTuple, parseValue } from './values.js'

/** Projection lists, ORDER BY lists and SET/REMOVE lists stay far below this. */
const listItemsMax = 1000

/** Parses one statement, binding `?` to `parameters` in order. Throws ValidationException. */
export function parseStatement(statement: string, parameters: readonly AttributeValue[] = []): Statement {
  const cursor = new Cursor(statement, parameters)
  const parsed = parseAnyStatement(cursor)
  cursor.finish()
  return parsed
}

function parseAnyStatement(cursor: Cursor): Statement {
  if (cursor.acceptWord('SELECT')) return parseSelect(cursor)
  if (cursor.acceptWord('INSERT')) return parseInsert(cursor)
  if (cursor.acceptWord('UPDATE')) return parseUpdate(cursor)
  if (cursor.acceptWord('DELETE')) return parseDelete(cursor)
  if (cursor.acceptWord('FROM')) return parseFromFirstUpdate(cursor)
  if (cursor.acceptWord('EXISTS')) {
    cursor.expectPunct('(')
    cursor.expectWord('SELECT')
    const select = parseSelect(cursor)
    cursor.expectPunct(')')
    return { kind: 'exists', select }
  }
  if (cursor.isWord('IS', 1)) refuseTypeTestStatement(cursor)
  throw malformedStatement('Expected data manipulation')
}

/**
 * A statement that is a type test, `x IS [NOT] <type>`, parses and is then refused as the
 * operation it is (`x IS INT4`, `x IS DOUBLE PRECISION`: paritysuite's PartiQL grammar cases,
 * pinned against DynamoDB, eu-west-2, October 2026).
 */
function refuseTypeTestStatement(cursor: Cursor): never {
  parseName(cursor)
  cursor.expectWord('IS')
  cursor.acceptWord('NOT')
  parseTypeName(cursor)
  cursor.finish()
  throw new ValidationException('Unsupported operation: IsType')
}

function parseSelect(cursor: Cursor): SelectStatement {
  let projectionCallAt: string | undefined
  const projection = cursor.acceptPunct('*') ? undefined : parseList(cursor, () => {
    if (cursor.peek().kind !== 'word' || !cursor.isPunct('(', 1)) return [parsePath(cursor)]
    projectionCallAt ??= cursor.position(cursor.peek())
    skipCall(cursor)
    return []
  }).flat()
  cursor.expectWord('FROM')
  const table = parseName(cursor)
  const index = cursor.acceptPunct('.') ? parseName(cursor) : undefined
  // Told bare, before the table is looked up (an AWS-validated suite's index-qualifier cases).
  if (cursor.isPunct('.')) throw new ValidationException('A path may contain at most 2 components in the FROM clause')
  if (table === '' || index === '') throw new ValidationException('Path component cannot be an empty string')
  rejectAlias(cursor)
  const where = cursor.acceptWord('WHERE') ? parseCondition(cursor) : undefined
  const orderBy: OrderBy[] = []
  if (cursor.acceptWord('ORDER')) {
    cursor.expectWord('BY')
    orderBy.push(...parseList(cursor, () => {
      const path = parsePath(cursor)
      const descending = cursor.acceptWord('DESC')
      if (!descending) cursor.acceptWord('ASC')
      return { path, descending }
    }))
  }
  const select: SelectStatement = { kind: 'select', table, index, projection, where, orderBy }
  if (projectionCallAt !== undefined) select.projectionCallAt = projectionCallAt
  return select
}

/** Steps over a function call, name to closing parenthesis, whatever its arguments. */
function skipCall(cursor: Cursor): void {
  cursor.next()
  cursor.expectPunct('(')
  for (let depth = 1; depth > 0;) {
    if (cursor.peek().kind === 'end') throw cursor.unexpected()
    const token = cursor.next()
    if (token.kind === 'punct' && token.text === '(') depth++
    else if (token.kind === 'punct' && token.text === ')') depth--
  }
}

function parseInsert(cursor: Cursor): InsertStatement {
  cursor.expectWord('INTO')
  const tableToken = cursor.peek()
  const table = parseName(cursor)
  // INSERT cannot name an index: refused as it is parsed, at the table's place, whether or not
  // the index exists (UPDATE and DELETE parse the qualifier and refuse it when run).
  if (cursor.isPunct('.')) {
    throw new ValidationException(`FROM clause may only contain a single table name in data manipulation statements at ${cursor.position(tableToken)}`)
  }
  // A name after the table is an alias, which INSERT does not take.
  const next = cursor.peek()
  if (!cursor.isWord('VALUE') && (next.kind === 'word' || next.kind === 'quoted')) throw malformedStatement('Unexpected token after expression')
  cursor.expectWord('VALUE')
  return { kind: 'insert', table, item: parseTuple(cursor) }
}

function parseUpdate(cursor: Cursor): UpdateStatement {
  const { table, index } = parseWriteTarget(cursor)
  const actions = parseUpdateActions(cursor)
  const where = parseRequiredWhere(cursor)
  return updateStatement(table, index, actions, where, parseReturning(cursor))
}

/**
 * PartiQL's FROM-first UPDATE, `FROM "t" WHERE <key> SET ... | REMOVE ...`, the clauses in that
 * order: the same UPDATE with its WHERE ahead of its actions. Without a WHERE it names no item;
 * a WHERE after the actions is left over (recorded against DynamoDB: paritysuite's FROM-first
 * UPDATE cases, eu-west-2, October 2026).
 */
function parseFromFirstUpdate(cursor: Cursor): UpdateStatement {
  const { table, index } = parseWriteTarget(cursor)
  const where = cursor.acceptWord('WHERE') ? parseCondition(cursor) : undefined
  const actions = parseUpdateActions(cursor)
  const returning = parseReturning(cursor)
  if (where === undefined) {
    // A clause left over after the actions (`SET c = 1 WHERE ...`) is told before the missing key.
    cursor.finish()
    throw new ValidationException(missingKeyEqualityMessage)
  }
  return updateStatement(table, index, actions, where, returning)
}

/** One or more SET and REMOVE clauses, in any order. */
function parseUpdateActions(cursor: Cursor): UpdateAction[] {
  const actions: UpdateAction[] = []
  for (let clauses = 0; clauses < listItemsMax; clauses++) {
    if (cursor.acceptWord('SET')) actions.push(...parseList(cursor, () => parseSetAction(cursor)))
    else if (cursor.acceptWord('REMOVE')) actions.push(...parseList(cursor, () => ({ kind: 'REMOVE' as const, path: parsePath(cursor) })))
    else break
  }
  if (actions.length === 0) throw malformedStatement('Expected data manipulation')
  return actions
}

function updateStatement(
  table: string, index: string | undefined, actions: UpdateAction[], where: Condition, returning: Returning | undefined,
): UpdateStatement {
  const update: UpdateStatement = { kind: 'update', table, actions, where, returning }
  if (index !== undefined) update.index = index
  return update
}

function parseDelete(cursor: Cursor): DeleteStatement {
  cursor.expectWord('FROM')
  if (cursor.peek().kind !== 'word' && cursor.peek().kind !== 'quoted') throw malformedStatement('Expected identifier for simple path')
  if (cursor.isWord('WHERE')) throw malformedStatement('Expected identifier for simple path')
  const { table, index } = parseWriteTarget(cursor)
  const where = parseRequiredWhere(cursor)
  const returning = parseReturning(cursor)
  if (returning !== undefined && returning !== 'ALL_OLD') {
    const words = `${returning.startsWith('ALL') ? 'ALL' : 'MODIFIED'} ${returning.endsWith('OLD') ? 'OLD' : 'NEW'}`
    throw new ValidationException(`Invalid returning clause: RETURNING ${words} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`)
  }
  const deletion: DeleteStatement = { kind: 'delete', table, where, returning }
  if (index !== undefined) deletion.index = index
  return deletion
}

/** UPDATE and DELETE name one item, so they cannot go without a WHERE clause. */
function parseRequiredWhere(cursor: Cursor): Condition {
  if (!cursor.acceptWord('WHERE')) {
    if (cursor.atEnd()) throw new ValidationException(missingKeyEqualityMessage)
    throw cursor.unexpected()
  }
  return parseCondition(cursor)
}

/** RETURNING (ALL | MODIFIED) (OLD | NEW) * */
function parseReturning(cursor: Cursor): Returning | undefined {
  if (!cursor.acceptWord('RETURNING')) return undefined
  const all = cursor.acceptWord('ALL')
  if (!all) cursor.expectWord('MODIFIED')
  const old = cursor.acceptWord('OLD')
  if (!old) cursor.expectWord('NEW')
  cursor.expectPunct('*')
  return `${all ? 'ALL' : 'UPDATED'}_${old ? 'OLD' : 'NEW'}`
}

function parseSetAction(cursor: Cursor): UpdateAction {
  const path = parsePath(cursor)
  cursor.expectPunct('=')
  const token = cursor.peek()
  const functionName = token.kind === 'word' && cursor.isPunct('(', 1) ? token.text.toLowerCase() : undefined
  if (functionName === 'set_add' || functionName === 'set_delete') return parseSetFunction(cursor, path, functionName)
  return { kind: 'SET', path, value: parseUpdateValue(cursor) }
}

/**
 * `path = set_add(path, <<...>>)` and set_delete: DynamoDB's ADD and DELETE of set elements. The
 * messages, placed at the function's name or its first argument, are DynamoDB's (an
 * AWS-validated suite's PartiQL function cases).
 */
function parseSetFunction(cursor: Cursor, path: Path, functionName: 'set_add' | 'set_delete'): UpdateAction {
  const nameToken = cursor.next()
  const name = functionName.toUpperCase()
  const first = cursor.peek(1)
  const operands = parseArguments(cursor)
  if (operands.length !== 2) throw new ValidationException(`${name} must have exactly two arguments at ${cursor.position(nameToken)}`)
  const [target, value] = operands as [Operand, Operand]
  if (target.kind !== 'path' || !samePath(target, path)) {
    throw new ValidationException(`The first argument to ${name} must equal the assignment value at ${cursor.position(nameToken)}`)
  }
  if (value.kind !== 'value' || !('SS' in value.value || 'NS' in value.value || 'BS' in value.value)) {
    throw new ValidationException(`The second argument to ${name} must be a value with type SET at ${cursor.position(first)}`)
  }
  return { kind: functionName === 'set_add' ? 'ADD' : 'DELETE', path, value: value.value }
}

function parseUpdateValue(cursor: Cursor): UpdateValue {
  const token = cursor.peek()
  if (token.kind === 'word' && token.text.toLowerCase() === 'list_append' && cursor.isPunct('(', 1)) {
    cursor.next()
    cursor.next()
    const left = parseOperand(cursor)
    cursor.expectPunct(',')
    const right = parseOperand(cursor)
    cursor.expectPunct(')')
    return { kind: 'list_append', left, right }
  }
  const left = parseOperand(cursor)
  if (cursor.isPunct('+') || cursor.isPunct('-')) {
    const operator = cursor.next().text as '+' | '-'
    return { kind: 'arithmetic', operator, left, right: parseOperand(cursor) }
  }
  return left
}

/** The table an UPDATE or DELETE names, with an index qualifier it refuses when run, and no alias. */
function parseWriteTarget(cursor: Cursor): { table: string; index: string | undefined } {
  const table = parseName(cursor)
  const index = cursor.acceptPunct('.') ? parseName(cursor) : undefined
  rejectAlias(cursor)
  return { table, index }
}

/** `FROM "t" t` and `FROM "t" AS t`: DynamoDB has no aliases. */
function rejectAlias(cursor: Cursor): void {
  const token = cursor.peek()
  if (cursor.isWord('AS') || token.kind === 'quoted') throw new ValidationException('Aliasing is not supported')
  if (token.kind === 'word' && !['WHERE', 'ORDER', 'SET', 'REMOVE', 'RETURNING'].includes(token.text.toUpperCase())) {
    throw new ValidationException('Aliasing is not supported')
  }
}

function parseList<T>(cursor: Cursor, parseItem: () => T): T[] {
  const items = [parseItem()]
  while (cursor.acceptPunct(',')) {
    if (items.length >= listItemsMax) throw malformedStatement('Too many list items')
    items.push(parseItem())
  }
  return items
}

export function samePath(a: Path, b: Path): boolean {
  return a.steps.length === b.steps.length && a.steps.every((step, index) => step === b.steps[index])
}
