/**
 * The checks of a key condition and the filter beside it, against a table's key schema: Query's,
 * and a filtered export's (exports/export-filter.ts).
 */
import { ValidationException } from '../errors.js'
import { conditionPaths, topLevelAttributes, type Condition, type KeyAttributeNames, type KeyMatch } from '../expressions/index.js'
import type { TableSchema } from '../tables/schema.js'
import { exceedsBytes, isEmptyScalar, sortKeyBytesMax } from '../tables/index-key-values.js'
import { typeOf, type AttributeValue } from '../values/types.js'
import { emptyKeyValueMessage, sortKeyTooLargeMessage } from './keys.js'

/** A Query filters after reading a key range, so filtering on the key itself is rejected. */
export function rejectKeyAttributesInFilter(filter: Condition, keyNames: KeyAttributeNames, parameter: string): void {
  const keyAttributes = new Set([...keyNames.partitionKeys, ...keyNames.sortKeys])
  for (const name of topLevelAttributes(conditionPaths(filter))) {
    if (keyAttributes.has(name)) {
      throw new ValidationException(`${parameter} can only contain non-primary key attributes: Primary key attribute: ${name}`)
    }
  }
}

/**
 * Each value must have its key attribute's type, and not be an empty string or binary, as in a
 * Key (moto issue 7062 quotes DynamoDB's answer to an empty partition key value; ministack's
 * checks against DynamoDB reject empty key operands in a Query); begins_with needs an S or B
 * attribute. A sort key value may not be longer than a sort key can be (1,024 bytes), whatever
 * the operator, on a table or an index, as DynamoDB Local answers; a partition key value of any
 * length is accepted there (it finds nothing), and so it is here.
 */
export function checkKeyConditionTypes(table: TableSchema, keyNames: KeyAttributeNames, match: KeyMatch): void {
  const mismatch = 'One or more parameter values were invalid: Condition parameter type does not match schema type'
  const check = (value: AttributeValue, name: string) => {
    const expected = table.attributeTypes[name]!
    if (typeOf(value) !== expected) throw new ValidationException(mismatch)
    if (isEmptyScalar(value)) throw new ValidationException(emptyKeyValueMessage(expected, name))
  }
  match.partitionValues.forEach((value, position) => check(value, keyNames.partitionKeys[position]!))
  match.sort.forEach((condition, position) => {
    const name = keyNames.sortKeys[position]!
    const expected = table.attributeTypes[name]
    for (const value of condition.op === 'BETWEEN' ? [condition.low, condition.high] : [condition.value]) {
      check(value, name)
      if (exceedsBytes(value, sortKeyBytesMax)) throw new ValidationException(sortKeyTooLargeMessage)
    }
    if (condition.op === 'BEGINS_WITH' && expected === 'N') {
      throw new ValidationException('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N')
    }
  })
}
