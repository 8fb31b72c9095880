/** UpdateTimeToLive: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html */
import { boolean, operation, string, structure } from './shape.js'
import { controlPlaneTableName } from './table-definitions.js'
import { tableNameFirst } from '../validate/first-checks.js'

export interface UpdateTimeToLiveInput {
  TableName: string
  TimeToLiveSpecification: { AttributeName: string; Enabled: boolean }
}

export const updateTimeToLiveShape = operation<UpdateTimeToLiveInput>({
  firstCheck: tableNameFirst,
  input: structure('UpdateTimeToLiveInput', {
    TableName: controlPlaneTableName(),
    TimeToLiveSpecification: structure('TimeToLiveSpecification', {
      // AWS today reports '' through the generic length constraint, not a custom message.
      AttributeName: string({ notNull: true, lengthMin: 1, lengthMax: 255 }),
      Enabled: boolean({ notNull: true }),
    }, { notNull: true }),
  }),
})
