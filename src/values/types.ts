/**
 * DynamoDB's AttributeValue in its wire form. Binary values stay base64 text, numbers stay
 * decimal text (canonical once validated): an item is exactly what the client sent and what
 * we send back, so it can be stored and spliced as JSON text.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: { [name: string]: AttributeValue } }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean }

export type Item = { [name: string]: AttributeValue }

export type ScalarKeyType = 'S' | 'N' | 'B'

/** The one-letter (or two-letter) type tag of an AttributeValue: 'S', 'NS', 'M', ... */
export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL'

export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType
  throw new Error('empty AttributeValue')
}
