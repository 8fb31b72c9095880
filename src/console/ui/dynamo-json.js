// DynamoDB JSON ({ "S": "x" }) and plain JSON ("x") for items. Plain JSON cannot say "set" or
// "binary": an item holding one is shown, and must be edited, as DynamoDB JSON.

export function toPlain(value) {
  const [type, inner] = Object.entries(value)[0] ?? []
  switch (type) {
    case 'S': case 'B': return inner
    case 'N': return Number(inner)
    case 'BOOL': return inner
    case 'NULL': return null
    case 'L': return inner.map(toPlain)
    case 'M': return itemToPlain(inner)
    case 'SS': case 'BS': return [...inner]
    case 'NS': return inner.map(Number)
    default: throw new Error(`unknown attribute type ${type}`)
  }
}

export function fromPlain(value) {
  if (value === null) return { NULL: true }
  if (typeof value === 'string') return { S: value }
  if (typeof value === 'number') return { N: String(value) }
  if (typeof value === 'boolean') return { BOOL: value }
  if (Array.isArray(value)) return { L: value.map(fromPlain) }
  if (typeof value === 'object') return { M: itemFromPlain(value) }
  throw new Error(`cannot store ${typeof value}`)
}

export const itemToPlain = (item) => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toPlain(value)]))
export const itemFromPlain = (plain) => Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, fromPlain(value)]))

/** Whether plain JSON shows the item without losing anything (no sets, binaries, or numbers JS cannot hold exactly). */
export function isPlainSafe(item) {
  const safe = (value) => {
    const [type, inner] = Object.entries(value)[0] ?? []
    if (type === 'SS' || type === 'NS' || type === 'BS' || type === 'B') return false
    if (type === 'N') return String(Number(inner)) === inner
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
    default: return JSON.stringify(toPlain(value))
  }
}

/** The typed attribute value for a key typed into a form ('S' | 'N' | 'B'). */
export const keyValue = (type, text) => ({ [type]: type === 'N' ? String(text).trim() : String(text) })

/** The key attributes of an item, per a KeySchema. */
export const keyOf = (item, keySchema) => Object.fromEntries(keySchema.map(({ AttributeName }) => [AttributeName, item[AttributeName]]))

/** Validates text as a DynamoDB JSON item; throws a readable Error. */
export function parseDynamoItem(text) {
  const item = JSON.parse(text)
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error('An item is a JSON object of attributes')
  for (const [name, value] of Object.entries(item)) {
    if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) {
      throw new Error(`Attribute ${name}: expected a typed value such as {"S": "text"} or {"N": "1"}`)
    }
  }
  return item
}
