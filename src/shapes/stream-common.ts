/**
 * Members shared by the DynamoDB Streams operations, with the constraints of the service model
 * (StreamArn 37..1024 characters, ShardId 28..65, SequenceNumber 21..40).
 */
import { string, type Constraints, type Shape } from './shape.js'

export const streamArn = (constraints: Constraints = {}): Shape => string({ ...constraints, lengthMin: 37, lengthMax: 1024 })
export const shardId = (constraints: Constraints = {}): Shape => string({ ...constraints, lengthMin: 28, lengthMax: 65 })
export const sequenceNumber = (): Shape => string({ lengthMin: 21, lengthMax: 40 })
