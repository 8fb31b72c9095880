/**
 * Custom checks on the legacy (pre-expression) conditions: Expected on writes, and
 * KeyConditions, QueryFilter and ScanFilter on reads. Messages as DynamoDB sends them.
 */
import { attributeValueProblem, compareScalars } from '../values/attribute-value.js'
import { attributeNameProblem } from './attribute-checks.js'
import type { AttributeType, AttributeValue } from '../values/types.js'
import type { ExpectedCondition, LegacyCondition } from '../shapes/common.js'

const invalid = 'One or more parameter values were invalid: '
const betweenOrderMessage =
  'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'

/** How many values each operator takes: an exact count, or 'some' for IN (one or more). */
const argumentCounts: { readonly [operator: string]: number | 'some' } = {
  NULL: 0, NOT_NULL: 0,
  EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, CONTAINS: 1, NOT_CONTAINS: 1, BEGINS_WITH: 1,
  IN: 'some', BETWEEN: 2,
}

/**
 * The value types each operator accepts in QueryFilter, ScanFilter and KeyConditions. EQ and NE
 * take every type, lists, maps and booleans included ("EQ is supported for all data types",
 * the Condition reference; Alternator's test_query_filter_eq, run against DynamoDB).
 */
const operandTypes: { readonly [operator: string]: readonly AttributeType[] } = {
  LE: ['S', 'N', 'B'], LT: ['S', 'N', 'B'], GE: ['S', 'N', 'B'], GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'], NOT_CONTAINS: ['S', 'N', 'B'],
  BEGINS_WITH: ['S', 'B'], IN: ['S', 'N', 'B'], BETWEEN: ['S', 'N', 'B'],
}

function argumentCountFits(operator: string, count: number): boolean {
  const expected = argumentCounts[operator]
  return expected === 'some' ? count > 0 : count === expected
}

/** Expected on PutItem, UpdateItem and DeleteItem. */
/**
 * ConditionalOperator joins two or more conditions; DynamoDB rejects it without any, or with
 * just one (the messages of AWS's DAX client, which validates requests as DynamoDB does;
 * Alternator's test_update_expected_empty sees the same for an empty Expected).
 */
export function conditionalOperatorProblem(operator: string | undefined, conditions: object | undefined): string | undefined {
  if (operator === undefined) return undefined
  if (conditions === undefined) return 'ConditionalOperator cannot be used without Filter or Expected'
  if (Object.keys(conditions).length <= 1) {
    return 'ConditionalOperator can only be used when Filter or Expected has two or more elements'
  }
  return undefined
}

export function expectedProblem(expected: { [name: string]: ExpectedCondition } | undefined): string | undefined {
  for (const name in expected) {
    const condition = expected[name]!
    const problem = attributeNameProblem(name) ?? (condition.ComparisonOperator === undefined
      ? existsConditionProblem(name, condition)
      : comparisonConditionProblem(name, condition, condition.ComparisonOperator))
    if (problem !== undefined) return problem
  }
  return undefined
}

function comparisonConditionProblem(name: string, condition: ExpectedCondition, operator: string): string | undefined {
  const values = condition.AttributeValueList
  if (values !== undefined && condition.Value !== undefined) {
    return `${invalid}Value and AttributeValueList cannot be used together for Attribute: ${name}`
  }
  if (condition.Exists !== undefined) {
    return `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`
  }
  if (operator !== 'NULL' && operator !== 'NOT_NULL' && values === undefined && condition.Value === undefined) {
    return `${invalid}Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${name}`
  }
  const operands = values ?? (condition.Value === undefined ? [] : [condition.Value])
  for (const operand of operands) {
    const problem = attributeValueProblem(operand)
    if (problem !== undefined) return problem
  }
  if (!argumentCountFits(operator, operands.length)) {
    return `${invalid}Invalid number of argument(s) for the ${operator} ComparisonOperator`
  }
  return operandOrderProblem(operator, operands)
}

function existsConditionProblem(name: string, condition: ExpectedCondition): string | undefined {
  if (condition.AttributeValueList !== undefined) {
    if (condition.Value !== undefined) {
      return `${invalid}Value and AttributeValueList cannot be used together for Attribute: ${name}`
    }
    return `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`
  }
  const exists = condition.Exists ?? true
  if (exists && condition.Value === undefined) {
    return `${invalid}Value must be provided when Exists is ${condition.Exists ?? 'null'} for Attribute: ${name}`
  }
  if (!exists && condition.Value !== undefined) {
    return `${invalid}Value cannot be used when Exists is false for Attribute: ${name}`
  }
  return condition.Value === undefined ? undefined : attributeValueProblem(condition.Value)
}

/** KeyConditions, QueryFilter and ScanFilter. */
export function conditionsProblem(conditions: { [name: string]: LegacyCondition } | undefined): string | undefined {
  for (const name in conditions) {
    const { ComparisonOperator: operator, AttributeValueList: operands = [] } = conditions[name]!
    for (const operand of operands) {
      const problem = attributeValueProblem(operand)
      if (problem !== undefined) return problem
    }
    if (!argumentCountFits(operator, operands.length)) {
      return `${invalid}Invalid number of argument(s) for the ${operator} ComparisonOperator`
    }
    const sameTypeProblem = operandTypeProblem(operands)
    if (sameTypeProblem !== undefined) return sameTypeProblem
    const allowed = operandTypes[operator]
    for (const operand of operands) {
      const type = attributeTypeOf(operand)
      if (allowed !== undefined && !allowed.includes(type)) {
        return `${invalid}ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`
      }
    }
    if (operator === 'BETWEEN' && (compareScalars(operands[0]!, operands[1]!) ?? 0) > 0) return betweenOrderMessage
  }
  return undefined
}

/** Shared tail of Expected comparisons: one type for all operands, and BETWEEN bounds in order. */
function operandOrderProblem(operator: string, operands: AttributeValue[]): string | undefined {
  const sameTypeProblem = operandTypeProblem(operands)
  if (sameTypeProblem !== undefined) return sameTypeProblem
  if (operator === 'BETWEEN' && (compareScalars(operands[0]!, operands[1]!) ?? 0) > 0) return betweenOrderMessage
  return undefined
}

function operandTypeProblem(operands: AttributeValue[]): string | undefined {
  if (operands.length === 0) return undefined
  const type = attributeTypeOf(operands[0]!)
  if (operands.some((operand) => attributeTypeOf(operand) !== type)) {
    return `${invalid}AttributeValues inside AttributeValueList must be of same type`
  }
  return undefined
}

const knownTypes = new Set<string>(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'])

/** The type of a well-formed value, skipping members DynamoDB ignores. */
function attributeTypeOf(value: AttributeValue): AttributeType {
  for (const key in value) {
    if (knownTypes.has(key) && (value as Record<string, unknown>)[key] != null) return key as AttributeType
  }
  return 'NULL'
}
