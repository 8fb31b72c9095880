/**
 * Well-formedness, normalization, equality and ordering of AttributeValues.
 *
 * Two checking stages, as in DynamoDB:
 *  1. attributeValueSerializationProblem: JSON shape and base64, found while DynamoDB
 *     deserializes the request. Its messages are the text of a SerializationException.
 *  2. attributeValueProblem: DynamoDB's rules about values (numbers, empty and duplicate
 *     sets, NULL, nesting). Its messages are the text of a ValidationException.
 *
 * Messages from attributeValueProblem are complete as-is when the value sits in Key, Item,
 * Expected or an AttributeValueList; for ExpressionAttributeValues the older layer (see
 * ValueLayer) wraps them: `ExpressionAttributeValues contains invalid value: ${message} for key
 * ${name}`.
 * Some carry the "One or more parameter values were invalid: " prefix and some do not,
 * exactly as DynamoDB sends them (recorded by dynalite's tests against live DynamoDB).
 */
import type { AttributeValue, Item } from './types.js'
import {
  bigDecimalReads, compareNumbers, numberProblem, numberSyntaxMessage, numberUnderflowMessage, parseNumber, writtenExponent,
} from './number.js'

/** DynamoDB allows 32 levels of nesting: a leaf may sit inside at most 31 M/L values. */
export const attributeValueDepthMax = 32

const invalidPrefix = 'One or more parameter values were invalid: '
export const emptyAttributeValueMessage =
  'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'
export const multipleDatatypesMessage =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'
export const nestingMessage =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit'

const attributeTypes = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'])

type JsonObject = { [key: string]: unknown }

/**
 * DynamoDB checks values in one of two layers, and the operation decides which (an AWS-validated
 * suite's valueLayers cases, four regions, 2026-10-09). The current one (PutItem, UpdateItem,
 * DeleteItem, GetItem, BatchGetItem, Query) quotes duplicate set members in byte order and keeps
 * the colon after an empty number; the older one (the rest) prints the members as sent.
 */
export type ValueLayer = 'current' | 'older'

let valueLayer: ValueLayer = 'older'

/** Runs a synchronous check with attributeValueProblem worded for `layer`. */
export function inValueLayer<T>(layer: ValueLayer, check: () => T): T {
  const saved = valueLayer
  valueLayer = layer
  try {
    return check()
  } finally {
    valueLayer = saved
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The ValidationException message for a value DynamoDB would reject, or undefined when it is
 * well-formed. Expects a value that passed attributeValueSerializationProblem (JSON types are
 * right); JSON nulls count as absent members, as in DynamoDB's deserializer.
 */
export function attributeValueProblem(value: unknown): string | undefined {
  return problemAtDepth(value, 1)
}

/**
 * attributeValueProblem for an ExpressionAttributeValues entry, which is not yet inside an item
 * and so may nest one level deeper: DynamoDB accepts a 32-level :value and refuses the write it
 * would make (an AWS-validated suite's nestingDepth cases).
 */
export function expressionValueProblem(value: unknown): string | undefined {
  return problemAtDepth(value, 0)
}

function problemAtDepth(value: unknown, depth: number): string | undefined {
  if (depth > attributeValueDepthMax) return nestingMessage
  if (!isObject(value)) return emptyAttributeValueMessage
  let typeCount = 0
  for (const type in value) {
    const member = value[type]
    if (!attributeTypes.has(type) || member === null || member === undefined) continue
    typeCount++
    // DynamoDB reports a bad member before it notices a second type.
    const problem = memberProblem(type, member, depth)
    if (problem !== undefined) return problem
  }
  if (typeCount === 0) return emptyAttributeValueMessage
  if (typeCount > 1) return multipleDatatypesMessage
  return undefined
}

function memberProblem(type: string, member: unknown, depth: number): string | undefined {
  switch (type) {
    case 'N':
      return layerNumberProblem(member as string) ?? numberProblem(member as string)
    case 'NULL':
      return member === true ? undefined : `${invalidPrefix}Null attribute value types must have the value of true`
    case 'SS':
      return stringSetProblem(member as string[])
    case 'NS':
      return numberSetProblem(member as string[])
    case 'BS':
      return binarySetProblem(member as string[])
    case 'M':
      return mapProblem(member as JsonObject, depth)
    case 'L':
      return listProblem(member as unknown[], depth)
    default:
      // S and B may be empty (DynamoDB allows empty non-key strings and binaries).
      return undefined
  }
}

/**
 * Where the layers differ on a number: the current one keeps ': ' after an empty number's
 * message and reads the exponent as a 64-bit integer; the older one reads the number as Java's BigDecimal does. So an exponent, or the
 * scale it makes (fraction digits minus exponent), that does not fit an int cannot be converted
 * at all (1e99999999999, 1e2147483648, 1e-2147483648: an AWS-validated suite's PartiQL parameter
 * cases), and an exponent that fits an int but whose adjusted exponent does not wraps round to an
 * underflow (1e2147483647).
 */
function layerNumberProblem(text: string): string | undefined {
  if (valueLayer === 'current') {
    if (text === '') return `${numberSyntaxMessage}: `
    // Its exponent is read as a 64-bit integer: one past that cannot be converted (the same suite).
    const exponent = writtenExponent(text)
    return exponent !== undefined && !fitsLong(exponent) ? `${numberSyntaxMessage}: ${text}` : undefined
  }
  if (!bigDecimalReads(text)) return `${numberSyntaxMessage}: ${text}`
  const parts = /^[+-]?0*(\d*)(?:\.\d*)?[eE]([+-]?\d+)$/.exec(text)
  if (!parts) return undefined
  return Number(parts[2]) + parts[1]!.length > intMax ? numberUnderflowMessage : undefined
}

const intMax = 2147483647

function fitsLong(digits: string): boolean {
  const value = BigInt(digits)
  return value >= -(2n ** 63n) && value < 2n ** 63n
}

function stringSetProblem(members: string[]): string | undefined {
  if (members.length === 0) return `${invalidPrefix}An string set  may not be empty`
  if (new Set(members).size !== members.length) {
    return valueLayer === 'current'
      ? `${invalidPrefix}Input collection [${duplicateListing(members, compareUtf8).join(', ')}] contains duplicates.`
      : `${invalidPrefix}Input collection [${members.join(', ')}] contains duplicates.`
  }
  return undefined
}

/**
 * How the current layer lists a set with a repeat: the members before the first repeat in byte
 * order, then the repeat, then the rest as sent, each quoted.
 */
function duplicateListing(members: string[], compare: (first: string, second: string) => number): string[] {
  const seen = new Set<string>()
  for (let index = 0; index < members.length; index++) {
    const member = members[index]!
    if (seen.has(member)) return [...[...seen].sort(compare), member, ...members.slice(index + 1)].map((text) => `"${text}"`)
    seen.add(member)
  }
  return members.map((text) => `"${text}"`)
}

function compareBase64(first: string, second: string): number {
  return Buffer.compare(Buffer.from(first, 'base64'), Buffer.from(second, 'base64'))
}

function numberSetProblem(members: string[]): string | undefined {
  if (members.length === 0) return `${invalidPrefix}An number set  may not be empty`
  for (const member of members) {
    const problem = layerNumberProblem(member) ?? numberProblem(member)
    if (problem !== undefined) return problem
  }
  // Duplicates are judged by value: '1' and '1.0' are the same number.
  const canonical = new Set<string>()
  for (const member of members) canonical.add(parseNumber(member))
  if (canonical.size === members.length) return undefined
  return valueLayer === 'current' ? `${invalidPrefix}Input collection contains duplicates.` : 'Input collection contains duplicates'
}

function binarySetProblem(members: string[]): string | undefined {
  if (members.length === 0) return `${invalidPrefix}Binary sets should not be empty`
  // Base64 was checked to be canonical, so equal texts are exactly equal bytes.
  if (new Set(members).size !== members.length) {
    return valueLayer === 'current'
      ? `${invalidPrefix}Input collection [${duplicateListing(members, compareBase64).join(',')}]of type BS contains duplicates.`
      : `${invalidPrefix}Input collection [${members.join(', ')}]of type BS contains duplicates.`
  }
  return undefined
}

function mapProblem(map: JsonObject, depth: number): string | undefined {
  for (const name in map) {
    const problem = problemAtDepth(map[name], depth + 1)
    if (problem !== undefined) return problem
  }
  return undefined
}

function listProblem(list: unknown[], depth: number): string | undefined {
  for (const element of list) {
    const problem = problemAtDepth(element, depth + 1)
    if (problem !== undefined) return problem
  }
  return undefined
}

/**
 * Canonical numbers throughout (N, NS, nested), and set members in DynamoDB's order (strings and
 * binaries bytewise, numbers by value: GetItem returns them so, whatever order they were written
 * in, as an AWS-validated suite records). Returns the very same object when nothing changes,
 * which is the common case, so the hot path allocates nothing. Expects a valid value.
 */
export function normalizeAttributeValue(value: AttributeValue): AttributeValue {
  if ('N' in value) {
    const canonical = parseNumber(value.N)
    return canonical === value.N ? value : { N: canonical }
  }
  if ('NS' in value) {
    const members = sortedSetMembers(normalizeArray(value.NS, parseNumber), compareNumbers)
    return members === value.NS ? value : { NS: members }
  }
  if ('SS' in value) {
    const members = sortedSetMembers(value.SS, compareUtf8)
    return members === value.SS ? value : { SS: members }
  }
  if ('BS' in value) {
    const members = sortedSetMembers(value.BS, compareBase64Bytes)
    return members === value.BS ? value : { BS: members }
  }
  if ('M' in value) {
    const map = normalizeItem(value.M)
    return map === value.M ? value : { M: map }
  }
  if ('L' in value) {
    const list = normalizeArray(value.L, normalizeAttributeValue)
    return list === value.L ? value : { L: list }
  }
  return value
}

/** normalizeAttributeValue for every attribute; the same object when nothing changes. */
export function normalizeItem(item: Item): Item {
  let result: Item | undefined
  for (const name in item) {
    const value = item[name]!
    const normalized = normalizeAttributeValue(value)
    if (normalized !== value) {
      result ??= { ...item }
      result[name] = normalized
    }
  }
  return result ?? item
}

/** `members` in `order`: the same array when it already is, which is the common case. */
export function sortedSetMembers(members: string[], order: (a: string, b: string) => number): string[] {
  for (let index = 1; index < members.length; index++) {
    if (order(members[index - 1]!, members[index]!) > 0) return [...members].sort(order)
  }
  return members
}

export function compareBase64Bytes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'))
}

function normalizeArray<T>(array: T[], normalize: (element: T) => T): T[] {
  let result: T[] | undefined
  for (let index = 0; index < array.length; index++) {
    const element = array[index]!
    const normalized = normalize(element)
    if (normalized !== element) {
      result ??= array.slice()
      result[index] = normalized
    }
  }
  return result ?? array
}

/**
 * DynamoDB equality: numbers by value, binaries by bytes, sets ignoring order, M and L deep.
 * Values of different types are never equal.
 */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0
  if ('B' in a) return 'B' in b && binaryEqual(a.B, b.B)
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL
  if ('NULL' in a) return 'NULL' in b
  if ('SS' in a) return 'SS' in b && sameSet(a.SS, b.SS, setMemberIdentity('SS'))
  if ('NS' in a) return 'NS' in b && sameSet(a.NS, b.NS, setMemberIdentity('NS'))
  if ('BS' in a) return 'BS' in b && sameSet(a.BS, b.BS, setMemberIdentity('BS'))
  if ('L' in a) return 'L' in b && listsEqual(a.L, b.L)
  if ('M' in a) return 'M' in b && mapsEqual(a.M, b.M)
  return false
}

function binaryEqual(a: string, b: string): boolean {
  return a === b || Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'))
}

function canonicalBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('base64')
}

/**
 * What makes two members of a set of `kind` the same member, as text: the number's value
 * (`1` and `1.0`), the binary's bytes, the string itself. Sets compared or combined through a
 * JavaScript Set of these cost their sizes' sum, not their product.
 */
export function setMemberIdentity(kind: 'SS' | 'NS' | 'BS'): (member: string) => string {
  if (kind === 'NS') return parseNumber
  if (kind === 'BS') return canonicalBase64
  return (member) => member
}

/** Sets have no duplicates, so equal sizes plus inclusion means equality. */
function sameSet(a: string[], b: string[], canonical: (member: string) => string): boolean {
  if (a.length !== b.length) return false
  const members = new Set(a.map(canonical))
  return b.every((member) => members.has(canonical(member)))
}

function listsEqual(a: AttributeValue[], b: AttributeValue[]): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) {
    if (!attributeValuesEqual(a[index]!, b[index]!)) return false
  }
  return true
}

function mapsEqual(a: Item, b: Item): boolean {
  let count = 0
  for (const name in a) {
    const other = b[name]
    if (other === undefined || !attributeValuesEqual(a[name]!, other)) return false
    count++
  }
  for (const _name in b) count--
  return count === 0
}

/**
 * DynamoDB's order for scalars: S by UTF-8 bytes, N numerically, B by unsigned bytes.
 * Undefined when the two are not scalars of the same type (the comparison is then false).
 */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a) return 'S' in b ? compareUtf8(a.S, b.S) : undefined
  if ('N' in a) return 'N' in b ? compareNumbers(a.N, b.N) : undefined
  if ('B' in a) {
    if (!('B' in b)) return undefined
    return a.B === b.B ? 0 : Buffer.compare(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'))
  }
  return undefined
}

/**
 * Compares two strings in the order of their UTF-8 bytes without encoding them. UTF-8 byte
 * order is code point order; JavaScript's `<` compares UTF-16 code units, which differs only
 * when a surrogate (U+D800..U+DFFF, part of a code point above U+FFFF) meets a unit in
 * U+E000..U+FFFF. Shifting those two ranges past each other fixes that.
 */
export function compareUtf8(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let index = 0; index < length; index++) {
    const unitA = a.charCodeAt(index)
    const unitB = b.charCodeAt(index)
    if (unitA !== unitB) return codePointOrderKey(unitA) < codePointOrderKey(unitB) ? -1 : 1
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0
}

function codePointOrderKey(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800
  if (unit >= 0xd800) return unit + 0x2000
  return unit
}

/*
 * Stage 1: the JSON shape of an AttributeValue, as DynamoDB's (Java) deserializer sees it.
 * The texts are those DynamoDB puts in a SerializationException (recorded by dynalite's
 * tests against live DynamoDB), including its Java type names and its "dectected" typo.
 */

const attributeValueClass = 'com.amazonaws.dynamodb.v20120810.AttributeValue'
const structureMessage = 'Start of structure or map found where not expected'
const fieldTypeMessage = 'Unexpected field type'

/**
 * Deeper JSON than this is not walked for serialization problems: the validation stage
 * rejects anything past attributeValueDepthMax anyway, and this keeps the walk bounded.
 */
const serializationDepthMax = attributeValueDepthMax + 1

/** The SerializationException message for a malformed AttributeValue, or undefined. */
export function attributeValueSerializationProblem(value: unknown): string | undefined {
  return valueStructProblem(value, 1)
}

function valueStructProblem(value: unknown, depth: number): string | undefined {
  if (value === null || value === undefined || depth > serializationDepthMax) return undefined
  if (Array.isArray(value)) return `Unrecognized collection type class ${attributeValueClass}`
  if (typeof value !== 'object') return 'Unexpected value type in payload'
  const struct = value as JsonObject
  for (const type in struct) {
    const member = struct[type]
    if (member === null || member === undefined) continue
    const problem = memberSerializationProblem(type, member, depth)
    if (problem !== undefined) return problem
  }
  return undefined
}

function memberSerializationProblem(type: string, member: unknown, depth: number): string | undefined {
  switch (type) {
    case 'S':
    case 'N':
      return stringProblem(member)
    case 'B':
      return blobProblem(member)
    case 'BOOL':
    case 'NULL':
      return booleanProblem(member)
    case 'SS':
    case 'NS':
      return listProblemOf(member, stringProblem)
    case 'BS':
      return listProblemOf(member, blobProblem)
    case 'L':
      return listProblemOf(member, (element) => valueStructProblem(element, depth + 1))
    case 'M':
      return mapSerializationProblem(member, depth)
    default:
      // Unknown members are ignored by DynamoDB's deserializer.
      return undefined
  }
}

/** How DynamoDB's JSON parser names a scalar token it did not expect. */
function tokenName(value: boolean | number): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE'
  return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'
}

function stringProblem(value: unknown): string | undefined {
  if (value === null || typeof value === 'string') return undefined
  if (Array.isArray(value)) return 'Unrecognized collection type class java.lang.String'
  if (typeof value === 'object') return structureMessage
  return `${tokenName(value as boolean | number)} cannot be converted to String`
}

function booleanProblem(value: unknown): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined
  if (Array.isArray(value)) return 'Unrecognized collection type class java.lang.Boolean'
  if (typeof value === 'object') return structureMessage
  if (typeof value === 'string') return 'Unexpected token received from parser'
  return `${tokenName(value as number)} cannot be converted to Boolean`
}

function blobProblem(value: unknown): string | undefined {
  if (value === null) return undefined
  if (Array.isArray(value)) return 'Unrecognized collection type class java.nio.ByteBuffer'
  if (typeof value === 'object') return structureMessage
  if (typeof value !== 'string') return 'only base-64-encoded strings are convertible to bytes'
  return base64Problem(value)
}

function listProblemOf(value: unknown, elementProblem: (element: unknown) => string | undefined): string | undefined {
  if (Array.isArray(value)) {
    for (const element of value) {
      const problem = elementProblem(element)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  return typeof value === 'object' ? structureMessage : fieldTypeMessage
}

function mapSerializationProblem(value: unknown, depth: number): string | undefined {
  if (Array.isArray(value)) return `Unrecognized collection type java.util.Map<java.lang.String, ${attributeValueClass}>`
  if (typeof value !== 'object' || value === null) return fieldTypeMessage
  const map = value as JsonObject
  for (const name in map) {
    const problem = valueStructProblem(map[name], depth + 1)
    if (problem !== undefined) return problem
  }
  return undefined
}

const base64Alphabet = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Why DynamoDB would refuse this base64 text, or undefined. It checks the length first; any
 * other defect (a stray character, misplaced padding, non-zero spare bits) gets its one
 * "Invalid last non-pad Base64 character dectected" message (sic).
 */
export function base64Problem(text: string): string | undefined {
  if (text.length % 4 !== 0) {
    return `Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`
  }
  if (!base64Alphabet.test(text) || canonicalBase64(text) !== text) {
    return 'Invalid last non-pad Base64 character dectected'
  }
  return undefined
}
