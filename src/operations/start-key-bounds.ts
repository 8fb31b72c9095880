/**
 * A Query's ExclusiveStartKey must lie inside what the key condition selects: in the queried
 * partition (else "outside query boundaries") and, when the condition names the sort key, on the
 * right side of it (dynalite's tests, recorded against DynamoDB). A start key of the wrong shape
 * or types is left for the page reader, which reports it as an invalid starting key.
 */
import { ValidationException } from '../errors.js'
import type { KeyMatch } from '../expressions/index.js'
import type { KeyNames } from '../tables/schema.js'
import { attributeValuesEqual, compareScalars, normalizeAttributeValue } from '../values/attribute-value.js'
import type { SortKeyCondition } from '../values/key.js'
import type { AttributeValue, Item } from '../values/types.js'

export function checkStartKeyInQuery(startKey: Item | undefined, keyNames: KeyNames, match: KeyMatch): void {
  if (!startKey) return
  const partition = startKey[keyNames.partitionKey]
  if (!partition || !sameType(partition, match.partitionValue)) return
  if (!attributeValuesEqual(normalizeAttributeValue(partition), match.partitionValue)) {
    throw new ValidationException('The provided starting key is outside query boundaries based on provided conditions')
  }
  const sort = keyNames.sortKey === undefined ? undefined : startKey[keyNames.sortKey]
  if (!sort || !match.sort || sortConditionHolds(match.sort, normalizeAttributeValue(sort)) !== false) return
  throw new ValidationException('The provided starting key does not match the range key predicate')
}

function sameType(first: AttributeValue, second: AttributeValue): boolean {
  return Object.keys(first)[0] === Object.keys(second)[0]
}

/** Undefined when the value has another type than the condition's operands (a schema problem). */
function sortConditionHolds(condition: SortKeyCondition, value: AttributeValue): boolean | undefined {
  if (condition.op === 'BETWEEN') {
    const low = compareScalars(value, condition.low)
    const high = compareScalars(value, condition.high)
    return low === undefined || high === undefined ? undefined : low >= 0 && high <= 0
  }
  if (condition.op === 'BEGINS_WITH') {
    if ('S' in value && 'S' in condition.value) return value.S.startsWith(condition.value.S)
    if ('B' in value && 'B' in condition.value) {
      return Buffer.from(value.B, 'base64').subarray(0, Buffer.from(condition.value.B, 'base64').length)
        .equals(Buffer.from(condition.value.B, 'base64'))
    }
    return undefined
  }
  const order = compareScalars(value, condition.value)
  if (order === undefined) return undefined
  switch (condition.op) {
    case 'EQ': return order === 0
    case 'LT': return order < 0
    case 'LE': return order <= 0
    case 'GT': return order > 0
    case 'GE': return order >= 0
  }
}
