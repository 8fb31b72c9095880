/**
 * Resolution: substitutes #name and :value placeholders, checks reserved words and records
 * which placeholders were used (unused ones are an error across the whole request).
 * Shared by the condition, update and projection resolvers.
 *
 * DynamoDB reports semantic errors in a fixed order of kinds, not in text order: for example a
 * reserved word anywhere wins over an undefined :value anywhere. ProblemCollector keeps the
 * first problem of each kind and throws the first kind in the resolver's order.
 */
import type { AttributeType, AttributeValue, Item } from '../values/types.js'
import { typeOf } from '../values/types.js'
import type { DocumentPath, Operand, ParsedPath } from './ast.js'
import { documentPathDepthMax, listIndexMax } from './limits.js'
import { ExpressionProblem, formatPath } from './problem.js'
import { isReservedWord } from './reserved-words.js'

export class ProblemCollector<Kind extends string> {
  private readonly problems = new Map<Kind, string>()

  constructor(private readonly order: readonly Kind[]) {}

  report(kind: Kind, message: string): void {
    if (!this.problems.has(kind)) this.problems.set(kind, message)
  }

  has(kind: Kind): boolean {
    return this.problems.has(kind)
  }

  first(): string | undefined {
    for (const kind of this.order) {
      const message = this.problems.get(kind)
      if (message !== undefined) return message
    }
    return undefined
  }

  throwFirst(): void {
    const message = this.first()
    if (message !== undefined) throw new ExpressionProblem(message)
  }
}

/** The placeholders of one request and which of them its expressions used. */
export class Placeholders {
  readonly usedNames = new Set<string>()
  readonly usedValues = new Set<string>()

  constructor(
    readonly names: Record<string, string> = {},
    readonly values: Item = {},
  ) {}

  name(placeholder: string): string | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.names, placeholder)) return undefined
    this.usedNames.add(placeholder)
    return this.names[placeholder]
  }

  value(placeholder: string): AttributeValue | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.values, placeholder)) return undefined
    this.usedValues.add(placeholder)
    return this.values[placeholder]
  }
}

export const undefinedNameMessage = (name: string) =>
  `An expression attribute name used in the document path is not defined; attribute name: ${name}`
export const undefinedValueMessage = (name: string) =>
  `An expression attribute value used in expression is not defined; attribute value: ${name}`

/** Receives the problems found in a path; resolvers file them under their own kinds ('reserved' also
 *  carries a list index out of range, which DynamoDB finds in the same pass). */
export type PathProblemReporter = (kind: 'reserved' | 'undefinedName', message: string) => void

/**
 * Resolves a parsed path. Too deep a path is rejected at once: it is a structural limit, and
 * it keeps every later walk over paths bounded.
 */
export function resolvePath(path: ParsedPath, placeholders: Placeholders, report: PathProblemReporter): DocumentPath {
  if (path.elements.length > documentPathDepthMax) {
    throw new ExpressionProblem(
      `The document path has too many nesting levels; nesting levels: ${path.elements.length}`)
  }
  return path.elements.map((element) => {
    if (element.kind === 'index') {
      // DynamoDB checks the range in the same pass as reserved words, so the first of either in
      // the text is the one reported (DynamoDB Local 2026-05-28).
      if (element.index > listIndexMax) {
        report('reserved', `List index is not within the allowable range; index: [${element.digits}]`)
      }
      return element.index
    }
    if (element.kind === 'name') {
      if (isReservedWord(element.name)) {
        report('reserved', `Attribute name is a reserved keyword; reserved keyword: ${element.name}`)
      }
      return element.name
    }
    const name = placeholders.name(element.name)
    if (name === undefined) report('undefinedName', undefinedNameMessage(element.name))
    return name ?? element.name
  })
}

/** The placeholder for a value that is not defined, so resolution can go on collecting problems. */
export const missingValue: AttributeValue = { NULL: true }

/** The type an operand is known to have before evaluation, if any (a literal, size(), ...). */
export type StaticType = AttributeType | undefined

export function valueType(value: AttributeValue): AttributeType {
  return typeOf(value)
}

/** A resolved operand and the type it is known to have before evaluation. */
export interface ResolvedOperand { operand: Operand; type: StaticType }

/**
 * A `:value` operand. An undefined placeholder is reported through `reportUndefined` and stands
 * in as missingValue, so resolution can go on collecting problems.
 */
export function valueOperand(placeholders: Placeholders, name: string, reportUndefined: (message: string) => void): ResolvedOperand {
  const value = placeholders.value(name)
  if (value === undefined) reportUndefined(undefinedValueMessage(name))
  return { operand: { kind: 'value', value: value ?? missingValue }, type: value && valueType(value) }
}

/** Two paths where one is a prefix of the other overlap; a name and an index at the same place conflict. */
export function pathClash(first: DocumentPath, second: DocumentPath): 'overlap' | 'conflict' | undefined {
  const common = Math.min(first.length, second.length)
  for (let index = 0; index < common; index++) {
    if (typeof first[index] !== typeof second[index]) return 'conflict'
    if (first[index] !== second[index]) return undefined
  }
  return 'overlap'
}

export const pathClashMessage = (clash: 'overlap' | 'conflict', first: DocumentPath, second: DocumentPath) =>
  `Two document paths ${clash === 'overlap' ? 'overlap' : 'conflict'} with each other; must remove or rewrite ` +
  `one of these paths; path one: ${formatPath(first)}, path two: ${formatPath(second)}`

/**
 * Reports the first overlapping and the first conflicting pair among `paths`. Quadratic, but
 * the number of paths is bounded by the expression length.
 */
export function checkPathClashes<Kind extends string>(
  paths: DocumentPath[], problems: ProblemCollector<Kind>, overlapKind: Kind, conflictKind: Kind,
): void {
  for (let later = 1; later < paths.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const clash = pathClash(paths[earlier]!, paths[later]!)
      if (clash === undefined) continue
      problems.report(clash === 'overlap' ? overlapKind : conflictKind, pathClashMessage(clash, paths[earlier]!, paths[later]!))
    }
  }
}
