/** GetRecords (DynamoDB Streams): https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html */
import { integer, operation, string, structure } from './shape.js'

/** GetRecords returns at most 1000 records (and at most 1 MB) per call. */
export const getRecordsLimitMax = 1000

export interface GetRecordsInput {
  ShardIterator: string
  Limit?: number
}

export const getRecordsShape = operation<GetRecordsInput>({
  input: structure('GetRecordsInput', {
    ShardIterator: string({ notNull: true, lengthMin: 1, lengthMax: 2048 }),
    Limit: integer({ valueMin: 1 }),
  }),
  // The model sets no maximum: over it is refused in DynamoDB Local's words, not the model's.
  check: (input) => input.Limit !== undefined && input.Limit > getRecordsLimitMax
    ? `One or more parameter values were invalid: Limit should be less than or equal to ${getRecordsLimitMax}`
    : undefined,
})
