/**
 * DescribeEndpoints: SDKs with endpoint discovery ask where to send requests. DynamoDB names
 * its public regional endpoint; clients configured with a custom endpoint do not use the
 * answer for routing.
 */
import type { OperationHandler } from '../api/context.js'

/** How long DynamoDB tells clients to cache the answer (24 hours). */
export const endpointCachePeriodMinutes = 1440

export const describeEndpoints: OperationHandler<object> = async (ctx) => ({
  Endpoints: [{ Address: `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: endpointCachePeriodMinutes }],
})
