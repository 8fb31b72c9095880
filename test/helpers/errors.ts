/** Asserting on DynamoDB errors as the AWS SDK v3 surfaces them (`name` is the wire `__type`). */
import assert from 'node:assert/strict'

export interface SdkError extends Error {
  $metadata?: { httpStatusCode?: number }
  [member: string]: unknown
}

/** Awaits `promise`, asserts it rejects with error `name` (and `message` if given), returns the error. */
export async function expectError(
  promise: Promise<unknown>, name: string, message?: string | RegExp,
): Promise<SdkError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  assert.ok(caught instanceof Error, `expected ${name} but the request succeeded`)
  const error = caught as SdkError
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`)
  if (typeof message === 'string') assert.equal(error.message, message)
  else if (message) assert.match(error.message, message)
  return error
}
