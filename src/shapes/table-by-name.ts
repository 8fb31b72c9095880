/**
 * Operations whose only input is a table name: DeleteTable, DescribeTable and DescribeTimeToLive.
 * TableName's presence and length are checked first.
 */
import { operation, structure } from './shape.js'
import { controlPlaneTableName } from './table-definitions.js'
import { tableNameFirst } from '../validate/first-checks.js'

export interface TableNameInput {
  TableName: string
}

function tableByName(inputName: string) {
  return operation<TableNameInput>({
    firstCheck: tableNameFirst,
    input: structure(inputName, { TableName: controlPlaneTableName() }),
  })
}

export const deleteTableShape = tableByName('DeleteTableInput')
export const describeTableShape = tableByName('DescribeTableInput')
export const describeTimeToLiveShape = tableByName('DescribeTimeToLiveInput')
