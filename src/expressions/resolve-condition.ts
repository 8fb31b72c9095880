/**
 * Resolves and validates a parsed condition (ConditionExpression, FilterExpression and, before
 * its own shape rules, KeyConditionExpression).
 *
 * DynamoDB's order of reporting, as recorded by dynalite's tests against DynamoDB: redundant
 * parentheses, then unknown functions, misused functions, reserved words; then the first
 * comparison or function with a problem, where an undefined placeholder wins over a wrong
 * operand count, over non-distinct operands, over a wrong operand type.
 */
import type { AttributeValue } from '../values/types.js'
import { compareScalars } from '../values/attribute-value.js'
import type {
  Comparator, Condition, DocumentPath, Operand, ParsedCondition, ParsedConditionExpression, ParsedOperand,
} from './ast.js'
import { inOperandsMax } from './limits.js'
import { formatPath } from './problem.js'
import {
  missingValue, Placeholders, ProblemCollector, resolvePath, valueType,
  valueOperand, type ResolvedOperand,
} from './resolve.js'

type ExpressionProblemKind = 'parentheses' | 'unknownFunction' | 'misusedFunction' | 'reserved' | 'condition'
type LeafProblemKind = 'placeholder' | 'operandCount' | 'orderedType' | 'distinct' | 'function'

const expressionOrder: readonly ExpressionProblemKind[] =
  ['parentheses', 'unknownFunction', 'misusedFunction', 'reserved', 'condition']
// DynamoDB (Local) checks an operator's operand types after their count and before distinctness.
const leafOrder: readonly LeafProblemKind[] = ['placeholder', 'operandCount', 'orderedType', 'distinct', 'function']

/** The types <, <=, >, >= and BETWEEN can order; a literal of any other type is rejected up front. */
const orderedTypes = new Set(['S', 'N', 'B'])
const orderingComparators = new Set(['<', '<=', '>', '>='])

/** Functions that are conditions by themselves, with their operand counts. */
const conditionFunctionArity: Record<string, number> = {
  attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2,
}
const updateFunctions = new Set(['if_not_exists', 'list_append'])

export const attributeTypeNames = new Set(['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'])


/**
 * What a resolver returns where it reported a problem: resolution goes on (DynamoDB picks the
 * problem to report by kind, so all must be found), but the result is never evaluated.
 */
const unusableCondition: Condition = { kind: 'attribute_exists', path: [] }

export const operandCountMessage = (name: string, count: number) =>
  `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`
export const operandTypeMessage = (name: string, type: string) =>
  `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`
export const requiresPathMessage = (name: string) =>
  `Operator or function requires a document path; operator or function: ${name}`
export const misusedFunctionMessage = (name: string) =>
  `The function is not allowed to be used this way in an expression; function: ${name}`

/** DynamoDB's rendering of a literal in BETWEEN messages: `AttributeValue: {N:5}`. */
function formatLiteral(value: AttributeValue): string {
  const type = valueType(value)
  const content = (value as Record<string, unknown>)[type]
  return `AttributeValue: {${type}:${Array.isArray(content) ? content.join(',') : String(content)}}`
}

class ConditionResolver {
  private readonly problems = new ProblemCollector(expressionOrder)
  private leaf = new ProblemCollector(leafOrder)

  constructor(private readonly placeholders: Placeholders) {}

  resolve(parsed: ParsedConditionExpression): Condition {
    if (parsed.redundantParentheses) this.problems.report('parentheses', 'The expression has redundant parentheses;')
    const condition = this.condition(parsed.condition)
    this.problems.throwFirst()
    return condition
  }

  /** Recursion follows the parse tree, whose depth the parser bounds. */
  private condition(parsed: ParsedCondition): Condition {
    switch (parsed.kind) {
      case 'and':
      case 'or':
        return { kind: parsed.kind, left: this.condition(parsed.left), right: this.condition(parsed.right) }
      case 'not':
        return { kind: 'not', condition: this.condition(parsed.condition) }
      default:
        return this.leafCondition(parsed)
    }
  }

  /** A comparison or a function: its problems are ranked among themselves first. */
  private leafCondition(parsed: Exclude<ParsedCondition, { kind: 'and' | 'or' | 'not' }>): Condition {
    this.leaf = new ProblemCollector(leafOrder)
    const condition = this.leafBody(parsed)
    const problem = this.leaf.first()
    if (problem !== undefined) this.problems.report('condition', problem)
    return condition
  }

  private leafBody(parsed: Exclude<ParsedCondition, { kind: 'and' | 'or' | 'not' }>): Condition {
    switch (parsed.kind) {
      case 'compare': {
        const [left, right] = this.comparisonOperands(parsed.comparator, [parsed.left, parsed.right])
        return { kind: 'compare', comparator: parsed.comparator, left: left!.operand, right: right!.operand }
      }
      case 'between': {
        const [operand, low, high] = this.comparisonOperands('BETWEEN', [parsed.operand, parsed.low, parsed.high])
        this.checkBetweenBounds(low!, high!)
        return { kind: 'between', operand: operand!.operand, low: low!.operand, high: high!.operand }
      }
      case 'in': {
        const [operand, ...candidates] = this.comparisonOperands('IN', [parsed.operand, ...parsed.candidates])
        if (candidates.length > inOperandsMax) {
          this.leaf.report('operandCount',
            `The IN operator is provided with too many operands; number of operands: ${candidates.length}`)
        }
        return { kind: 'in', operand: operand!.operand, candidates: candidates.map((candidate) => candidate.operand) }
      }
      case 'function':
        return this.functionCondition(parsed.name, parsed.args)
    }
  }

  private comparisonOperands(operator: Comparator | 'BETWEEN' | 'IN', parsed: ParsedOperand[]): ResolvedOperand[] {
    const operands = parsed.map((operand) => this.operand(operand))
    if (operator === 'BETWEEN' || orderingComparators.has(operator)) this.checkOrderable(operator, operands)
    this.checkDistinct(operator, operands)
    return operands
  }

  /**
   * `a < :v` with :v a BOOL, NULL, set, list or map can never be true, and DynamoDB rejects it
   * before evaluation. Only operands whose type is known now (literals, size()) are checked: a
   * stored attribute of such a type just makes the comparison false.
   */
  private checkOrderable(operator: string, operands: ResolvedOperand[]): void {
    const unordered = operands.find((operand) => operand.type !== undefined && !orderedTypes.has(operand.type))
    if (unordered) this.leaf.report('orderedType', operandTypeMessage(operator, unordered.type!))
  }

  /** `a = a`, `begins_with(a, a)`: DynamoDB rejects a path compared with itself. */
  private checkDistinct(operator: string, operands: ResolvedOperand[]): void {
    const first = operands[0]?.operand
    if (first?.kind !== 'path') return
    for (const other of operands.slice(1)) {
      if (other.operand.kind === 'path' && samePath(first.path, other.operand.path)) {
        this.leaf.report('distinct', notDistinctMessage(operator, first.path))
      }
    }
  }

  private checkBetweenBounds(low: ResolvedOperand, high: ResolvedOperand): void {
    if (low.operand.kind !== 'value' || high.operand.kind !== 'value') return
    const lowValue = low.operand.value
    const highValue = high.operand.value
    const bounds = `lower bound operand: ${formatLiteral(lowValue)}, upper bound operand: ${formatLiteral(highValue)}`
    if (valueType(lowValue) !== valueType(highValue)) {
      this.leaf.report('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`)
    } else if ((compareScalars(lowValue, highValue) ?? 0) > 0) {
      this.leaf.report('function',
        `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`)
    }
  }

  private functionCondition(name: string, parsedArgs: ParsedOperand[]): Condition {
    const args = parsedArgs.map((arg) => this.operand(arg))
    const arity = conditionFunctionArity[name]
    if (arity === undefined) {
      this.reportNonConditionFunction(name)
      return unusableCondition
    }
    if (args.length !== arity) {
      this.leaf.report('operandCount', operandCountMessage(name, args.length))
      return unusableCondition
    }
    if (arity === 2) this.checkDistinct(name, args)
    return this.conditionFunctionBody(name, args)
  }

  private reportNonConditionFunction(name: string): void {
    if (name === 'size') this.problems.report('misusedFunction', misusedFunctionMessage(name))
    else if (updateFunctions.has(name)) {
      this.problems.report('unknownFunction', `The function is not allowed in a condition expression; function: ${name}`)
    } else this.problems.report('unknownFunction', `Invalid function name; function: ${name}`)
  }

  private conditionFunctionBody(name: string, args: ResolvedOperand[]): Condition {
    const [first, second] = args as [ResolvedOperand, ResolvedOperand | undefined]
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (first.operand.kind !== 'path') this.leaf.report('function', requiresPathMessage(name))
        return { kind: name, path: pathOf(first.operand) }
      case 'attribute_type':
        return this.attributeType(first, second!)
      case 'begins_with':
        for (const arg of args) {
          if (arg.type && arg.type !== 'S' && arg.type !== 'B') {
            this.leaf.report('function', operandTypeMessage(name, arg.type))
          }
        }
        return { kind: 'begins_with', operand: first.operand, prefix: second!.operand }
      default:
        return { kind: 'contains', operand: first.operand, element: second!.operand }
    }
  }

  /**
   * Unlike attribute_exists, attribute_type takes a value as well as a path (Alternator's
   * test_update_condition_attribute_type, run against DynamoDB); a function call is still refused.
   */
  private attributeType(first: ResolvedOperand, second: ResolvedOperand): Condition {
    if (first.operand.kind !== 'path' && first.operand.kind !== 'value') this.leaf.report('function', requiresPathMessage('attribute_type'))
    if (second.type !== 'S') {
      // DynamoDB quirk: when the operand is a path, it lists the type names (in its own order).
      const type = second.type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}'
      this.leaf.report('function', operandTypeMessage('attribute_type', type))
      return unusableCondition
    }
    const typeName = (second.operand as { value: { S: string } }).value.S
    if (!attributeTypeNames.has(typeName)) {
      this.leaf.report('function',
        `Invalid attribute type name found; type: ${typeName}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`)
      return unusableCondition
    }
    return { kind: 'attribute_type', operand: first.operand, type: typeName as 'S' }
  }

  private operand(parsed: ParsedOperand): ResolvedOperand {
    switch (parsed.kind) {
      case 'path':
        return { operand: { kind: 'path', path: this.path(parsed) }, type: undefined }
      case 'value':
        return valueOperand(this.placeholders, parsed.name, (message) => this.leaf.report('placeholder', message))
      case 'function':
        return this.functionOperand(parsed.name, parsed.args)
      case 'arithmetic':
        // The condition grammar has no arithmetic; the parser never produces it here.
        throw new Error('arithmetic in a condition')
    }
  }

  /** A function used as an operand: only size() is one. */
  private functionOperand(name: string, parsedArgs: ParsedOperand[]): ResolvedOperand {
    const args = parsedArgs.map((arg) => this.operand(arg))
    if (name !== 'size') {
      if (conditionFunctionArity[name] !== undefined) this.problems.report('misusedFunction', misusedFunctionMessage(name))
      else this.reportNonConditionFunction(name)
      return { operand: { kind: 'value', value: missingValue }, type: undefined }
    }
    if (args.length !== 1) this.leaf.report('operandCount', operandCountMessage(name, args.length))
    const argument = args[0]!
    if (argument.type === 'N' || argument.type === 'BOOL' || argument.type === 'NULL') {
      this.leaf.report('function', operandTypeMessage(name, argument.type))
    }
    return { operand: { kind: 'size', operand: argument.operand }, type: 'N' }
  }

  private path(parsed: Extract<ParsedOperand, { kind: 'path' }>): DocumentPath {
    return resolvePath(parsed, this.placeholders, (kind, message) => {
      if (kind === 'reserved') this.problems.report('reserved', message)
      else this.leaf.report('placeholder', message)
    })
  }
}

function pathOf(operand: Operand): DocumentPath {
  return operand.kind === 'path' ? operand.path : []
}

/** `a = a`, `if_not_exists(a, a)`: an operator or function given the same path twice. */
export function notDistinctMessage(operator: string, path: DocumentPath): string {
  return `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${formatPath(path)}`
}

export function samePath(first: DocumentPath, second: DocumentPath): boolean {
  return first.length === second.length && first.every((element, index) => element === second[index])
}

/** Resolves and validates a parsed condition; throws an ExpressionProblem. */
export function resolveCondition(parsed: ParsedConditionExpression, placeholders: Placeholders): Condition {
  return new ConditionResolver(placeholders).resolve(parsed)
}
