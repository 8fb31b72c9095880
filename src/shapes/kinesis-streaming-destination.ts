/**
 * Enable/Disable/Describe/UpdateKinesisStreamingDestination:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_EnableKinesisStreamingDestination.html
 */
import { operation, string, structure } from './shape.js'
import { controlPlaneTableName } from './table-definitions.js'
import { tableNameFirst } from '../validate/first-checks.js'

export type CreationDateTimePrecision = 'MILLISECOND' | 'MICROSECOND'

export interface StreamingConfiguration {
  ApproximateCreationDateTimePrecision?: CreationDateTimePrecision
}

export interface KinesisDestinationInput {
  TableName: string
  StreamArn: string
  EnableKinesisStreamingConfiguration?: StreamingConfiguration
  UpdateKinesisStreamingConfiguration?: StreamingConfiguration
}

const precisions = ['MILLISECOND', 'MICROSECOND']
const streamArn = () => string({ notNull: true, lengthMin: 37, lengthMax: 1024 })
const configuration = (name: string) => structure(name, { ApproximateCreationDateTimePrecision: string({ enum: precisions }) })

function destinationShape(name: string, configurationMember: 'EnableKinesisStreamingConfiguration' | 'UpdateKinesisStreamingConfiguration') {
  return operation<KinesisDestinationInput>({
    firstCheck: tableNameFirst,
    input: structure(name, {
      TableName: controlPlaneTableName(),
      StreamArn: streamArn(),
      [configurationMember]: configuration(configurationMember),
    }),
  })
}

export const enableKinesisStreamingDestinationShape = destinationShape('KinesisStreamingDestinationInput', 'EnableKinesisStreamingConfiguration')
export const disableKinesisStreamingDestinationShape = destinationShape('KinesisStreamingDestinationInput', 'EnableKinesisStreamingConfiguration')
export const updateKinesisStreamingDestinationShape = destinationShape('UpdateKinesisStreamingDestinationInput', 'UpdateKinesisStreamingConfiguration')
export const describeKinesisStreamingDestinationShape = operation<{ TableName: string }>({
  firstCheck: tableNameFirst,
  input: structure('DescribeKinesisStreamingDestinationInput', { TableName: controlPlaneTableName() }),
})
