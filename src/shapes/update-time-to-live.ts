/** UpdateTimeToLive: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html */
import { boolean, operation, string, structure } from './shape.js'
import { controlPlaneTableName } from './table-definitions.js'

export interface UpdateTimeToLiveInput {
  TableName: string
  TimeToLiveSpecification: { AttributeName: string; Enabled: boolean }
}

export const updateTimeToLiveShape = operation<UpdateTimeToLiveInput>({
  tableNameFirst: true,
  input: structure('UpdateTimeToLiveInput', {
    TableName: controlPlaneTableName(),
    TimeToLiveSpecification: structure('TimeToLiveSpecification', {
      AttributeName: string({ notNull: true }),
      Enabled: boolean({ notNull: true }),
    }, { notNull: true }),
  }),
  check: (input) => input.TimeToLiveSpecification.AttributeName === ''
    ? 'TimeToLiveSpecification.AttributeName must be non empty'
    : undefined,
})
