/**
 * Renders an input value the way DynamoDB's Java toString() does inside constraint messages:
 * lists as "[a, b]", maps as "{k=v}", model structures as "{Member: value,Member: value}", or,
 * where the shape asks for it (echoAsFields), as the newer model classes print them,
 * "Name(field=value, …)". Only called when a message is actually built.
 */
import { list, map, type Shape, type StructureShape } from '../shapes/shape.js'

/** Bounds recursion; input was already depth-checked by coerce, this is belt and braces. */
const renderDepthMax = 64

export function renderValue(value: unknown, shape: Shape | undefined): string {
  return render(value, shape, 0, false)
}

/** `asFields`: structures print as the newer model classes do (below), once a shape asks for it. */
function render(value: unknown, shape: Shape | undefined, depth: number, asFields: boolean): string {
  if (value === null || value === undefined) return 'null'
  if (shape !== undefined && 'echoAsJson' in shape && shape.echoAsJson) return JSON.stringify(value)
  if (shape !== undefined && 'echoAsFields' in shape && shape.echoAsFields) asFields = true
  if (depth > renderDepthMax) return '...'
  if (Array.isArray(value)) {
    const member = shape?.kind === 'List' ? shape.member : undefined
    return `[${value.map((element) => render(element, member, depth + 1, asFields)).join(', ')}]`
  }
  if (typeof value === 'object') {
    const entries = value as Record<string, unknown>
    if (shape?.kind === 'Structure') {
      const fields = asFields ? printedFields[shape.name] : undefined
      if (fields !== undefined) return renderAsFields(entries, shape, fields, depth)
      const parts: string[] = []
      for (const member in entries) {
        if (Object.hasOwn(shape.members, member) && entries[member] != null) {
          parts.push(`${member}: ${render(entries[member], shape.members[member], depth + 1, asFields)},`)
        }
      }
      return `{${parts.join('')}}`
    }
    const valueShape = shape?.kind === 'Map' ? shape.value : undefined
    const parts = Object.keys(entries).map((key) => `${key}=${render(entries[key], valueShape, depth + 1, asFields)}`)
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
 * PutRequest's, and a binary prints as its base64 text (unconfirmed).
 */
const printedFields: Readonly<Record<string, readonly string[]>> = {
  WriteRequest: ['putRequest', 'deleteRequest'],
  PutRequest: ['item', 'workloadProfileName'],
  DeleteRequest: ['key', 'workloadProfileName'],
  KeySchemaElement: ['attributeName', 'keyType'],
  AttributeValue: ['s', 'n', 'b', 'iNT', 'dECIMAL', 'dOUBLE', 'sS', 'nS', 'bS', 'iNTSET', 'dECIMALSET', 'dOUBLESET', 'm', 'l', 'nULL', 'bOOL'],
}

/** "Name(field=value, …)" with every field, null ones too. */
function renderAsFields(entries: Record<string, unknown>, shape: StructureShape, fields: readonly string[], depth: number): string {
  const printed = fields.map((field) => {
    const member = field[0]!.toUpperCase() + field.slice(1)
    // An attribute value's m and l hold attribute values again.
    const memberShape = shape.name === 'AttributeValue'
      ? (member === 'M' ? map(shape) : member === 'L' ? list(shape) : undefined)
      : shape.members[member]
    return `${field}=${render(entries[member], memberShape, depth + 1, true)}`
  })
  return `${shape.name}(${printed.join(', ')})`
}
