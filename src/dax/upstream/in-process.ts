/**
 * The upstream of an embedded DAX node: EddyDB's own operations for one region, called directly
 * (no HTTP, no JSON text). Each request is validated exactly as the HTTP front door would,
 * because the DAX protocols decode requests without DynamoDB's validation.
 */
import { runOperation, type RegionContext } from '../../api/context.js'
import type { ServiceOperations } from '../../api/dispatch.js'
import { JsonText } from '../../api/json-text.js'
import { operationNamed } from '../../api/operation.js'
import { dynamoDbOperations } from '../../api/operations.js'
import { UnknownOperationException } from '../../errors.js'
import { nextRequestId } from '../../http/request-id.js'
import type { DynamoDbExecutor } from '../node-api.js'

export interface InProcessUpstreamOptions {
  /** Where the region's context comes from: src/regions.ts `Regions` fits. */
  regions: { get(region: string, accountId?: string): RegionContext | Promise<RegionContext> }
  region: string
  /** The account whose tables are cached (default: the server's own). */
  accountId?: string
  /** Defaults to EddyDB's DynamoDB operations. */
  operations?: ServiceOperations
}

export function createInProcessUpstream(options: InProcessUpstreamOptions): DynamoDbExecutor {
  const operations = options.operations ?? dynamoDbOperations
  return {
    async execute(operation, input) {
      const entry = operationNamed(operations, operation)
      if (entry === undefined) throw new UnknownOperationException()
      const accepted = entry.accept(input)
      const region = await options.regions.get(options.region, options.accountId)
      const output = await runOperation(region, nextRequestId(), accepted)
      return output instanceof JsonText ? JSON.parse(output.text) : output as Record<string, any>
    },
  }
}
