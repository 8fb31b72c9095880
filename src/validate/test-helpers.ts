/** Assertions shared by the validation tests: the exact error class and message DynamoDB sends. */
import assert from 'node:assert/strict'
import { SerializationException, ValidationException } from '../errors.js'
import { validateRequest } from './index.js'

export function assertSerialization(operation: string, body: unknown, message: string): void {
  assert.throws(() => validateRequest(operation, body), (error: unknown) => {
    assert.ok(error instanceof SerializationException, `expected SerializationException, got ${String(error)}`)
    assert.equal(error.message, message)
    return true
  })
}

export function assertValidation(operation: string, body: unknown, message: string): void {
  assert.throws(() => validateRequest(operation, body), (error: unknown) => {
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
  assert.doesNotThrow(() => validateRequest(operation, body))
}
