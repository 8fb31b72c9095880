/**
 * Stream ARNs: `arn:<partition>:dynamodb:<region>:<account>:table/<TableName>/stream/<label>`, where the
 * label is the stream's creation time (ISO 8601 with milliseconds, no zone).
 */
import { ResourceNotFoundException, ValidationException } from '../errors.js'

const streamArnPattern =
  /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/

export function isStreamArn(text: string): boolean {
  return streamArnPattern.test(text)
}

/** DynamoDB Streams answers a malformed ARN with a ValidationException, before any lookup. */
export function checkStreamArn(text: string): void {
  if (!isStreamArn(text)) throw new ValidationException('Invalid StreamArn')
}

export function streamNotFound(streamArn: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Requested resource not found: Stream: ${streamArn} not found`)
}

export function shardNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException('Requested resource not found: Shard does not exist')
}
