/**
 * PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy: the members' types only. Their
 * constraints and DynamoDB's words for them are checked by the operations themselves
 * (src/security/resource-policies.ts), but a member of the wrong type is a SerializationException
 * first, as for every operation (it was stored, printed or taken as missing).
 */
import { boolean, operation, string, structure } from './shape.js'

/** The operations read their members themselves, typed as given (every one optional here). */
export type ResourcePolicyInput = Record<string, unknown>

export const putResourcePolicyShape = operation<ResourcePolicyInput>({
  input: structure('PutResourcePolicyInput', {
    ResourceArn: string(), Policy: string(), ExpectedRevisionId: string(), ConfirmRemoveSelfResourceAccess: boolean(),
  }),
})

export const getResourcePolicyShape = operation<ResourcePolicyInput>({
  input: structure('GetResourcePolicyInput', { ResourceArn: string() }),
})

export const deleteResourcePolicyShape = operation<ResourcePolicyInput>({
  input: structure('DeleteResourcePolicyInput', { ResourceArn: string(), ExpectedRevisionId: string() }),
})
