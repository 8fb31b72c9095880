/**
 * Evaluating conditions against an item (pure). A stored value of the wrong type makes a
 * comparison or function false, never an error: malformed request operands were rejected
 * when the expression was compiled.
 */
import { attributeValuesEqual, compareScalars } from '../values/attribute-value.js'
import { compareNumbers } from '../values/number.js'
import type { AttributeValue, Item } from '../values/types.js'
import { typeOf } from '../values/types.js'
import type { Comparator, Condition } from './ast.js'
import { valueAtPath } from './document-path.js'
import { conditionOperandValue } from './operand.js'

/** Does `condition` hold for `item` (undefined: no item)? Recursion depth is bounded by the parser. */
export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and': return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item)
    case 'or': return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item)
    case 'not': return !evaluateCondition(condition.condition, item)
    case 'compare':
      return compare(condition.comparator,
        conditionOperandValue(condition.left, item), conditionOperandValue(condition.right, item))
    case 'between': return between(
      conditionOperandValue(condition.operand, item),
      conditionOperandValue(condition.low, item),
      conditionOperandValue(condition.high, item))
    case 'in': {
      const value = conditionOperandValue(condition.operand, item)
      return value !== undefined && condition.candidates.some((candidate) => {
        const candidateValue = conditionOperandValue(candidate, item)
        return candidateValue !== undefined && attributeValuesEqual(value, candidateValue)
      })
    }
    case 'attribute_exists': return valueAtPath(item, condition.path) !== undefined
    case 'attribute_not_exists': return valueAtPath(item, condition.path) === undefined
    case 'attribute_type': {
      const value = conditionOperandValue(condition.operand, item)
      return value !== undefined && typeOf(value) === condition.type
    }
    case 'begins_with':
      return beginsWith(conditionOperandValue(condition.operand, item), conditionOperandValue(condition.prefix, item))
    case 'contains':
      return contains(conditionOperandValue(condition.operand, item), conditionOperandValue(condition.element, item))
  }
}

function compare(comparator: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (comparator === '<>') return !(left !== undefined && right !== undefined && attributeValuesEqual(left, right))
  if (left === undefined || right === undefined) return false
  if (comparator === '=') return attributeValuesEqual(left, right)
  const order = compareScalars(left, right)
  if (order === undefined) return false
  switch (comparator) {
    case '<': return order < 0
    case '<=': return order <= 0
    case '>': return order > 0
    default: return order >= 0
  }
}

type Value = AttributeValue | undefined

function between(value: Value, low: Value, high: Value): boolean {
  if (value === undefined || low === undefined || high === undefined) return false
  const fromLow = compareScalars(low, value)
  const toHigh = compareScalars(value, high)
  return fromLow !== undefined && toHigh !== undefined && fromLow <= 0 && toHigh <= 0
}

function bytes(base64: string): Buffer {
  return Buffer.from(base64, 'base64')
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S)
  if ('B' in value && 'B' in prefix) {
    const whole = bytes(value.B)
    const start = bytes(prefix.B)
    return start.length <= whole.length && whole.subarray(0, start.length).equals(start)
  }
  return false
}

/** contains(): a substring of a string, a byte run of a binary, a member of a set, an element of a list. */
export function contains(value: AttributeValue | undefined, element: AttributeValue | undefined): boolean {
  if (value === undefined || element === undefined) return false
  if ('S' in value) return 'S' in element && value.S.includes(element.S)
  if ('B' in value) return 'B' in element && bytes(value.B).includes(bytes(element.B))
  if ('SS' in value) return 'S' in element && value.SS.includes(element.S)
  if ('NS' in value) return 'N' in element && value.NS.some((member) => compareNumbers(member, element.N) === 0)
  if ('BS' in value) return 'B' in element && value.BS.some((member) => bytes(member).equals(bytes(element.B)))
  if ('L' in value) return value.L.some((member) => attributeValuesEqual(member, element))
  return false
}
