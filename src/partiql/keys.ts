/**
 * Finding a table's key in a WHERE clause. Only equalities joined by AND at the top level
 * name a key: `pk = 'a' AND sk = 1 AND x > 2` names the item (pk, sk) under the condition x > 2,
 * while an OR at the top names nothing.
 */
import { ValidationException } from '../errors.js'
import { tableNamePattern } from '../shapes/common.js'
import type { TableCatalog } from '../tables/catalog.js'
import type { TableSchema } from '../tables/schema.js'
import { attributeValuesEqual } from '../values/attribute-value.js'
import type { AttributeValue, Item } from '../values/types.js'
import type { Condition, Operand, Path } from './ast.js'
import { missingKeyEquality, StatementKeyProblem } from './errors.js'
import { exceedsBytes, partitionKeyBytesMax, sortKeyBytesMax } from '../tables/index-key-values.js'

/** The conditions joined by AND at the top of `condition`. */
export function conjuncts(condition: Condition | undefined): Condition[] {
  if (!condition) return []
  if (condition.kind !== 'and') return [condition]
  return [...conjuncts(condition.left), ...conjuncts(condition.right)]
}

/** The conditions joined by OR at the top of `condition`. */
export function disjuncts(condition: Condition): Condition[] {
  return condition.kind === 'or' ? [...disjuncts(condition.left), ...disjuncts(condition.right)] : [condition]
}

/** Whether the operand is the attribute itself (a one-step path), not a path into it. */
export function namesAttribute(operand: Operand, attribute: string): boolean {
  return operand.kind === 'path' && operand.steps.length === 1 && operand.steps[0] === attribute
}

/** The value `attribute = value` (or `value = attribute`) sets the attribute to, if that is what the condition says. */
export function equalityValue(condition: Condition, attribute: string): AttributeValue | undefined {
  if (condition.kind !== 'compare' || condition.comparator !== '=') return undefined
  const { left, right } = condition
  if (namesAttribute(left, attribute) && right.kind === 'value') return right.value
  if (namesAttribute(right, attribute) && left.kind === 'value') return left.value
  return undefined
}

/** The one value a condition gives an attribute: `attribute = value`, or `attribute IN [value]`. */
export function singleValueOf(condition: Condition, attribute: string): AttributeValue | undefined {
  if (condition.kind !== 'in') return equalityValue(condition, attribute)
  const { operand, candidates: [candidate, ...others] } = condition
  return namesAttribute(operand, attribute) && others.length === 0 && candidate?.kind === 'value' ? candidate.value : undefined
}

export interface KeyedWhere {
  key: Item
  /** The conjuncts that did not name the key: the condition the item must meet. */
  rest: Condition[]
}

/** The full primary key the WHERE clause names, or undefined when it names none. */
export function findFullKey(table: TableSchema, where: Condition | undefined): KeyedWhere | undefined {
  const rest = conjuncts(where)
  const key: Item = {}
  for (const attribute of [table.key.partitionKey, table.key.sortKey]) {
    if (attribute === undefined) continue
    const at = rest.findIndex((condition) => equalityValue(condition, attribute) !== undefined)
    if (at < 0) return undefined
    key[attribute] = equalityValue(rest[at]!, attribute)!
    rest.splice(at, 1)
  }
  return { key, rest }
}

/** The item an UPDATE, DELETE or EXISTS writes or checks: the full key, each attribute given one value. */
export function requireFullKey(table: TableSchema, where: Condition): KeyedWhere {
  refuseConflictingKeyValues(table, where)
  const keyed = findFullKey(table, where)
  if (!keyed) throw missingKeyEquality()
  return keyed
}

/**
 * PartiQL's own words for a key value longer than a key may hold, whichever key it is: DynamoDB
 * Local 2026-05-28 answers every statement that names one item (INSERT, UPDATE, DELETE, and a
 * SELECT in a batch) so, a cancellation reason's in a transaction, where the item operations
 * say "Size of hashkey ..." or "Aggregated size of all range keys ..." (the same text was
 * DynamoDB's own for oversized keys years ago: the JanusGraph DynamoDB backend matched it in
 * DynamoDB's errors).
 */
const keyValueTooLongMessage = 'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes'

/** Refuses a statement's key whose partition value is over 2,048 bytes or sort value over 1,024. */
export function refuseOversizedKey(table: TableSchema, key: Item): void {
  const partition = key[table.key.partitionKey]
  const sort = table.key.sortKey === undefined ? undefined : key[table.key.sortKey]
  if ((partition !== undefined && exceedsBytes(partition, partitionKeyBytesMax)) || (sort !== undefined && exceedsBytes(sort, sortKeyBytesMax))) {
    throw new StatementKeyProblem(keyValueTooLongMessage, keyValueTooLongMessage)
  }
}

/** The document paths a WHERE condition reads. */
export function statementPaths(condition: Condition): Array<Path['steps']> {
  const ofOperand = (operand: Operand): Array<Path['steps']> =>
    operand.kind === 'path' ? [operand.steps] : operand.kind === 'size' ? [operand.path.steps] : []
  switch (condition.kind) {
    case 'compare': return [...ofOperand(condition.left), ...ofOperand(condition.right)]
    case 'between': return [condition.operand, condition.low, condition.high].flatMap(ofOperand)
    case 'in': return [condition.operand, ...condition.candidates].flatMap(ofOperand)
    case 'and': case 'or': return [...statementPaths(condition.left), ...statementPaths(condition.right)]
    case 'not': return statementPaths(condition.condition)
    case 'is': return [condition.path.steps]
    case 'function': return [condition.path.steps, ...ofOperand(condition.argument)]
  }
}

/**
 * A statement that names one item cannot give a key attribute two values (`pk = 'a' AND pk = 'b'`);
 * the same value twice is fine (floci's PartiQL edge cases, recorded against DynamoDB, eu-west-2,
 * 2026-09-17: a ValidationException, not a failed condition).
 */
export function refuseConflictingKeyValues(table: TableSchema, where: Condition): void {
  const top = conjuncts(where)
  for (const attribute of [table.key.partitionKey, table.key.sortKey]) {
    if (attribute === undefined) continue
    const values = top.flatMap((condition) => equalityValue(condition, attribute) ?? [])
    if (values.some((value) => !attributeValuesEqual(value, values[0]!))) {
      throw new ValidationException(`Multiple conditions on same key ${attribute}. Only single item Update/Insert/Delete are supported`)
    }
  }
}

/** Joins conditions with AND again; undefined for none. */
export function joinConjuncts(conditions: Condition[]): Condition | undefined {
  return conditions.reduce<Condition | undefined>((left, right) => left ? { kind: 'and', left, right } : right, undefined)
}

/** The table a statement names; the name is checked before the lookup, as DynamoDB does. */
export function statementTable(catalog: TableCatalog, name: string): TableSchema {
  if (name.length < 3 || name.length > 255 || !tableNamePattern.anchored.test(name)) {
    throw new ValidationException("Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.")
  }
  return catalog.require(name)
}
