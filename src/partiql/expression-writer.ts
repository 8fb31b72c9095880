/**
 * Writes parsed PartiQL conditions and updates as DynamoDB expressions (ConditionExpression,
 * UpdateExpression), every name and value behind a placeholder, so a statement becomes an
 * ordinary PutItem/UpdateItem/DeleteItem/TransactWriteItems request and runs through the same
 * validation and evaluation as any other.
 * Every compound condition is written in one pair of parentheses and nothing else is, so the
 * result never has the "redundant parentheses" DynamoDB rejects.
 */
import { ValidationException } from '../errors.js'
import { compileExpressions, type CompiledExpressions, type ExpressionParameters } from '../expressions/index.js'
import type { AttributeValue, Item } from '../values/types.js'
import type { Condition, Operand, Path, UpdateAction, UpdateValue } from './ast.js'

export interface ExpressionPlaceholders {
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Item
}

export class ExpressionWriter {
  readonly #names = new Map<string, string>()
  readonly #values: Item = {}
  #valueCount = 0

  name(attribute: string): string {
    let placeholder = this.#names.get(attribute)
    if (placeholder === undefined) {
      placeholder = `#n${this.#names.size}`
      this.#names.set(attribute, placeholder)
    }
    return placeholder
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${this.#valueCount++}`
    this.#values[placeholder] = value
    return placeholder
  }

  path(path: Path): string {
    return path.steps.map((step, index) => typeof step === 'number' ? `[${step}]` : (index === 0 ? '' : '.') + this.name(step)).join('')
  }

  operand(operand: Operand): string {
    switch (operand.kind) {
      case 'path': return this.path(operand)
      case 'value': return this.value(operand.value)
      case 'size': return `size(${this.path(operand.path)})`
    }
  }

  condition(condition: Condition): string {
    switch (condition.kind) {
      case 'compare': return `(${this.operand(condition.left)} ${condition.comparator} ${this.operand(condition.right)})`
      case 'between':
        return `(${this.operand(condition.operand)} BETWEEN ${this.operand(condition.low)} AND ${this.operand(condition.high)})`
      case 'in':
        return `(${this.operand(condition.operand)} IN (${condition.candidates.map((candidate) => this.operand(candidate)).join(', ')}))`
      case 'and': case 'or':
        return `(${this.condition(condition.left)} ${condition.kind.toUpperCase()} ${this.condition(condition.right)})`
      case 'not': return `(NOT ${this.condition(condition.condition)})`
      case 'function': return `${condition.name}(${this.path(condition.path)}, ${this.operand(condition.argument)})`
      case 'is': return this.#isTest(condition)
    }
  }

  /**
   * IS MISSING: the attribute is absent. IS NULL: it holds the NULL type (a missing attribute is
   * not NULL here, as DynamoDB Local answers), and IS NOT NULL is its negation, true of a missing
   * attribute too (as Local answers, and as `NOT (x IS NULL)` is).
   */
  #isTest(condition: Extract<Condition, { kind: 'is' }>): string {
    const path = this.path(condition.path)
    if (condition.test === 'MISSING') return condition.negated ? `attribute_exists(${path})` : `attribute_not_exists(${path})`
    const isNull = `attribute_type(${path}, ${this.value({ S: 'NULL' })})`
    return condition.negated ? `(NOT ${isNull})` : isNull
  }

  /** One UpdateExpression: all SETs in one clause, then REMOVE, ADD and DELETE. */
  update(actions: UpdateAction[]): string {
    const clauses: Record<UpdateAction['kind'], string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] }
    for (const action of actions) {
      const path = this.path(action.path)
      if (action.kind === 'SET') clauses.SET.push(`${path} = ${this.#updateValue(action.value)}`)
      else if (action.kind === 'REMOVE') clauses.REMOVE.push(path)
      else clauses[action.kind].push(`${path} ${this.value(action.value)}`)
    }
    return (Object.keys(clauses) as Array<UpdateAction['kind']>)
      .filter((kind) => clauses[kind].length > 0)
      .map((kind) => `${kind} ${clauses[kind].join(', ')}`)
      .join(' ')
  }

  #updateValue(value: UpdateValue): string {
    if (value.kind === 'arithmetic') return `${this.operand(value.left)} ${value.operator} ${this.operand(value.right)}`
    if (value.kind === 'list_append') return `list_append(${this.operand(value.left)}, ${this.operand(value.right)})`
    return this.operand(value)
  }

  /** The placeholder maps, leaving out empty ones (DynamoDB rejects an empty map). */
  placeholders(): ExpressionPlaceholders {
    const result: ExpressionPlaceholders = {}
    if (this.#names.size > 0) result.ExpressionAttributeNames = Object.fromEntries([...this.#names].map(([name, placeholder]) => [placeholder, name]))
    if (this.#valueCount > 0) result.ExpressionAttributeValues = this.#values
    return result
  }
}

/**
 * Compiles the expressions a statement was written into. The statement has no such parameters,
 * so their problems are told without naming one: "Incorrect operand type …", not "Invalid
 * FilterExpression: Incorrect operand type …" (an AWS-validated suite's PartiQL comparison
 * cases) nor "Invalid UpdateExpression: …" (floci's PartiQL edge cases, recorded against
 * DynamoDB, eu-west-2, 2026-09-17).
 */
export function compileStatementExpressions(params: ExpressionParameters): CompiledExpressions {
  try {
    return compileExpressions(params)
  } catch (error) {
    if (error instanceof ValidationException) {
      throw new ValidationException(error.message.replace(/^Invalid (?:Projection|Filter|Update|Condition)Expression: /, ''))
    }
    throw error
  }
}
