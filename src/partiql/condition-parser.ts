/**
 * WHERE conditions and the operands they compare: document paths (a.b[0], "quoted"),
 * literals, `?` and size(path). Precedence, loosest first: OR, AND, NOT, then one predicate.
 */
import { ValidationException } from '../errors.js'
import { listIndexMax } from '../expressions/limits.js'
import type { Comparator, Condition, ConditionFunction, Operand, Path } from './ast.js'
import { keywords, type Cursor } from './cursor.js'
import { isPartiqlReservedWord } from './reserved-words.js'
import { malformedStatement } from './errors.js'
import { parseValue, startsValue } from './values.js'

/** Nesting of parentheses and NOTs in one condition; DynamoDB's expressions stop far sooner. */
const conditionDepthMax = 100
/** DynamoDB document paths have at most 32 elements. */
const pathStepsMax = 32

const comparators: readonly string[] = ['=', '<>', '!=', '<', '<=', '>', '>=']
const conditionFunctions: readonly string[] = ['begins_with', 'contains', 'attribute_type']
/** One-path tests, which DynamoDB's PartiQL takes as its IS [NOT] MISSING. */
const existenceFunctions: readonly string[] = ['attribute_exists', 'attribute_not_exists']
/** Words that can only continue an expression: finding one where a term starts is "Unexpected operator". */
const operatorWords = new Set(['IS', 'LIKE', 'BETWEEN', 'IN', 'AND', 'OR'])

export function parseCondition(cursor: Cursor, depth = 0): Condition {
  if (depth > conditionDepthMax) throw malformedStatement('Expression nested too deeply')
  let left = parseConjunction(cursor, depth)
  while (cursor.acceptWord('OR')) left = { kind: 'or', left, right: parseRightHandSide(cursor, () => parseConjunction(cursor, depth)) }
  return left
}

function parseConjunction(cursor: Cursor, depth: number): Condition {
  let left = parseNegation(cursor, depth)
  while (cursor.acceptWord('AND')) left = { kind: 'and', left, right: parseRightHandSide(cursor, () => parseNegation(cursor, depth)) }
  return left
}

function parseRightHandSide(cursor: Cursor, parse: () => Condition): Condition {
  if (cursor.peek().kind === 'end') throw malformedStatement('Missing right-hand side expression of infix operator')
  return parse()
}

function parseNegation(cursor: Cursor, depth: number): Condition {
  if (cursor.acceptWord('NOT')) return { kind: 'not', condition: parseNegation(cursor, depth + 1) }
  if (cursor.acceptPunct('(')) {
    const condition = parseCondition(cursor, depth + 1)
    cursor.expectPunct(')')
    return parseTruthComparison(cursor, condition)
  }
  return parsePredicate(cursor)
}

function parsePredicate(cursor: Cursor): Condition {
  const token = cursor.peek()
  if (token.kind === 'word' && cursor.isPunct('(', 1) && conditionFunctions.includes(token.text.toLowerCase())) {
    return parseConditionFunction(cursor, token.text.toLowerCase() as ConditionFunction)
  }
  if (startsExistenceTest(cursor)) return parseTruthComparison(cursor, parseExistenceTest(cursor))
  const operand = parseOperand(cursor)
  const comparator = acceptComparator(cursor)
  if (comparator !== undefined) {
    if (startsExistenceTest(cursor)) return truthComparison(parseExistenceTest(cursor), comparator, operand, false)
    return { kind: 'compare', comparator, left: operand, right: parseOperand(cursor) }
  }
  if (cursor.acceptWord('BETWEEN')) {
    const low = parseOperand(cursor)
    cursor.expectWord('AND')
    return { kind: 'between', operand, low, high: parseOperand(cursor) }
  }
  if (cursor.isWord('NOT') && cursor.isWord('IN', 1)) {
    cursor.next()
    cursor.next()
    return { kind: 'not', condition: { kind: 'in', operand, candidates: parseInList(cursor) } }
  }
  if (cursor.acceptWord('IN')) return { kind: 'in', operand, candidates: parseInList(cursor) }
  if (cursor.acceptWord('IS')) return parseIsTest(cursor, operand)
  throw new ValidationException(`Unsupported operation: ${operand.kind === 'path' ? 'VariableReference' : 'Literal'}`)
}

function parseConditionFunction(cursor: Cursor, name: ConditionFunction): Condition {
  cursor.next()
  cursor.expectPunct('(')
  const path = parsePath(cursor)
  cursor.expectPunct(',')
  const argument = parseOperand(cursor)
  cursor.expectPunct(')')
  return { kind: 'function', name, path, argument }
}

function acceptComparator(cursor: Cursor): Comparator | undefined {
  const token = cursor.peek()
  if (token.kind !== 'punct' || !comparators.includes(token.text)) return undefined
  cursor.next()
  return (token.text === '!=' ? '<>' : token.text) as Comparator
}

/** A condition, then perhaps a comparator and the operand its truth is compared with. */
function parseTruthComparison(cursor: Cursor, condition: Condition): Condition {
  const comparator = acceptComparator(cursor)
  return comparator === undefined ? condition : truthComparison(condition, comparator, parseOperand(cursor), true)
}

/**
 * A condition compared with an operand (`attribute_exists(a) = true`, `(n > 1) = flag`,
 * `true = attribute_exists(a)`) compares its truth, a BOOL: equal to a BOOL literal it is the
 * condition or its negation, to another literal never, to a path whatever BOOL the path holds.
 * An ordering comparison takes no BOOL and is refused when the expression compiles ("Incorrect
 * operand type …, operand type: BOOL"). Floci's PartiQL edge cases, recorded against DynamoDB,
 * eu-west-2, 2026-09-17.
 */
function truthComparison(condition: Condition, comparator: Comparator, operand: Operand, conditionFirst: boolean): Condition {
  if (comparator !== '=' && comparator !== '<>') {
    const truth: Operand = { kind: 'value', value: { BOOL: true } }
    return { kind: 'compare', comparator, left: conditionFirst ? truth : operand, right: conditionFirst ? operand : truth }
  }
  const equal = truthEquals(condition, operand)
  return comparator === '=' ? equal : negation(equal)
}

function truthEquals(condition: Condition, operand: Operand): Condition {
  if (operand.kind === 'value' && 'BOOL' in operand.value) return operand.value.BOOL ? condition : negation(condition)
  const holds = (truth: boolean): Condition => ({ kind: 'compare', comparator: '=', left: operand, right: { kind: 'value', value: { BOOL: truth } } })
  return { kind: 'or', left: { kind: 'and', left: condition, right: holds(true) }, right: { kind: 'and', left: negation(condition), right: holds(false) } }
}

/** NOT of a condition; an existence test turns into the other one. */
function negation(condition: Condition): Condition {
  return condition.kind === 'is' && condition.test === 'MISSING' ? { ...condition, negated: !condition.negated } : { kind: 'not', condition }
}

function startsExistenceTest(cursor: Cursor): boolean {
  const token = cursor.peek()
  return token.kind === 'word' && cursor.isPunct('(', 1) && existenceFunctions.includes(token.text.toLowerCase())
}

/**
 * attribute_exists(path) and attribute_not_exists(path), DynamoDB's IS [NOT] MISSING. The
 * messages for the wrong operands are DynamoDB's (an AWS-validated suite's PartiQL function cases).
 */
function parseExistenceTest(cursor: Cursor): Condition {
  const name = cursor.next().text.toLowerCase()
  const operands = parseArguments(cursor)
  if (operands.length !== 1) {
    throw new ValidationException('Incorrect number of operands for operator or function; ' +
      `operator or function: ${name}, number of operands: ${operands.length}`)
  }
  const path = operands[0]!
  if (path.kind !== 'path') {
    throw new ValidationException(`Operator or function requires a document path; operator or function: ${name}`)
  }
  return { kind: 'is', path, test: 'MISSING', negated: name === 'attribute_exists' }
}

/** A function's parenthesized arguments, any number of them; the caller checks how many it takes. */
export function parseArguments(cursor: Cursor): Operand[] {
  cursor.expectPunct('(')
  const operands: Operand[] = []
  if (!cursor.isPunct(')')) {
    do operands.push(parseOperand(cursor))
    while (cursor.acceptPunct(','))
  }
  cursor.expectPunct(')')
  return operands
}

/** IN takes a list literal: [a, b] or (a, b). */
function parseInList(cursor: Cursor): Operand[] {
  const close = cursor.acceptPunct('[') ? ']' : (cursor.expectPunct('('), ')')
  const candidates: Operand[] = []
  do candidates.push(parseOperand(cursor))
  while (cursor.acceptPunct(','))
  cursor.expectPunct(close)
  return candidates
}

/** PartiQL type names an IS test takes besides MISSING and NULL, as the DynamoDB type they mean. */
const isTypes: Readonly<Record<string, string>> = {
  BOOL: 'BOOL', BOOLEAN: 'BOOL', STRING: 'S', BLOB: 'B', LIST: 'L', STRUCT: 'M', TUPLE: 'M',
}

/**
 * The type names of PartiQL's grammar, the two-word ones as they are written. A WHERE clause
 * tests only MISSING, NULL and the names in isTypes; the others parse in a statement that is a
 * type test, which DynamoDB refuses.
 */
const partiqlTypeNames = new Set([
  'NULL', 'MISSING', 'ANY', 'BOOL', 'BOOLEAN', 'SMALLINT', 'INT2', 'INTEGER2', 'INT', 'INTEGER', 'INT4', 'INTEGER4',
  'INT8', 'INTEGER8', 'BIGINT', 'REAL', 'FLOAT', 'DOUBLE PRECISION', 'DECIMAL', 'DEC', 'NUMERIC', 'TIMESTAMP', 'DATE',
  'TIME', 'CHAR', 'CHARACTER', 'VARCHAR', 'CHARACTER VARYING', 'STRING', 'SYMBOL', 'BLOB', 'CLOB', 'STRUCT', 'TUPLE',
  'LIST', 'SEXP', 'BAG',
])

/** One of PartiQL's type names, of one word or two. */
export function parseTypeName(cursor: Cursor): string {
  const first = cursor.peek()
  const second = cursor.peek(1)
  const twoWords = first.kind === 'word' && second.kind === 'word' ? `${first.text} ${second.text}`.toUpperCase() : undefined
  if (twoWords !== undefined && partiqlTypeNames.has(twoWords)) {
    cursor.next()
    cursor.next()
    return twoWords
  }
  if (first.kind === 'word' && partiqlTypeNames.has(first.text.toUpperCase())) return cursor.next().text.toUpperCase()
  throw malformedStatement('Expected type name')
}

/** `path IS [NOT] MISSING | NULL | <type>`; a type is tested as attribute_type(path, type). */
function parseIsTest(cursor: Cursor, operand: Operand): Condition {
  const negated = cursor.acceptWord('NOT')
  const next = cursor.peek()
  const type = next.kind === 'word' ? isTypes[next.text.toUpperCase()] : undefined
  if (type !== undefined) cursor.next()
  const test = type ? undefined : cursor.acceptWord('MISSING') ? 'MISSING' : cursor.acceptWord('NULL') ? 'NULL' : undefined
  if (!test && !type) throw malformedStatement('Expected type name')
  if (operand.kind !== 'path') throw new ValidationException('Unsupported operation: IsType')
  if (test) return { kind: 'is', path: operand, test, negated }
  const typed: Condition = { kind: 'function', name: 'attribute_type', path: operand, argument: { kind: 'value', value: { S: type! } } }
  return negated ? { kind: 'not', condition: typed } : typed
}

export function parseOperand(cursor: Cursor): Operand {
  if (startsValue(cursor)) return { kind: 'value', value: parseValue(cursor) }
  const token = cursor.peek()
  if (token.kind === 'word' && cursor.isPunct('(', 1) && token.text.toLowerCase() !== 'size') {
    // set_add, EXISTS and the like are not functions of a condition (an AWS-validated suite).
    throw new ValidationException(`Unrecognized function: ${token.text.toLowerCase()} at ${cursor.position(token)}`)
  }
  if (token.kind === 'word' && token.text.toLowerCase() === 'size' && cursor.isPunct('(', 1)) {
    cursor.next()
    cursor.next()
    const path = parsePath(cursor)
    cursor.expectPunct(')')
    return { kind: 'size', path }
  }
  return parsePath(cursor)
}

/**
 * name, "quoted name", then any number of .name and [index]. A word PartiQL reserves is no name
 * at the head of a path either (`SELECT count`, `SET date = 1`, `WHERE size IS MISSING`): DynamoDB
 * refuses it, as DynamoDB Local does for each of them and a public report does for `size`;
 * quoted (`"count"`) it is a name.
 */
export function parsePath(cursor: Cursor): Path {
  const head = cursor.peek()
  const steps: Array<string | number> = [parseName(cursor)]
  if (head.kind === 'word' && isPartiqlReservedWord(head.text)) throw malformedStatement('Unexpected keyword')
  for (;;) {
    if (cursor.isPunct('.') && (cursor.peek(1).kind === 'word' || cursor.peek(1).kind === 'quoted')) {
      cursor.next()
      const component = cursor.peek()
      if (component.kind === 'word' && isPartiqlReservedWord(component.text)) throw malformedStatement('Invalid path dot component')
      steps.push(parseName(cursor))
    } else if (cursor.isPunct('[') && (cursor.peek(1).kind === 'number' || (cursor.isPunct('-', 1) && cursor.peek(2).kind === 'number'))) {
      cursor.next()
      steps.push(parseListIndex(cursor))
      cursor.expectPunct(']')
    } else break
    if (steps.length > pathStepsMax) throw new ValidationException('Document path is too deep')
  }
  return { kind: 'path', steps }
}

/**
 * A list index, `[2]`, and also `[-0]`, which is `[0]`. Below zero or above a signed 32-bit
 * integer it is refused at its digits (floci's PartiQL edge cases, recorded against DynamoDB,
 * eu-west-2, 2026-09-17: `l[-1]` is "… index: [-1] at 1:11:1").
 */
function parseListIndex(cursor: Cursor): number {
  const sign = cursor.acceptPunct('-') ? '-' : ''
  const digits = cursor.next()
  const index = Number(sign + digits.text)
  if (!Number.isInteger(index)) throw malformedStatement('Unexpected token')
  if (index < 0 || index > listIndexMax) {
    throw new ValidationException(`List index is not within the allowable range; index: [${sign}${digits.text}] at ${cursor.position(digits)}`)
  }
  return index === 0 ? 0 : index
}

export function parseName(cursor: Cursor): string {
  const token = cursor.peek()
  if (token.kind === 'quoted') return cursor.next().text
  if (token.kind === 'word') {
    const word = token.text.toUpperCase()
    if (operatorWords.has(word)) throw malformedStatement('Unexpected operator')
    if (keywords.has(word)) throw malformedStatement('Unexpected keyword')
    return cursor.next().text
  }
  throw cursor.unexpected()
}
