/** Assertions shared by the validation tests: the exact error class and message DynamoDB sends. */
import assert from 'node:assert/strict'
import { SerializationException, ValidationException } from '../errors.js'
import { operationNamed, type AcceptedRequest } from '../api/operation.js'
import { dynamoDbOperations } from '../api/operations.js'
import { dynamoDbStreamsOperations } from '../streams/operations.js'

/**
 * Validates `body` as the dispatcher would for `operation` (DynamoDB's, or DynamoDB Streams' for
 * its own four actions), through the operation's registry entry.
 */
function validateThroughRegistry(operation: string, body: unknown): AcceptedRequest {
  const entry = operationNamed(dynamoDbOperations, operation) ?? operationNamed(dynamoDbStreamsOperations, operation)
  assert.ok(entry?.input, `no validated operation named ${operation}`)
  return entry.accept(body as Record<string, unknown>)
}

export function assertSerialization(operation: string, body: unknown, message: string): void {
  assert.throws(() => validateThroughRegistry(operation, body), (error: unknown) => {
    assert.ok(error instanceof SerializationException, `expected SerializationException, got ${String(error)}`)
    assert.equal(error.message, message)
    return true
  })
}

export function assertValidation(operation: string, body: unknown, message: string): void {
  assert.throws(() => validateThroughRegistry(operation, body), (error: unknown) => {
    assert.ok(error instanceof ValidationException, `expected ValidationException, got ${String(error)}`)
    assert.equal(error.message, message)
    return true
  })
}

/** The "N validation errors detected: …" message for these violations. */
export function violations(...lines: string[]): string {
  return `${lines.length} validation error${lines.length > 1 ? 's' : ''} detected: ${lines.join('; ')}`
}

export function assertValid(operation: string, body: unknown): void {
  assert.doesNotThrow(() => validateThroughRegistry(operation, body))
}
