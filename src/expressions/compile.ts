/**
 * compileExpressions: the one entry point for a request's expression parameters. Parses each
 * expression (through the parse cache), resolves #names and :values, validates, and checks
 * that every name and value was used by some expression of the request.
 */
import { ValidationException } from '../errors.js'
import { expressionAttributesProblem } from '../validate/attribute-checks.js'
import { expressionValueProblem } from '../values/attribute-value.js'
import type { Item } from '../values/types.js'
import type {
  Condition, ParsedCondition, ParsedConditionExpression, ParsedOperand, ParsedPath, ParsedUpdate, Projection, UpdatePlan,
} from './ast.js'
import { ParseCache } from './cache.js'
import { keyConditionFromCondition, type KeyCondition } from './key-condition.js'
import { conditionOperatorsMax, expressionLengthMaxBytes, parseCacheEntriesMax } from './limits.js'
import { parseCondition, parseProjection, parseUpdate } from './parser.js'
import { ExpressionProblem, tooManyOperators } from './problem.js'
import { resolveCondition } from './resolve-condition.js'
import { resolveProjection } from './resolve-projection.js'
import { resolveUpdate } from './resolve-update.js'
import { Placeholders } from './resolve.js'

export interface ExpressionParameters {
  ConditionExpression?: string
  FilterExpression?: string
  KeyConditionExpression?: string
  ProjectionExpression?: string
  UpdateExpression?: string
  /** SearchVectors' filter on a vector index's SearchSchema attributes (src/vectors/search-condition.ts). */
  SearchConditionExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Item
}

export interface CompiledExpressions {
  condition?: Condition
  filter?: Condition
  keyCondition?: KeyCondition
  projection?: Projection
  update?: UpdatePlan
  searchCondition?: Condition
}

type Parsed = ParsedConditionExpression | ParsedUpdate | ParsedPath[]
const parseCache = new ParseCache<Parsed>(parseCacheEntriesMax)

export type ExpressionParameter = 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression' |
  'ProjectionExpression' | 'UpdateExpression' | 'SearchConditionExpression'


/**
 * Parses, resolves and validates the request's expressions. Throws ValidationException.
 * `operationExpressions` lists the expression parameters the operation accepts, in DynamoDB's
 * order (e.g. ['UpdateExpression', 'ConditionExpression'] for UpdateItem); DynamoDB names them
 * when ExpressionAttributeValues come without any expression that could use them.
 */
export function compileExpressions(
  params: ExpressionParameters, operationExpressions?: readonly ExpressionParameter[],
): CompiledExpressions {
  const placeholders = checkPlaceholders(params, operationExpressions)
  const compiled: CompiledExpressions = {}
  // DynamoDB checks the expressions in this order (dynalite's tests against DynamoDB).
  if (params.UpdateExpression !== undefined) {
    compiled.update = compile('UpdateExpression', params.UpdateExpression,
      (text) => parseUpdate(text), (parsed) => resolveUpdate(parsed as ParsedUpdate, placeholders))
  }
  if (params.ConditionExpression !== undefined) {
    compiled.condition = compileCondition('ConditionExpression', params.ConditionExpression, placeholders)
  }
  let keyCondition: Condition | undefined
  if (params.KeyConditionExpression !== undefined) {
    keyCondition = compile('KeyConditionExpression', params.KeyConditionExpression, parseCondition,
      (parsed) => resolveCondition(parsed as ParsedConditionExpression, placeholders))
  }
  if (params.FilterExpression !== undefined) {
    compiled.filter = compileCondition('FilterExpression', params.FilterExpression, placeholders)
  }
  if (params.SearchConditionExpression !== undefined) {
    compiled.searchCondition = compileCondition('SearchConditionExpression', params.SearchConditionExpression, placeholders)
  }
  if (params.ProjectionExpression !== undefined) {
    compiled.projection = compile('ProjectionExpression', params.ProjectionExpression, parseProjection,
      (parsed) => resolveProjection(parsed as ParsedPath[], placeholders))
  }
  checkAllUsed(params, placeholders)
  // The shape of a key condition is checked after every name and value is known to be used: a
  // Query with an unused name and a condition comparing two attributes gets the unused name
  // (moto's test_query_unused_attribute_name, verified against AWS).
  if (keyCondition !== undefined) compiled.keyCondition = keyConditionFromCondition(keyCondition)
  return compiled
}

function compileCondition(parameter: ExpressionParameter, text: string, placeholders: Placeholders): Condition {
  return compile(parameter, text, parseCondition, (parsed) => {
    checkOperatorCount((parsed as ParsedConditionExpression).condition)
    return resolveCondition(parsed as ParsedConditionExpression, placeholders)
  })
}

function checkOperatorCount(condition: ParsedCondition): void {
  if (operatorCount(condition) > conditionOperatorsMax) throw tooManyOperators()
}

/** Recursion follows the parsed tree, whose nesting the parser bounds. */
function operatorCount(condition: ParsedCondition): number {
  switch (condition.kind) {
    case 'and':
    case 'or': return 1 + operatorCount(condition.left) + operatorCount(condition.right)
    case 'not': return 1 + operatorCount(condition.condition)
    case 'compare': return 1 + operandFunctionCount(condition.left) + operandFunctionCount(condition.right)
    case 'between': return 1 + [condition.operand, condition.low, condition.high].reduce((sum, operand) => sum + operandFunctionCount(operand), 0)
    case 'in': return 1 + [condition.operand, ...condition.candidates].reduce((sum, operand) => sum + operandFunctionCount(operand), 0)
    case 'function': return 1 + condition.args.reduce((sum, operand) => sum + operandFunctionCount(operand), 0)
  }
}

function operandFunctionCount(operand: ParsedOperand): number {
  switch (operand.kind) {
    case 'function': return 1 + operand.args.reduce((sum, arg) => sum + operandFunctionCount(arg), 0)
    case 'arithmetic': return 1 + operandFunctionCount(operand.left) + operandFunctionCount(operand.right)
    default: return 0
  }
}

function compile<Result>(
  parameter: ExpressionParameter, text: string, parse: (text: string) => Parsed, resolve: (parsed: Parsed) => Result,
): Result {
  try {
    checkLength(parameter, text)
    return resolve(parseCache.getOrParse(`${parameter}\u0000${text}`, () => parse(text)))
  } catch (error) {
    if (error instanceof ExpressionProblem) throw new ValidationException(`Invalid ${parameter}: ${error.message}`)
    throw error
  }
}

function checkLength(parameter: ExpressionParameter, text: string): void {
  // Only '' is empty: whitespace alone is a syntax error at <EOF>, as in DynamoDB (Local 2026-05-28).
  if (text === '') throw new ExpressionProblem('The expression can not be empty;')
  const sizeBytes = Buffer.byteLength(text, 'utf8')
  if (sizeBytes <= expressionLengthMaxBytes) return
  // DynamoDB quirk: only condition-like expressions (key conditions too, DynamoDB Local
  // 2026-05-28 answers) append the size.
  const conditionLike = parameter === 'ConditionExpression' || parameter === 'FilterExpression' || parameter === 'KeyConditionExpression'
  const suffix = conditionLike ? ` expression size: ${sizeBytes}` : ''
  throw new ExpressionProblem(`Expression size has exceeded the maximum allowed size;${suffix}`)
}

function hasAnyExpression(params: ExpressionParameters): boolean {
  return params.ConditionExpression !== undefined || params.FilterExpression !== undefined ||
    params.KeyConditionExpression !== undefined || params.ProjectionExpression !== undefined ||
    params.UpdateExpression !== undefined || params.SearchConditionExpression !== undefined
}

/**
 * ExpressionAttributeValues need an expression that can use values (any but a projection).
 * DynamoDB names the operation's such expressions: "...: ConditionExpression is null",
 * "...: UpdateExpression and ConditionExpression are null".
 */
function checkValuesHaveExpression(params: ExpressionParameters, operationExpressions?: readonly ExpressionParameter[]): void {
  if (params.ExpressionAttributeValues === undefined) return
  const valueExpressions = (operationExpressions ?? []).filter((parameter) => parameter !== 'ProjectionExpression')
  if (operationExpressions === undefined) {
    if (hasAnyExpression(params)) return
    throw new ValidationException('ExpressionAttributeValues can only be specified when using expressions')
  }
  if (valueExpressions.length === 0 || valueExpressions.some((parameter) => params[parameter] !== undefined)) return
  const verb = valueExpressions.length > 1 ? 'are' : 'is'
  throw new ValidationException(
    `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${verb} null`)
}

/** Checks ExpressionAttributeNames / ExpressionAttributeValues themselves, before any expression. */
function checkPlaceholders(params: ExpressionParameters, operationExpressions?: readonly ExpressionParameter[]): Placeholders {
  const names = params.ExpressionAttributeNames
  const values = params.ExpressionAttributeValues
  if (names !== undefined && !hasAnyExpression(params)) {
    throw new ValidationException('ExpressionAttributeNames can only be specified when using expressions')
  }
  checkValuesHaveExpression(params, operationExpressions)
  // Request validation already held each operation's values to its own depth limit.
  const problem = expressionAttributesProblem(params, expressionValueProblem)
  if (problem !== undefined) throw new ValidationException(problem)
  return new Placeholders(names, values)
}

/** Every name and value must be used by some expression of the request. */
function checkAllUsed(params: ExpressionParameters, placeholders: Placeholders): void {
  const unused = (parameter: string, keys: string[], used: Set<string>) => {
    const unusedKeys = keys.filter((key) => !used.has(key))
    if (unusedKeys.length === 0) return
    throw new ValidationException(`Value provided in ${parameter} unused in expressions: keys: {${unusedKeys.join(', ')}}`)
  }
  unused('ExpressionAttributeNames', Object.keys(params.ExpressionAttributeNames ?? {}), placeholders.usedNames)
  unused('ExpressionAttributeValues', Object.keys(params.ExpressionAttributeValues ?? {}), placeholders.usedValues)
}
