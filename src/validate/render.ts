/**
 * Renders an input value the way DynamoDB's Java toString() does inside constraint messages:
 * lists as "[a, b]", maps as "{k=v}", model structures as "{Member: value,Member: value}".
 * Only called when a message is actually built.
 */
import { list, map, type Shape } from '../shapes/shape.js'

/** Bounds recursion; input was already depth-checked by coerce, this is belt and braces. */
const renderDepthMax = 64

export function renderValue(value: unknown, shape: Shape | undefined, depth = 0): string {
  if (value === null || value === undefined) return 'null'
  if (shape !== undefined && 'echoAsJson' in shape && shape.echoAsJson) return JSON.stringify(value)
  if (shape !== undefined && 'echoAsFields' in shape && shape.echoAsFields) return renderFields(value, shape, depth)
  if (depth > renderDepthMax) return '...'
  if (Array.isArray(value)) {
    const member = shape?.kind === 'List' ? shape.member : undefined
    return `[${value.map((element) => renderValue(element, member, depth + 1)).join(', ')}]`
  }
  if (typeof value === 'object') {
    const entries = value as Record<string, unknown>
    if (shape?.kind === 'Structure') {
      const parts: string[] = []
      for (const member in entries) {
        if (Object.hasOwn(shape.members, member) && entries[member] != null) {
          parts.push(`${member}: ${renderValue(entries[member], shape.members[member], depth + 1)},`)
        }
      }
      return `{${parts.join('')}}`
    }
    const valueShape = shape?.kind === 'Map' ? shape.value : undefined
    const parts = Object.keys(entries).map((key) => `${key}=${renderValue(entries[key], valueShape, depth + 1)}`)
    return `{${parts.join(', ')}}`
  }
  return String(value)
}

/**
 * The fields DynamoDB's newer model classes print, in their order: each member's name with its
 * first letter lowered (S → s, SS → sS, PutRequest → putRequest), and fields the public model
 * does not have (iNT, workloadProfileName, …), which a request cannot set and so print null.
 * From an AWS-validated suite's cross-region capture, 2026 (BatchWriteItem's 26 requests,
 * CreateTable's three KeySchema elements); DeleteRequest's fields are assumed to mirror
 * PutRequest's.
 */
const printedFields: Readonly<Record<string, readonly string[]>> = {
  WriteRequest: ['putRequest', 'deleteRequest'],
  PutRequest: ['item', 'workloadProfileName'],
  DeleteRequest: ['key', 'workloadProfileName'],
  KeySchemaElement: ['attributeName', 'keyType'],
  AttributeValue: ['s', 'n', 'b', 'iNT', 'dECIMAL', 'dOUBLE', 'sS', 'nS', 'bS', 'iNTSET', 'dECIMALSET', 'dOUBLESET', 'm', 'l', 'nULL', 'bOOL'],
}

/**
 * Renders a value as the newer model classes print it: a structure as "Name(field=value, …)"
 * with every field, null ones too; lists as "[a, b]", maps as "{k=v}". Attribute values nest
 * through their m and l fields. A binary prints as its base64 text (unconfirmed).
 */
function renderFields(value: unknown, shape: Shape | undefined, depth: number): string {
  if (value === null || value === undefined) return 'null'
  if (depth > renderDepthMax) return '...'
  const nested = (element: unknown, elementShape: Shape | undefined) => renderFields(element, elementShape, depth + 1)
  if (Array.isArray(value)) return `[${value.map((element) => nested(element, shape?.kind === 'List' ? shape.member : undefined)).join(', ')}]`
  if (typeof value !== 'object') return String(value)
  const entries = value as Record<string, unknown>
  const fields = shape?.kind === 'Structure' ? printedFields[shape.name] : undefined
  if (fields === undefined || shape?.kind !== 'Structure') {
    const valueShape = shape?.kind === 'Map' ? shape.value : undefined
    return `{${Object.keys(entries).map((key) => `${key}=${nested(entries[key], valueShape)}`).join(', ')}}`
  }
  const printed = fields.map((field) => {
    const member = field[0]!.toUpperCase() + field.slice(1)
    // An attribute value's m and l hold attribute values again.
    const memberShape = shape.name === 'AttributeValue'
      ? (member === 'M' ? map(shape) : member === 'L' ? list(shape) : undefined)
      : shape.members[member]
    return `${field}=${nested(entries[member], memberShape)}`
  })
  return `${shape.name}(${printed.join(', ')})`
}
