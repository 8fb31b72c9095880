/**
 * Step 2 of validation: declarative member constraints. DynamoDB walks the input in its model's
 * member order, collects at most ten violations and reports them in one ValidationException:
 *   "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: …; …"
 * Paths are lowerCamelCase; list elements are 'name.1.member', map values 'name.key.member'.
 */
import { ValidationException } from '../errors.js'
import type { Constraints, MapEntryConstraints, MapEntryRule, Shape, StructureShape } from '../shapes/shape.js'
import { renderValue } from './render.js'
import { newerEnumViolation, violationsMessage } from './violations.js'
import { inputNestingDepthMax } from './coerce.js'
import { isArnForm } from '../tables/table-name-arns.js'

/** DynamoDB stops collecting (and counting) violations at ten. */
export const reportedViolationsMax = 10

/** Bounds recursion over nested input; coerce already rejected anything deeper. */
const constraintDepthMax = inputNestingDepthMax

export function checkConstraints(input: Record<string, unknown>, shape: StructureShape): void {
  const problem = constraintsProblem(input, shape)
  if (problem !== undefined) throw new ValidationException(problem)
}

/** The message checkConstraints would throw, or undefined when every constraint holds. */
export function constraintsProblem(input: Record<string, unknown>, shape: StructureShape): string | undefined {
  return violationsMessage(constraintViolations(input, shape))
}

/** Each violation of the input's constraints, in DynamoDB's order, at most ten. */
export function constraintViolations(input: Record<string, unknown>, shape: StructureShape): string[] {
  const violations: string[] = []
  checkMembers(input, shape, '', violations, 0)
  return violations
}

function checkMembers(
  object: Record<string, unknown>, shape: StructureShape, parentPath: string, violations: string[], depth: number,
): void {
  for (const member in shape.members) {
    const memberShape = shape.members[member]!
    const value = object[member]
    // Most members are absent or can break no constraint: checkValue would return at once, so
    // their paths, made on every request, are not made at all.
    if (value === undefined || value === null ? !memberShape.notNull : !mayHaveViolations(memberShape)) continue
    checkValue(value, memberShape, parentPath + pathSegment(member), violations, depth)
  }
}

/** A member's name as a path segment (TableName → tableName), made once per name. */
const pathSegments = new Map<string, string>()
function pathSegment(member: string): string {
  let segment = pathSegments.get(member)
  if (segment === undefined) pathSegments.set(member, segment = member[0]!.toLowerCase() + member.slice(1))
  return segment
}

function checkValue(value: unknown, shape: Shape, path: string, violations: string[], depth: number): void {
  if (violations.length >= reportedViolationsMax || depth > constraintDepthMax) return
  if (value === undefined || value === null) {
    if (shape.notNull) violations.push(violation(value, shape, path, 'Member must not be null'))
    return
  }
  if (!mayHaveViolations(shape)) return
  checkOwnConstraints(value, shape, path, violations)
  if (shape.kind === 'Map') {
    if (shape.keyConstraints) checkMapEntries(value, shape, path, violations, 'keys', shape.keyConstraints)
    if (shape.valueConstraints) checkMapEntries(value, shape, path, violations, 'value', shape.valueConstraints)
  }
  checkChildren(value, shape, path, violations, depth)
}

function checkOwnConstraints(value: unknown, shape: Shape, path: string, violations: string[]): void {
  const report = (message: string) => {
    if (violations.length < reportedViolationsMax) violations.push(violation(value, shape, path, message))
  }
  if (shape.tableArnAllowed && typeof value === 'string' && isArnForm(value)) return
  if (shape.pattern && typeof value === 'string' && !shape.pattern.anchored.test(value)) {
    report(`Member must satisfy regular expression pattern: ${shape.pattern.source}`)
  }
  if (shape.lengthMin !== undefined || shape.lengthMax !== undefined) {
    const length = lengthOf(value)
    if (shape.lengthMin !== undefined && length < shape.lengthMin) {
      report(`Member must have length greater than or equal to ${shape.lengthMin}`)
    } else if (shape.nonEmptyLengthMin !== undefined && length > 0 && length < shape.nonEmptyLengthMin) {
      report(`Member must have length greater than or equal to ${shape.nonEmptyLengthMin}`)
    }
    if (shape.lengthMax !== undefined && length > shape.lengthMax) {
      report(`Member must have length less than or equal to ${shape.lengthMax}`)
    }
  }
  if (typeof value === 'number') {
    if (shape.valueMin !== undefined && value < shape.valueMin) {
      report(`Member must have value greater than or equal to ${shape.valueMin}`)
    }
    if (shape.valueMax !== undefined && value > shape.valueMax) {
      report(`Member must have value less than or equal to ${shape.valueMax}`)
    }
  }
  if (shape.enum && !shape.enum.includes(value as string)) {
    if (shape.newerEnum === undefined) report(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`)
    else if (violations.length < reportedViolationsMax) violations.push(newerEnumViolation(shape.newerEnum))
  }
}

function checkChildren(value: unknown, shape: Shape, path: string, violations: string[], depth: number): void {
  if (shape.kind === 'List' && Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      checkValue(value[index], shape.member, `${path}.${index + 1}.member`, violations, depth + 1)
    }
  } else if (shape.kind === 'Map') {
    const entries = value as Record<string, unknown>
    // DynamoDB quirk: map entries are reported last key first.
    for (const key of Object.keys(entries).reverse()) {
      checkValue(entries[key], shape.value, `${path}.${key}.member`, violations, depth + 1)
    }
  } else if (shape.kind === 'Structure') {
    checkMembers(value as Record<string, unknown>, shape, `${path}.`, violations, depth + 1)
  }
}

/** One violation per failing key (or value), listing every rule of the map in brackets. */
function checkMapEntries(
  value: unknown, shape: Shape, path: string, violations: string[],
  which: 'keys' | 'value', constraints: MapEntryConstraints,
): void {
  const entries = value as Record<string, unknown>
  for (const key in entries) {
    if (violations.length >= reportedViolationsMax) return
    const subject = which === 'keys' ? key : entries[key]
    if (constraints.tableArnKeysAllowed && isArnForm(key)) continue
    if (constraints.rules.every((rule) => entryRulePasses(rule, subject))) continue
    const rules = constraints.rules.map(entryRuleText).join(', ')
    const label = which === 'keys' ? 'Map keys must' : 'Map value must'
    violations.push(violation(value, shape, path, `${label} satisfy constraint: [${rules}]`))
  }
}

function entryRulePasses(rule: MapEntryRule, subject: unknown): boolean {
  switch (rule.kind) {
    case 'lengthMax': return lengthOf(subject) <= rule.limit
    case 'lengthMin': return lengthOf(subject) >= rule.limit
    case 'pattern': return typeof subject === 'string' && rule.pattern.anchored.test(subject)
  }
}

function entryRuleText(rule: MapEntryRule): string {
  switch (rule.kind) {
    case 'lengthMax': return `Member must have length less than or equal to ${rule.limit}`
    case 'lengthMin': return `Member must have length greater than or equal to ${rule.limit}`
    case 'pattern': return `Member must satisfy regular expression pattern: ${rule.pattern.source}`
  }
}

/** Java's String.length(), List.size() or Map.size(). */
function lengthOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length
  if (value !== null && typeof value === 'object') return Object.keys(value).length
  return 0
}

function violation(value: unknown, shape: Shape, path: string, message: string): string {
  const rendered = value === null || value === undefined ? 'null' : `'${renderValue(value, shape)}'`
  return `Value ${rendered} at '${path}' failed to satisfy constraint: ${message}`
}

const hasConstraintsInside = new WeakMap<Shape, boolean>()

/**
 * Whether any constraint can fire at or below this shape. Items and keys (AttributeValue trees)
 * carry none, so the walk skips them: this keeps PutItem/GetItem validation cheap.
 */
function mayHaveViolations(shape: Shape): boolean {
  const known = hasConstraintsInside.get(shape)
  if (known !== undefined) return known
  hasConstraintsInside.set(shape, false) // Provisional answer that ends recursion on cyclic shapes.
  const result = hasOwnConstraints(shape) || childShapes(shape).some(mayHaveViolationsOrNotNull)
  hasConstraintsInside.set(shape, result)
  return result
}

function mayHaveViolationsOrNotNull(shape: Shape): boolean {
  return shape.notNull === true || mayHaveViolations(shape)
}

function hasOwnConstraints(shape: Shape & Constraints): boolean {
  return shape.pattern !== undefined || shape.lengthMin !== undefined || shape.lengthMax !== undefined ||
    shape.valueMin !== undefined || shape.valueMax !== undefined || shape.enum !== undefined ||
    (shape.kind === 'Map' && (shape.keyConstraints !== undefined || shape.valueConstraints !== undefined))
}

function childShapes(shape: Shape): Shape[] {
  switch (shape.kind) {
    case 'List': return [shape.member]
    case 'Map': return [shape.value]
    case 'Structure': return Object.values(shape.members)
    default: return []
  }
}
