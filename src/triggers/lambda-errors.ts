/**
 * Errors of the Lambda REST API. Lambda (restJson1) names the error in the x-amzn-ErrorType
 * header and puts {"Type":"User","message":...} in the body; SDKs read the type from the header.
 * These are not DynamoErrors: Lambda's wire form and status codes differ from DynamoDB's.
 */
import type { RestReply } from '../http/server.js'

export class LambdaError extends Error {
  constructor(readonly type: string, readonly statusCode: number, message: string, readonly fault: 'User' | 'Service' = 'User') {
    super(message)
  }

  toReply(): RestReply {
    return {
      status: this.statusCode,
      headers: { 'x-amzn-ErrorType': this.type },
      body: JSON.stringify({ Type: this.fault, message: this.message }),
    }
  }
}

export function invalidParameter(message: string): LambdaError {
  return new LambdaError('InvalidParameterValueException', 400, message)
}

export function resourceNotFound(message = 'The resource you requested does not exist.'): LambdaError {
  return new LambdaError('ResourceNotFoundException', 404, message)
}

export function resourceConflict(message: string): LambdaError {
  return new LambdaError('ResourceConflictException', 409, message)
}

/** A member constraint failure, worded as Lambda's (Coral) model validation words it. */
export function validationError(message: string): LambdaError {
  return new LambdaError('ValidationException', 400, message)
}
