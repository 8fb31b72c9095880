/**
 * Renders an input value the way DynamoDB's Java toString() does inside constraint messages:
 * lists as "[a, b]", maps as "{k=v}", model structures as "{Member: value,Member: value}".
 * Only called when a message is actually built.
 */
import type { Shape } from '../shapes/shape.js'

/** Bounds recursion; input was already depth-checked by coerce, this is belt and braces. */
const renderDepthMax = 64

export function renderValue(value: unknown, shape: Shape | undefined, depth = 0): string {
  if (value === null || value === undefined) return 'null'
  if (shape !== undefined && 'echoAsJson' in shape && shape.echoAsJson) return JSON.stringify(value)
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
