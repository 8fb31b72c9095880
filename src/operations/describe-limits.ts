/** DescribeLimits: DynamoDB's default account and table capacity quotas. */
import type { OperationHandler } from '../api/context.js'

/** The default quotas DynamoDB reports for a new account. */
export const accountMaxReadCapacityUnits = 80000
export const accountMaxWriteCapacityUnits = 80000
export const tableMaxReadCapacityUnits = 40000
export const tableMaxWriteCapacityUnits = 40000

export const describeLimits: OperationHandler<object> = async () => ({
  AccountMaxReadCapacityUnits: accountMaxReadCapacityUnits,
  AccountMaxWriteCapacityUnits: accountMaxWriteCapacityUnits,
  TableMaxReadCapacityUnits: tableMaxReadCapacityUnits,
  TableMaxWriteCapacityUnits: tableMaxWriteCapacityUnits,
})
