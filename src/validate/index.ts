/**
 * Request validation, table-independent part, in DynamoDB's fixed order:
 *  1. JSON types against the operation's shape (SerializationException, first mismatch wins);
 *  2. declarative member constraints (one ValidationException listing up to ten violations);
 *  3. the operation's cross-field checks (first failure wins).
 * Whatever needs the table (key schema, indexes) and the parsing of expressions comes after,
 * in the operation itself.
 */
import { ValidationException } from '../errors.js'
import { structure, withConstraints, type OperationShape, type StructureShape } from '../shapes/shape.js'
import { inValueLayer } from '../values/attribute-value.js'
import { coerceInput } from './coerce.js'
import { checkConstraints } from './constraints.js'

/**
 * Throws SerializationException or ValidationException; returns the valid input otherwise.
 * Normalizes `body` in place (null and unknown members removed, Integer and Long members
 * truncated), so the result has the input type declared with the shape in src/shapes/.
 */
export function validateRequest<Input>(shape: OperationShape<Input>, body: unknown): Input {
  const coerced = coerceInput(body, shape.input)
  if (shape.tableNameFirst) tableNameFirstCheck(coerced, shape.input)
  const first = shape.firstCheck?.(coerced)
  if (first !== undefined) throw new ValidationException(first)
  checkConstraints(coerced, shape.input)
  // The one place validated JSON becomes typed input: the shape's types and constraints hold.
  const input = coerced as Input
  const check = shape.check
  const problem = check && inValueLayer(shape.valueLayer ?? 'older', () => check(input))
  if (problem !== undefined) throw new ValidationException(shape.envelopeChecks ? inEnvelope(problem) : problem)
  return input
}

const envelope = '1 validation error detected: '

/** The message inside DynamoDB's one-error envelope (once: some messages carry it already). */
export function inEnvelope(message: string): string {
  return message.startsWith(envelope) ? message : envelope + message
}

/**
 * The control plane checks TableName's presence and length before the constraint list. A name
 * of the wrong length is reported with TableName's own violations only, in the usual words
 * ("Value '' at 'tableName' failed to satisfy constraint: …"; an AWS-validated suite's CreateTable
 * validation-ordering cases), no longer dynalite's "TableName must be at least 3 characters long".
 */
function tableNameFirstCheck(input: Record<string, unknown>, shape: StructureShape): void {
  const tableName = input.TableName
  if (tableName === undefined) {
    throw new ValidationException("The parameter 'TableName' is required but was not present in the request")
  }
  const length = (tableName as string).length
  if (length < 3 || length > 255) {
    const tableNameShape = withConstraints(shape.members.TableName!, { lengthMin: 3, lengthMax: 255 })
    checkConstraints({ TableName: tableName }, structure(shape.name, { TableName: tableNameShape }))
  }
}

export type { OperationShape }
