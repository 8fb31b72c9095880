/**
 * PartiQL literals as AttributeValues: 'strings', numbers, TRUE/FALSE, NULL, [lists],
 * {'maps': ...}, <<sets>> and `?` parameters. A number that breaks DynamoDB's limits is
 * reported with its place inside the literal ("... under root.m[1]"); in an INSERT's tuple each
 * attribute's value is a root of its own ({'l': [1, 1e126]} is "under root[1]"), and a number
 * Java's BigDecimal cannot read leaves the statement malformed, with nothing said after the colon
 * (an AWS-validated suite's PartiQL grammar cases, October 2026).
 */
import { ValidationException } from '../errors.js'
import { attributeValueProblem } from '../values/attribute-value.js'
import { bigDecimalReads, numberProblem, parseNumber } from '../values/number.js'
import type { AttributeValue } from '../values/types.js'
import type { Cursor } from './cursor.js'
import type { Token } from './lexer.js'
import { malformedStatement } from './errors.js'
import { setMember } from '../values/members.js'

/**
 * DynamoDB nests documents at most 32 levels deep; a literal's value, an INSERT attribute's
 * included, gets the same bound: 31 maps around a number are fine, 32 are refused at the number
 * (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
 */
const literalDepthMax = 32

/** Whether the current token can start a literal value. */
export function startsValue(cursor: Cursor): boolean {
  const token = cursor.peek()
  if (token.kind === 'string' || token.kind === 'number') return true
  if (token.kind === 'punct') return ['?', '[', '{', '<<'].includes(token.text) || startsSignedNumber(cursor)
  return cursor.isWord('TRUE') || cursor.isWord('FALSE') || cursor.isWord('NULL')
}

export function parseValue(cursor: Cursor, place = 'root', depth = 1): AttributeValue {
  if (depth > literalDepthMax) throw new ValidationException(`Nesting Levels have exceeded supported limits under ${place}`)
  const token = cursor.next()
  if (token.kind === 'string') return { S: token.text }
  if (token.kind === 'number') return numberValue(token.text, place)
  if (token.kind === 'word') {
    const word = token.text.toUpperCase()
    if (word === 'TRUE' || word === 'FALSE') return { BOOL: word === 'TRUE' }
    if (word === 'NULL') return { NULL: true }
    if (cursor.isPunct('(')) {
      throw unsupportedDataType(cursor, token.text.toLowerCase(), token, place)
    }
  }
  if (token.kind === 'punct') {
    switch (token.text) {
      case '?': return parameterValue(cursor, token, place)
      case '-': case '+': return signedNumber(cursor, token.text === '-', place)
      case '[': return { L: parseElements(cursor, ']', place, depth) }
      case '{': return parseMap(cursor, place, depth)
      case '<<': return setValue(parseElements(cursor, '>>', place, depth), place)
    }
  }
  throw token.kind === 'end' ? malformedStatement('Unexpected term') : malformedStatement('Unexpected token')
}

/**
 * A `?` stands for a whole value: a top-level one, an INSERT attribute's or an IN candidate's.
 * Inside a list or map literal DynamoDB refuses it, naming its place, and writes nothing
 * (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
 */
function parameterValue(cursor: Cursor, token: Token, place: string): AttributeValue {
  if (place !== 'root') throw unsupportedDataType(cursor, 'Parameter', token, place)
  return cursor.parameter()
}

/** A value of a kind a literal cannot hold there, such as a function call or a nested `?`. */
function unsupportedDataType(cursor: Cursor, kind: string, token: Token, place: string): ValidationException {
  return new ValidationException(`Unsupported data type: ${kind} under key ${place} at ${cursor.position(token)}`)
}

/** Signs, any number of them, then a number: `-1`, `+5`, `- - 1` (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17). */
function startsSignedNumber(cursor: Cursor): boolean {
  let offset = 0
  while (cursor.isPunct('-', offset) || cursor.isPunct('+', offset)) offset++
  return offset > 0 && cursor.peek(offset).kind === 'number'
}

/** The number after the first sign and any others; each '-' flips the sign. */
function signedNumber(cursor: Cursor, negative: boolean, place: string): AttributeValue {
  while (cursor.isPunct('-') || cursor.isPunct('+')) negative = (cursor.next().text === '-') !== negative
  return numberValue(`${negative ? '-' : ''}${cursor.next().text}`, place)
}

/** The text a number literal was written as (`2.0`), for messages that quote it; the value is canonical (`2`). */
const writtenNumbers = new WeakMap<AttributeValue, string>()

function numberValue(text: string, place: string): AttributeValue {
  if (!bigDecimalReads(text)) throw malformedStatement('')
  const problem = numberProblem(text)
  if (problem !== undefined) throw new ValidationException(`${problem} under ${place}`)
  const value = { N: parseNumber(text) }
  writtenNumbers.set(value, text)
  return value
}

/**
 * The tuple of an INSERT: a map literal whose attribute values are each a root of their own, or
 * a `?` whose parameter is a map.
 */
export function parseTuple(cursor: Cursor): AttributeValue {
  if (cursor.acceptPunct('{')) return parseMap(cursor, 'root', 1, true)
  const item = parseValue(cursor)
  if (!('M' in item)) throw malformedStatement('Expected a tuple in VALUE')
  return item
}

function parseElements(cursor: Cursor, close: string, place: string, depth: number): AttributeValue[] {
  const elements: AttributeValue[] = []
  if (cursor.acceptPunct(close)) return elements
  do {
    elements.push(parseValue(cursor, `${place}[${elements.length}]`, depth + 1))
  } while (cursor.acceptPunct(','))
  cursor.expectPunct(close)
  return elements
}

function parseMap(cursor: Cursor, place: string, depth: number, tuple = false): AttributeValue {
  const map: Record<string, AttributeValue> = {}
  if (cursor.acceptPunct('}')) return { M: map }
  do {
    const key = cursor.next()
    if (key.kind !== 'string') throw malformedStatement('Unexpected token')
    cursor.expectPunct(':')
    if (Object.hasOwn(map, key.text)) {
      throw new ValidationException(`Duplicate keys in tuple. Key: ${key.text} under ${place} at ${cursor.position(key)}`)
    }
    // A tuple's attribute values are each a root of their own, as deep as any other value.
    setMember(map, key.text, tuple ? parseValue(cursor) : parseValue(cursor, `${place}.${key.text}`, depth + 1))
  } while (cursor.acceptPunct(','))
  cursor.expectPunct('}')
  return { M: map }
}

/**
 * A set literal is a string, number or binary set, by the type of its elements. One that repeats a
 * member (numbers by value: `<<2, 2.0>>`) is refused in PartiQL's words, with its place (floci's
 * PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
 */
function setValue(elements: AttributeValue[], place: string): AttributeValue {
  if (elements.length === 0) throw new ValidationException('Empty bags are not supported')
  const first = elements[0]
  let set: AttributeValue | undefined
  if (first && elements.every((element) => 'S' in element)) set = { SS: elements.map((element) => (element as { S: string }).S) }
  else if (first && elements.every((element) => 'N' in element)) set = { NS: elements.map((element) => (element as { N: string }).N) }
  else if (first && elements.every((element) => 'B' in element)) set = { BS: elements.map((element) => (element as { B: string }).B) }
  if (!set) throw new ValidationException('Sets must contain elements of one type: string, number or binary, and cannot be empty')
  const members = Object.values(set)[0] as string[]
  if (new Set(members).size < members.length) {
    const written = elements.map((element, index) => writtenNumbers.get(element) ?? members[index])
    throw new ValidationException(`One or more parameter values were invalid: Input collection [${written.join(', ')}] contains duplicates! under ${place}`)
  }
  const problem = attributeValueProblem(set)
  if (problem !== undefined) throw new ValidationException(problem)
  return set
}
