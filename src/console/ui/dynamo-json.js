// DynamoDB JSON ({ "S": "x" }) and plain JSON ("x") for items. Plain JSON cannot say "set" or
// "binary": an item holding one is shown, and must be edited, as DynamoDB JSON. Plain JSON's
// numbers are JsonNumbers (exact-json.js), so that no digit of a DynamoDB number is lost.
import { isJsonNumber, JsonNumber, parseJson, stringifyJson } from './exact-json.js'

export function toPlain(value) {
  const [type, inner] = Object.entries(value)[0] ?? []
  switch (type) {
    case 'S': case 'B': return inner
    case 'N': return new JsonNumber(inner)
    case 'BOOL': return inner
    case 'NULL': return null
    case 'L': return inner.map(toPlain)
    case 'M': return itemToPlain(inner)
    case 'SS': case 'BS': return [...inner]
    case 'NS': return inner.map((number) => new JsonNumber(number))
    default: throw new Error(`unknown attribute type ${type}`)
  }
}

export function fromPlain(value) {
  if (value === null) return { NULL: true }
  if (typeof value === 'string') return { S: value }
  if (value instanceof JsonNumber) return { N: value.text }
  if (typeof value === 'boolean') return { BOOL: value }
  if (Array.isArray(value)) return { L: value.map(fromPlain) }
  if (typeof value === 'object') return { M: itemFromPlain(value) }
  throw new Error(`cannot store ${typeof value}`)
}

export const itemToPlain = (item) => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toPlain(value)]))
export const itemFromPlain = (plain) => Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, fromPlain(value)]))

/** Plain JSON text of an item (for display, or for editing when isPlainSafe). */
export const formatItem = (item, space = 0) => stringifyJson(itemToPlain(item), space)

/** Whether plain JSON shows the item without losing anything: no sets or binaries. */
export function isPlainSafe(item) {
  const safe = (value) => {
    const [type, inner] = Object.entries(value)[0] ?? []
    if (type === 'SS' || type === 'NS' || type === 'BS' || type === 'B') return false
    if (type === 'N') return isJsonNumber(inner)
    if (type === 'L') return inner.every(safe)
    if (type === 'M') return Object.values(inner).every(safe)
    return true
  }
  return Object.values(item).every(safe)
}

/** One line for a table cell. */
export function formatValue(value) {
  if (value === undefined) return ''
  const [type, inner] = Object.entries(value)[0] ?? []
  switch (type) {
    case 'S': case 'N': case 'B': return String(inner)
    case 'BOOL': return String(inner)
    case 'NULL': return 'null'
    case 'SS': case 'NS': case 'BS': return `{${inner.join(', ')}}`
    default: return stringifyJson(toPlain(value))
  }
}

/** The typed attribute value for a key typed into a form ('S' | 'N' | 'B'). */
export const keyValue = (type, text) => ({ [type]: type === 'N' ? String(text).trim() : String(text) })

/** The key attributes of an item, per a KeySchema. */
export const keyOf = (item, keySchema) =>
  Object.fromEntries(keySchema.map(({ AttributeName }) => [AttributeName, Object.hasOwn(item, AttributeName) ? item[AttributeName] : undefined]))

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)
const isStringList = (value) => Array.isArray(value) && value.every((each) => typeof each === 'string')

/**
 * Throws a readable Error unless `value` is a well-formed DynamoDB JSON attribute value, `path`
 * naming it. Numbers must be strings ({"N": "1"}): a bare JSON number would be read as a double.
 */
export function checkAttributeValue(value, path) {
  const fail = (expected) => {
    throw new Error(`${path}: expected ${expected}`)
  }
  if (!isObject(value) || Object.keys(value).length !== 1) fail('a typed value such as {"S": "text"} or {"N": "1"}')
  const [type, inner] = Object.entries(value)[0]
  switch (type) {
    case 'S': case 'N': case 'B': if (typeof inner !== 'string') fail(`a string in {"${type}": "…"}`); break
    case 'SS': case 'NS': case 'BS': if (!isStringList(inner)) fail(`a list of strings in {"${type}": ["…"]}`); break
    case 'BOOL': if (typeof inner !== 'boolean') fail('{"BOOL": true} or {"BOOL": false}'); break
    case 'NULL': if (inner !== true) fail('{"NULL": true}'); break
    case 'L':
      if (!Array.isArray(inner)) fail('a list in {"L": […]}')
      inner.forEach((each, at) => checkAttributeValue(each, `${path}[${at}]`))
      break
    case 'M':
      if (!isObject(inner)) fail('an object in {"M": {…}}')
      for (const [name, each] of Object.entries(inner)) checkAttributeValue(each, `${path}.${name}`)
      break
    default: fail('one of the types S, N, B, BOOL, NULL, SS, NS, BS, L, M')
  }
}

/** DynamoDB's one rule for an attribute name: one byte or more. Any other name (' ', '\t') is kept as it is. */
export const emptyName = 'An attribute name cannot be empty: name the attribute or remove it'

/** Validates text as a DynamoDB JSON item; throws a readable Error. */
export function parseDynamoItem(text) {
  const item = JSON.parse(text)
  if (!isObject(item)) throw new Error('An item is a JSON object of attributes')
  for (const [name, value] of Object.entries(item)) {
    if (name === '') throw new Error(emptyName)
    checkAttributeValue(value, `Attribute ${name}`)
  }
  return item
}

/** Reads text as a plain JSON item, numbers exactly; throws a readable Error. */
export function parsePlainItem(text) {
  const plain = parseJson(text)
  if (!isObject(plain) || plain instanceof JsonNumber) throw new Error('An item is a JSON object of attributes')
  if (Object.hasOwn(plain, '')) throw new Error(emptyName)
  return itemFromPlain(plain)
}
