/**
 * A DAX connection's executor for a caller with access policies: each request is checked as its
 * dax: action on the cluster's ARN (src/security/dax-authorize.ts) before the node runs it, so a
 * denied request never reaches the cache or the upstream. Unverified callers (no credentials file)
 * get the node's executor itself.
 */
import type { AuthenticatedCaller } from '../http/auth.js'
import { authorizeDax } from '../security/dax-authorize.js'
import type { DynamoDbExecutor } from './node-api.js'

export function authorizingExecutor(executor: DynamoDbExecutor, caller: AuthenticatedCaller, clusterArn: string): DynamoDbExecutor {
  if (!caller.verified) return executor
  return {
    async execute(operation, input) {
      authorizeDax(caller, operation, input, clusterArn)
      return executor.execute(operation, input)
    },
  }
}
