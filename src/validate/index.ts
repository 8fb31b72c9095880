/**
 * Request validation, table-independent part, in DynamoDB's fixed order:
 *  1. JSON types against the operation's shape (SerializationException, first mismatch wins);
 *  2. declarative member constraints (one ValidationException listing up to ten violations);
 *  3. the operation's cross-field checks (first failure wins).
 * Whatever needs the table (key schema, indexes) and the parsing of expressions comes after,
 * in the operation itself.
 */
import { ValidationException } from '../errors.js'
import type { OperationShape } from '../shapes/shape.js'
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
  const first = shape.firstCheck?.(coerced, shape.input)
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

export type { OperationShape }
