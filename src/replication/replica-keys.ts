/**
 * The KMS key of each replica of a global table, as DynamoDB rules it (an API-quirks lab's
 * DDB-TABLE-313, -309 and -295, against AWS, 2026-10): every replica is encrypted the way the
 * table is, with a key of its own region.
 * - A table with DynamoDB's own key (no SSEDescription) takes no per-replica key.
 * - A table with the AWS managed key: each replica has its region's managed key; a customer key
 *   would mix the two kinds.
 * - A table with a customer managed key: each new replica must name one, of its region (a bare
 *   id or an alias is resolved there), not the AWS managed key.
 * - An Update never changes a replica's key.
 * Each member's entry in the group shows its key's ARN.
 */
import { ValidationException } from '../errors.js'
import type { StoredDescription } from '../tables/record.js'
import { awsManagedKeyArn, kmsKeyArn } from '../tables/new-table.js'

const invalid = 'One or more parameter values were invalid: '
export const keyForEachReplicaMessage = `${invalid}KMSMasterKeyId must be specified for each replica.`
const mixedKeysMessage = `${invalid}All replica keys must either be Customer Managed CMK or AWS Managed CMK.`

type Placement = { region: string; accountId: string }

/** The table's key ARN when it is encrypted with a KMS key (managed or customer), else undefined. */
export function tableKeyArn(description: StoredDescription): string | undefined {
  const sse = description.SSEDescription
  return sse?.SSEType === 'KMS' ? sse.KMSMasterKeyArn : undefined
}

/**
 * The key ARN a new replica in `replica`'s region takes, from the table of `source` and the key
 * the Create action names (if any); undefined for a table with DynamoDB's own key. Throws
 * DynamoDB's refusals.
 */
export function replicaKeyArn(description: StoredDescription, source: Placement, replica: Placement, given: string | undefined): string | undefined {
  const tableKey = tableKeyArn(description)
  if (tableKey === undefined) {
    if (given !== undefined) throw new ValidationException(keyForEachReplicaMessage)
    return undefined
  }
  const managedHere = awsManagedKeyArn(replica)
  const tableKeyIsManaged = tableKey === awsManagedKeyArn(source)
  if (given === undefined) {
    if (tableKeyIsManaged) return managedHere
    throw new ValidationException(keyForEachReplicaMessage)
  }
  const resolved = kmsKeyArn(given, replica, ` for region ${replica.region}`)
  if ((resolved === managedHere) !== tableKeyIsManaged) throw new ValidationException(mixedKeysMessage)
  return resolved
}
