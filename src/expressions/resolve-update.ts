/**
 * Resolves and validates a parsed update expression.
 *
 * DynamoDB's order of reporting (dynalite's tests against DynamoDB): reserved words, unknown
 * functions, a repeated clause, undefined #names, undefined :values, overlapping paths,
 * conflicting paths, ADD/DELETE operand types, then function operand problems.
 */
import type { AttributeType, AttributeValue } from '../values/types.js'
import type { DocumentPath, ParsedOperand, ParsedPath, ParsedUpdate, UpdateAction, UpdatePlan } from './ast.js'
import {
  misusedFunctionMessage, notDistinctMessage, operandCountMessage, operandTypeMessage, requiresPathMessage, samePath,
} from './resolve-condition.js'
import {
  checkPathClashes, missingValue, Placeholders, ProblemCollector, resolvePath, valueType,
  valueOperand, type ResolvedOperand,
} from './resolve.js'

type UpdateProblemKind = 'reserved' | 'unknownFunction' | 'clause' | 'undefinedName' | 'undefinedValue' |
  'overlap' | 'conflict' | 'operand' | 'function'

const updateOrder: readonly UpdateProblemKind[] =
  ['reserved', 'unknownFunction', 'clause', 'undefinedName', 'undefinedValue', 'overlap', 'conflict', 'operand', 'function']

const conditionFunctions = new Set([
  'attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size',
])

/** DynamoDB's names for value types in ADD/DELETE operand errors. */
const typeWords: Partial<Record<AttributeType, string>> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP',
}

/** DynamoDB's names for the types each of ADD and DELETE accepts, as its messages spell them. */
const operandTypeSets = { ADD: 'ALLOWED_FOR_ADD_OPERAND', DELETE: 'ALLOWED_FOR_DELETE_OPERAND' } as const


class UpdateResolver {
  private readonly problems = new ProblemCollector(updateOrder)

  constructor(private readonly placeholders: Placeholders) {}

  resolve(parsed: ParsedUpdate): UpdatePlan {
    this.checkClauses(parsed)
    const actions = parsed.actions.map((action) => this.action(action))
    checkPathClashes(actions.map((action) => action.path), this.problems, 'overlap', 'conflict')
    this.problems.throwFirst()
    return { actions }
  }

  private checkClauses(parsed: ParsedUpdate): void {
    const seen = new Set<string>()
    for (const clause of parsed.clauses) {
      if (seen.has(clause)) {
        this.problems.report('clause', `The "${clause}" section can only be used once in an update expression;`)
      }
      seen.add(clause)
    }
  }

  private action(parsed: ParsedUpdate['actions'][number]): UpdateAction {
    const path = this.path(parsed.path)
    switch (parsed.kind) {
      case 'REMOVE':
        return { kind: 'REMOVE', path }
      case 'SET':
        return { kind: 'SET', path, value: this.setValue(parsed.value).operand }
      default: {
        const value = this.operand(parsed.value).operand
        const literal = value.kind === 'value' ? value.value : missingValue
        this.checkAddDeleteOperand(parsed.kind, literal)
        return { kind: parsed.kind, path, value: literal }
      }
    }
  }

  /** ADD takes a number or a set; DELETE takes a set. */
  private checkAddDeleteOperand(clause: 'ADD' | 'DELETE', value: AttributeValue): void {
    if (value === missingValue) return
    const type = valueType(value)
    const word = typeWords[type]
    if (word && !(clause === 'ADD' && type === 'N')) {
      this.problems.report('operand', 'Incorrect operand type for operator or function; ' +
        `operator: ${clause}, operand type: ${word}, typeSet: ${operandTypeSets[clause]}`)
    }
  }

  private setValue(parsed: ParsedOperand): ResolvedOperand {
    if (parsed.kind !== 'arithmetic') return this.operand(parsed)
    // list_append is only ever the whole value, never an operand of + or - (DynamoDB Local 2026-05-28).
    for (const side of [parsed.left, parsed.right]) {
      if (side.kind === 'function' && side.name === 'list_append') this.problems.report('function', misusedFunctionMessage('list_append'))
    }
    const left = this.operand(parsed.left)
    const right = this.operand(parsed.right)
    for (const side of [left, right]) {
      if (side.type && side.type !== 'N') this.problems.report('function', operandTypeMessage(parsed.operator, side.type))
    }
    return { operand: { kind: 'arithmetic', operator: parsed.operator, left: left.operand, right: right.operand }, type: 'N' }
  }

  /** Recursion follows function nesting, which the parser bounds. */
  private operand(parsed: ParsedOperand): ResolvedOperand {
    switch (parsed.kind) {
      case 'path':
        return { operand: { kind: 'path', path: this.path(parsed) }, type: undefined }
      case 'value':
        return valueOperand(this.placeholders, parsed.name, (message) => this.problems.report('undefinedValue', message))
      case 'function':
        return this.functionOperand(parsed.name, parsed.args)
      case 'arithmetic':
        // The parser produces arithmetic only at the top of a SET value.
        return this.setValue(parsed)
    }
  }

  private functionOperand(name: string, parsedArgs: ParsedOperand[]): ResolvedOperand {
    const args = parsedArgs.map((arg) => this.operand(arg))
    const unusable: ResolvedOperand = { operand: { kind: 'value', value: missingValue }, type: undefined }
    if (name !== 'if_not_exists' && name !== 'list_append') {
      this.problems.report('unknownFunction', conditionFunctions.has(name)
        ? `The function is not allowed in an update expression; function: ${name}`
        : `Invalid function name; function: ${name}`)
      return unusable
    }
    if (args.length !== 2) {
      this.problems.report('function', operandCountMessage(name, args.length))
      return unusable
    }
    // list_append may not be an argument of a function: DynamoDB accepts list_append(if_not_exists(...), ...)
    // and if_not_exists(a, if_not_exists(b, ...)), but not list_append(list_append(...), ...) nor
    // if_not_exists(a, list_append(...)) (DynamoDB Local 2026-05-28).
    for (const parsed of parsedArgs) {
      if (parsed.kind === 'function' && parsed.name === 'list_append') {
        this.problems.report('function', misusedFunctionMessage('list_append'))
      }
    }
    const [first, second] = args as [ResolvedOperand, ResolvedOperand]
    if (name === 'if_not_exists') {
      if (first.operand.kind !== 'path') this.problems.report('function', requiresPathMessage(name))
      // `if_not_exists(a, a)` is refused as `a = a` is in a condition (DynamoDB, as an
      // application's production log quotes it, 2025).
      else if (second.operand.kind === 'path' && samePath(first.operand.path, second.operand.path)) {
        this.problems.report('function', notDistinctMessage(name, first.operand.path))
      }
      const path = first.operand.kind === 'path' ? first.operand.path : []
      // Its type is not known before evaluation: the attribute, when it exists, may have another
      // type than the fallback, so `if_not_exists(n, :text) + :one` is checked only on the item.
      return { operand: { kind: 'if_not_exists', path, fallback: second.operand }, type: undefined }
    }
    return this.listAppend(first, second)
  }

  private listAppend(first: ResolvedOperand, second: ResolvedOperand): ResolvedOperand {
    for (const arg of [first, second]) {
      if (arg.type && arg.type !== 'L') this.problems.report('function', operandTypeMessage('list_append', arg.type))
    }
    return { operand: { kind: 'list_append', left: first.operand, right: second.operand }, type: 'L' }
  }

  private path(parsed: ParsedPath): DocumentPath {
    return resolvePath(parsed, this.placeholders, (kind, message) => this.problems.report(kind, message))
  }
}

/** Resolves and validates a parsed update expression; throws an ExpressionProblem. */
export function resolveUpdate(parsed: ParsedUpdate, placeholders: Placeholders): UpdatePlan {
  return new UpdateResolver(placeholders).resolve(parsed)
}
