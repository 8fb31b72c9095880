/**
 * What is wrong with one expression, before it is known which request parameter the expression
 * came from. compile.ts turns it into DynamoDB's message: `Invalid ${parameter}: ${message}`.
 */
export class ExpressionProblem extends Error {}

/** DynamoDB's spelling of a document path in messages: `[a, b, [0]]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return '[' + path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ') + ']'
}
