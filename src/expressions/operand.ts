/**
 * Values of operands shared by conditions and updates: paths, literals and size().
 */
import type { AttributeValue, Item } from '../values/types.js'
import type { Operand } from './ast.js'
import { valueAtPath } from './document-path.js'

/**
 * size(): the length of a string or binary, or the element count of a set, list or map. A string
 * is measured as Java measures it, in UTF-16 code units (JavaScript's `length`), not in UTF-8
 * bytes: 'ééé' is 3, as an AWS-validated suite's size() string-encoding case records.
 */
export function sizeOf(value: AttributeValue | undefined): AttributeValue | undefined {
  if (value === undefined) return undefined
  let size: number
  if ('S' in value) size = value.S.length
  else if ('B' in value) size = Buffer.from(value.B, 'base64').length
  else if ('SS' in value) size = value.SS.length
  else if ('NS' in value) size = value.NS.length
  else if ('BS' in value) size = value.BS.length
  else if ('L' in value) size = value.L.length
  else if ('M' in value) size = Object.keys(value.M).length
  else return undefined // N, BOOL and NULL have no size: the comparison is false.
  return { N: String(size) }
}

/**
 * The value of a condition operand, or undefined when it refers to nothing (a missing
 * attribute, or the size of a value that has none). Update-only operands are update.ts's.
 */
export function conditionOperandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path': return valueAtPath(item, operand.path)
    case 'value': return operand.value
    case 'size': return sizeOf(conditionOperandValue(operand.operand, item))
    default: throw new Error(`${operand.kind} is not a condition operand`)
  }
}
