/**
 * The legacy (pre-expression) condition parameters, converted to the same trees as their
 * expression counterparts: Expected (-> condition), QueryFilter / ScanFilter (-> filter) and
 * KeyConditions (-> key condition). Each has DynamoDB's own validation messages.
 */
import { ValidationException } from '../errors.js'
import { attributeValueProblem, compareScalars } from '../values/attribute-value.js'
import type { AttributeValue } from '../values/types.js'
import { typeOf } from '../values/types.js'
import type { Comparator, Condition, Operand } from './ast.js'
import type { KeyCondition, SortKeyCondition } from './key-condition.js'

const invalid = 'One or more parameter values were invalid: '

type LegacyOperator = 'EQ' | 'NE' | 'LE' | 'LT' | 'GE' | 'GT' | 'NOT_NULL' | 'NULL' | 'CONTAINS' |
  'NOT_CONTAINS' | 'BEGINS_WITH' | 'IN' | 'BETWEEN'

/** How many values each operator takes: exactly n, or at least 1 for IN. */
const operatorArity: Record<LegacyOperator, number | 'one or more'> = {
  EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, CONTAINS: 1, NOT_CONTAINS: 1, BEGINS_WITH: 1,
  NOT_NULL: 0, NULL: 0, IN: 'one or more', BETWEEN: 2,
}

/** The value types each operator accepts (EQ and NE accept every type). */
const scalarTypes = new Set(['S', 'N', 'B'])
const operatorTypes: Partial<Record<LegacyOperator, ReadonlySet<string>>> = {
  LE: scalarTypes, LT: scalarTypes, GE: scalarTypes, GT: scalarTypes, BETWEEN: scalarTypes, IN: scalarTypes,
  CONTAINS: scalarTypes, NOT_CONTAINS: scalarTypes, BEGINS_WITH: new Set(['S', 'B']),
}

const comparatorOf: Partial<Record<LegacyOperator, Comparator>> = { EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' }

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkValue(value: unknown): AttributeValue {
  const problem = attributeValueProblem(value)
  if (problem !== undefined) throw new ValidationException(problem)
  return value as AttributeValue
}

/** Checks a ComparisonOperator's AttributeValueList: count, types, and BETWEEN's order. */
function checkedArguments(operator: string, list: unknown): AttributeValue[] {
  if (!(operator in operatorArity)) {
    throw new ValidationException(`${invalid}Unsupported ComparisonOperator: ${operator}`)
  }
  const values = (Array.isArray(list) ? list : []).map(checkValue)
  const arity = operatorArity[operator as LegacyOperator]
  if (arity === 'one or more' ? values.length === 0 : values.length !== arity) {
    throw new ValidationException(`${invalid}Invalid number of argument(s) for the ${operator} ComparisonOperator`)
  }
  if (new Set(values.map(typeOf)).size > 1) {
    throw new ValidationException(`${invalid}AttributeValues inside AttributeValueList must be of same type`)
  }
  const allowed = operatorTypes[operator as LegacyOperator]
  for (const value of values) {
    const type = typeOf(value)
    if (allowed && !allowed.has(type)) {
      throw new ValidationException(`${invalid}ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`)
    }
  }
  if (operator === 'BETWEEN' && (compareScalars(values[0]!, values[1]!) ?? 0) > 0) {
    throw new ValidationException(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound')
  }
  return values
}

/** The condition `attribute <operator> values` means. */
function comparison(attribute: string, operator: LegacyOperator, values: AttributeValue[]): Condition {
  const path = [attribute]
  const subject: Operand = { kind: 'path', path }
  const literal = (index: number): Operand => ({ kind: 'value', value: values[index]! })
  const comparator = comparatorOf[operator]
  if (comparator) return { kind: 'compare', comparator, left: subject, right: literal(0) }
  switch (operator) {
    case 'NOT_NULL': return { kind: 'attribute_exists', path }
    case 'NULL': return { kind: 'attribute_not_exists', path }
    case 'CONTAINS': return { kind: 'contains', operand: subject, element: literal(0) }
    // DynamoDB quirk: NOT_CONTAINS is false on a missing attribute, like CONTAINS (Alternator's
    // test_update_expected_1_not_contains, run against DynamoDB).
    case 'NOT_CONTAINS': return {
      kind: 'and',
      left: { kind: 'attribute_exists', path },
      right: { kind: 'not', condition: { kind: 'contains', operand: subject, element: literal(0) } },
    }
    case 'BEGINS_WITH': return { kind: 'begins_with', operand: subject, prefix: literal(0) }
    case 'IN': return { kind: 'in', operand: subject, candidates: values.map((_, index) => literal(index)) }
    default: return { kind: 'between', operand: subject, low: literal(0), high: literal(1) }
  }
}

/** An empty Expected or filter map checks nothing: a condition every item (or no item) meets. */
const alwaysTrue: Condition = { kind: 'not', condition: { kind: 'attribute_exists', path: [] } }

/** Joins per-attribute conditions with ConditionalOperator (AND unless it says OR). */
function combine(conditions: Condition[], conditionalOperator: string | undefined): Condition {
  const kind = conditionalOperator === 'OR' ? 'or' : 'and'
  return conditions.reduce((left, right) => ({ kind, left, right }))
}

/** Expected (PutItem, UpdateItem, DeleteItem) as a condition. */
export function conditionFromExpected(expected: Record<string, unknown>, conditionalOperator?: string): Condition {
  const conditions = Object.entries(expected)
    .map(([attribute, entry]) => expectedCondition(attribute, isObject(entry) ? entry : {}))
  if (conditions.length === 0) return alwaysTrue
  return combine(conditions, conditionalOperator)
}

function expectedCondition(attribute: string, entry: JsonObject): Condition {
  const { Value: value, Exists: exists, ComparisonOperator: operator, AttributeValueList: list } = entry
  const forAttribute = ` for Attribute: ${attribute}`
  if (list !== undefined && value !== undefined) {
    throw new ValidationException(`${invalid}Value and AttributeValueList cannot be used together${forAttribute}`)
  }
  if (operator === undefined) {
    if (list !== undefined) {
      throw new ValidationException(`${invalid}AttributeValueList can only be used with a ComparisonOperator${forAttribute}`)
    }
    if (exists === false) {
      if (value !== undefined) {
        throw new ValidationException(`${invalid}Value cannot be used when Exists is false${forAttribute}`)
      }
      return { kind: 'attribute_not_exists', path: [attribute] }
    }
    if (value === undefined) {
      // DynamoDB quirk: an absent Exists is spelled "null".
      const existsText = exists === undefined ? 'null' : String(exists)
      throw new ValidationException(`${invalid}Value must be provided when Exists is ${existsText}${forAttribute}`)
    }
    return comparison(attribute, 'EQ', [checkValue(value)])
  }
  if (exists !== undefined) {
    throw new ValidationException(`${invalid}Exists and ComparisonOperator cannot be used together${forAttribute}`)
  }
  const values = checkedArguments(String(operator), list ?? (value === undefined ? [] : [value]))
  return comparison(attribute, operator as LegacyOperator, values)
}

/** QueryFilter or ScanFilter as a filter condition. */
export function conditionFromFilter(
  filter: Record<string, unknown>, conditionalOperator: string | undefined, parameterName: 'QueryFilter' | 'ScanFilter',
): Condition {
  const conditions = Object.entries(filter).map(([attribute, entry]) => {
    const { ComparisonOperator: operator, AttributeValueList: list } = isObject(entry) ? entry : {}
    if (operator === undefined) {
      const member = parameterName === 'QueryFilter' ? 'queryFilter' : 'scanFilter'
      throw new ValidationException('1 validation error detected: ' +
        `Value null at '${member}.${attribute}.member.comparisonOperator' failed to satisfy constraint: Member must not be null`)
    }
    return comparison(attribute, operator as LegacyOperator, checkedArguments(String(operator), list))
  })
  if (conditions.length === 0) return alwaysTrue
  return combine(conditions, conditionalOperator)
}

const keyOperators: Partial<Record<LegacyOperator, SortKeyCondition['op']>> = {
  EQ: 'EQ', LE: 'LE', LT: 'LT', GE: 'GE', GT: 'GT', BEGINS_WITH: 'BEGINS_WITH', BETWEEN: 'BETWEEN',
}

/** Query's KeyConditions as a key condition (matched to a key schema later, by matchKeyCondition). */
export function keyConditionFromKeyConditions(keyConditions: Record<string, unknown>): KeyCondition {
  let unindexable = false
  const conditions = Object.entries(keyConditions).map(([attribute, entry]) => {
    const { ComparisonOperator: operator, AttributeValueList: list } = isObject(entry) ? entry : {}
    const op = keyOperators[String(operator) as LegacyOperator]
    if (op === undefined) {
      if (!(String(operator) in operatorArity)) checkedArguments(String(operator), list)
      // Refused by matchKeyCondition, once the table, index and key attributes are checked.
      unindexable = true
      return { attribute, condition: unindexableStandIn }
    }
    const values = checkedArguments(String(operator), list)
    const condition: SortKeyCondition = op === 'BETWEEN'
      ? { op, low: values[0]!, high: values[1]! }
      : { op, value: values[0]! }
    return { attribute, condition }
  })
  return unindexable ? { conditions, unindexable } : { conditions }
}

/** Holds an unindexable condition's place in a KeyCondition; never evaluated. */
const unindexableStandIn: SortKeyCondition = { op: 'EQ', value: { NULL: true } }
