import { conditionOperatorsMax } from './limits.js'

/**
 * What is wrong with one expression, before it is known which request parameter the expression
 * came from. compile.ts turns it into DynamoDB's message: `Invalid ${parameter}: ${message}`.
 */
export class ExpressionProblem extends Error {}

/**
 * More than 300 operators and functions: DynamoDB stops counting at the first one past the limit,
 * so its message always says 301 (Alternator's AWS-checked test_deeply_nested_expression_2: 909
 * operators, "operator count: 301"; DynamoDB Local answers the same).
 */
export function tooManyOperators(): ExpressionProblem {
  return new ExpressionProblem(`The expression contains too many operators; operator count: ${conditionOperatorsMax + 1}`)
}

/** DynamoDB's spelling of a document path in messages: `[a, b, [0]]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return '[' + path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ') + ']'
}
