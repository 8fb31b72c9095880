/** ListTables: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html */
import { tableNamePattern } from './common.js'
import { integer, operation, string, structure } from './shape.js'

/** ListTables returns at most 100 names per page. */
export const listTablesLimitMax = 100

export interface ListTablesInput {
  Limit?: number
  ExclusiveStartTableName?: string
}

export const listTablesShape = operation<ListTablesInput>({
  input: structure('ListTablesInput', {
    Limit: integer({ valueMin: 1, valueMax: listTablesLimitMax }),
    ExclusiveStartTableName: string({ pattern: tableNamePattern, lengthMin: 3, lengthMax: 255 }),
  }),
})
