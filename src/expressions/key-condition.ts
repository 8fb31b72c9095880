/**
 * Key conditions: the restricted conditions of Query. A KeyConditionExpression is parsed and
 * resolved as a condition, then reduced here to single-attribute conditions, which
 * matchKeyCondition pairs with the queried table's or index's key: an equality on every
 * partition attribute, then conditions on a left-to-right run of the sort attributes (more
 * than one only for a GSI with multi-attribute keys), equalities except the last.
 */
import { ValidationException } from '../errors.js'
import type { AttributeValue } from '../values/types.js'
import type { Condition, Operand } from './ast.js'

/** Structurally identical to values/key.ts's SortKeyCondition. */
export type SortKeyCondition =
  | { op: 'EQ' | 'LT' | 'LE' | 'GT' | 'GE'; value: AttributeValue }
  | { op: 'BETWEEN'; low: AttributeValue; high: AttributeValue }
  | { op: 'BEGINS_WITH'; value: AttributeValue }

export interface KeyAttributeCondition {
  attribute: string
  condition: SortKeyCondition
}

/** Conditions on key attributes, not yet matched to a key schema. */
export interface KeyCondition {
  conditions: KeyAttributeCondition[]
  /**
   * Legacy KeyConditions used an operator no key can be searched by (NULL, CONTAINS, IN...).
   * DynamoDB reports that only after the table, the index and the key attributes check out, so
   * the conditions still name every attribute (the unindexable ones with a stand-in equality).
   */
  unindexable?: true
}

export interface KeyMatch {
  /** One value per partition attribute, in KeySchema order. */
  partitionValues: AttributeValue[]
  /** Conditions on the first sort attributes in KeySchema order: equalities, then any one. */
  sort: SortKeyCondition[]
}

/** The attributes of a key, in KeySchema order (structurally tables/schema.ts's IndexKeyNames). */
export interface KeyAttributeNames {
  partitionKeys: string[]
  sortKeys: string[]
}

const comparisonOps = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' } as const
/** `:v < k` is `k > :v`. */
const mirrored = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const

const invalidCondition = 'Invalid condition in KeyConditionExpression: '
const multipleNamesMessage = `${invalidCondition}Multiple attribute names used in one condition`
const noKeyMessage = `${invalidCondition}No key attribute specified`

/**
 * A key condition of the wrong shape. DynamoDB reports these bare, without the "Invalid
 * KeyConditionExpression: " of syntax and operand errors (dynalite's tests recorded against
 * DynamoDB; DynamoDB Local 2026-05-28 answers the same), so they are not ExpressionProblems.
 */
function problem(message: string): never {
  throw new ValidationException(message)
}

/** Reduces a resolved condition to key conditions; throws a ValidationException. */
export function keyConditionFromCondition(condition: Condition): KeyCondition {
  const conditions: KeyAttributeCondition[] = []
  collect(condition, conditions)
  return { conditions }
}

/** Walks the AND tree; its depth is bounded by the parser. */
function collect(condition: Condition, into: KeyAttributeCondition[]): void {
  if (condition.kind === 'and') {
    collect(condition.left, into)
    collect(condition.right, into)
    return
  }
  const next = single(condition)
  if (into.some((existing) => existing.attribute === next.attribute)) {
    // Unlike the others here, with the prefix (an AWS-validated suite, eu-west-2, October 2026).
    problem('Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key')
  }
  into.push(next)
}

function single(condition: Condition): KeyAttributeCondition {
  switch (condition.kind) {
    case 'or': return problem('Invalid operator used in KeyConditionExpression: OR')
    case 'not': return problem('Invalid operator used in KeyConditionExpression: NOT')
    case 'in': return problem('Invalid operator used in KeyConditionExpression: IN')
    case 'compare': {
      if (condition.comparator === '<>') problem('Invalid operator used in KeyConditionExpression: <>')
      const comparator = condition.comparator
      const operands = [condition.left, condition.right]
      const keyIndex = keyOperandIndex(operands)
      const key = attributeOf(operands[keyIndex]!)
      const value = literalOf(operands[1 - keyIndex]!)
      const op = comparisonOps[keyIndex === 0 ? comparator : mirrored[comparator]]
      return { attribute: key, condition: { op, value } }
    }
    case 'between': {
      if (condition.operand.kind !== 'path') keyFirstProblem('BETWEEN')
      keyOperandIndex([condition.operand, condition.low, condition.high])
      return {
        attribute: attributeOf(condition.operand),
        condition: { op: 'BETWEEN', low: literalOf(condition.low), high: literalOf(condition.high) },
      }
    }
    case 'begins_with': {
      if (condition.operand.kind !== 'path') keyFirstProblem('begins_with')
      keyOperandIndex([condition.operand, condition.prefix])
      return { attribute: attributeOf(condition.operand), condition: { op: 'BEGINS_WITH', value: literalOf(condition.prefix) } }
    }
    default:
      return problem(`Invalid operator used in KeyConditionExpression: ${condition.kind}`)
  }
}

function keyFirstProblem(operator: string): never {
  return problem(`${invalidCondition}${operator} operator must have the key attribute as its first operand`)
}

/** Which operand names the key attribute: exactly one must be a top-level path. */
function keyOperandIndex(operands: Operand[]): number {
  let found: number | undefined
  operands.forEach((operand, index) => {
    if (operand.kind === 'size') problem('KeyConditionExpressions cannot contain nested operations')
    if (operand.kind !== 'path') return
    if (found !== undefined) problem(multipleNamesMessage)
    if (operand.path.length > 1) problem('KeyConditionExpressions cannot have conditions on nested attributes')
    found = index
  })
  return found ?? problem(noKeyMessage)
}

function attributeOf(operand: Operand): string {
  return operand.kind === 'path' ? String(operand.path[0]) : problem(noKeyMessage)
}

function literalOf(operand: Operand): AttributeValue {
  return operand.kind === 'value' ? operand.value : problem(multipleNamesMessage)
}

/**
 * Pairs key conditions with a table's or index's key. Every partition attribute needs an
 * equality. The sort attributes that have a condition must be the first ones in KeySchema
 * order, all with equalities except the last (DynamoDB names the offending attributes).
 */
export function matchKeyCondition(keyCondition: KeyCondition, key: KeyAttributeNames): KeyMatch {
  const { conditions } = keyCondition
  const multiAttribute = key.partitionKeys.length > 1 || key.sortKeys.length > 1
  if (!multiAttribute && conditions.length > 2) {
    // The same suite's wording (DynamoDB Local and older captures: "Conditions can be of length 1 or 2 only").
    throw new ValidationException(`The number of query conditions (${conditions.length}) exceeds the number of key attributes ` +
      `defined in the schema (${key.partitionKeys.length + key.sortKeys.length})`)
  }
  const conditionOn = (name: string) => conditions.find((condition) => condition.attribute === name)?.condition
  if (key.partitionKeys.length > 1) checkMultiAttributePartition(key.partitionKeys, conditionOn)
  const partitionConditions = key.partitionKeys.map((name) => {
    const condition = conditionOn(name)
    if (condition === undefined) throw new ValidationException(`Query condition missed key schema element: ${name}`)
    return condition
  })
  // An unindexable operator is reported instead, once the key attributes are all named (below).
  const equalities = partitionConditions.filter((condition): condition is SortKeyCondition & { op: 'EQ' } => condition.op === 'EQ')
  if (equalities.length < partitionConditions.length && !keyCondition.unindexable) {
    throw new ValidationException('Query key condition not supported')
  }
  const keyNames = new Set([...key.partitionKeys, ...key.sortKeys])
  const other = conditions.find((condition) => !keyNames.has(condition.attribute))
  if (other !== undefined) {
    // A condition on an attribute outside the key reads as a sort key left out.
    const missing = key.sortKeys.find((name) => conditionOn(name) === undefined)
    throw new ValidationException(missing === undefined ? 'Query key condition not supported' : `Query condition missed key schema element: ${missing}`)
  }
  if (keyCondition.unindexable) throw new ValidationException('Attempted conditional constraint is not an indexable operation')
  return { partitionValues: equalities.map((condition) => condition.value), sort: sortConditions(key.sortKeys, conditionOn) }
}

/**
 * A multi-attribute partition key needs an equality on every attribute. DynamoDB names the
 * attributes without any condition, or if all have one, those whose condition is not `=`
 * (as DynamoDB Local 2026-05-28 answers; unconfirmed against AWS).
 */
function checkMultiAttributePartition(partitionKeys: string[], conditionOn: (name: string) => SortKeyCondition | undefined): void {
  const missing = partitionKeys.filter((name) => conditionOn(name) === undefined)
  const offending = missing.length > 0 ? missing : partitionKeys.filter((name) => conditionOn(name)!.op !== 'EQ')
  if (offending.length > 0) {
    throw new ValidationException(`HASH key attributes ${offending.join(', ')} must have equality conditions specified in the query`)
  }
}

/**
 * The conditions on the sort attributes, checked to form a prefix of equalities and one last
 * condition. A condition after a sort attribute left out is reported first, on the first such
 * attribute, naming the ones left out before it; otherwise the conditions that are not `=`
 * before the last one are (the attribute named, as DynamoDB Local 2026-05-28 answers).
 */
function sortConditions(sortKeys: string[], conditionOn: (name: string) => SortKeyCondition | undefined): SortKeyCondition[] {
  const conditions = sortKeys.map(conditionOn)
  const gapAt = (offending: string[], index: number): never => {
    throw new ValidationException(`RANGE key attributes ${offending.join(', ')} must have equality conditions ` +
      `specified in the query because a condition is present on key attribute ${sortKeys[index]}`)
  }
  const firstMissing = conditions.indexOf(undefined)
  const afterGap = conditions.findIndex((condition, index) => index > firstMissing && condition !== undefined)
  if (firstMissing >= 0 && afterGap >= 0) {
    gapAt(sortKeys.slice(0, afterGap).filter((_, index) => conditions[index] === undefined), afterGap)
  }
  const lastIndex = firstMissing < 0 ? conditions.length - 1 : firstMissing - 1
  if (lastIndex < 0) return []
  const notEqualities = sortKeys.slice(0, lastIndex).filter((_, index) => conditions[index]!.op !== 'EQ')
  if (notEqualities.length > 0) gapAt(notEqualities, lastIndex)
  return conditions.slice(0, lastIndex + 1) as SortKeyCondition[]
}
