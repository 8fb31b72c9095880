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
 *
 * The kind of key stays the same on every member afterwards ("The encryption setting on the
 * replica tables must be consistent across Regions", DynamoDB's global tables guide; the lab's
 * DDB-TABLE-295 saw a change to KMS on one replica reach the others, each with its region's key).
 */
import { ValidationException } from '../errors.js'
import type { StoredDescription, TableRecord } from '../tables/record.js'
import { awsManagedKeyArn, kmsKeyArn, requestsKmsEncryption, type SseSpecificationInput } from '../tables/new-table.js'
import { accountOfArn } from './replica-set.js'

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

/** How every member of a global table is encrypted: DynamoDB's own key, each region's AWS managed key, or customer keys. */
export type GroupEncryption = 'OWNED' | 'AWS_MANAGED' | 'CUSTOMER'

/** Whether a key ARN is the AWS managed key of its own region and account. */
function isAwsManagedKeyArn(keyArn: string): boolean {
  const [, , , region = '', accountId = ''] = keyArn.split(':')
  return keyArn === awsManagedKeyArn({ region, accountId })
}

export function groupEncryptionOf(description: StoredDescription): GroupEncryption {
  const key = tableKeyArn(description)
  if (key === undefined) return 'OWNED'
  return isAwsManagedKeyArn(key) ? 'AWS_MANAGED' : 'CUSTOMER'
}

/**
 * Makes a member's table (a draft) and its list of the group's keys follow the encryption a member
 * changed to (this one or another): no keys, or each region's AWS managed key. Customer keys are
 * each member's own and stay. Returns whether this member's table changed.
 */
export function applyGroupEncryption(draft: TableRecord, encryption: GroupEncryption, region: string): boolean {
  if (encryption === 'CUSTOMER') return false
  const accountId = accountOfArn(draft.description.TableArn)
  for (const entry of draft.replication?.replicas ?? []) {
    if (encryption === 'OWNED') delete entry.KMSMasterKeyId
    else entry.KMSMasterKeyId = awsManagedKeyArn({ region: entry.RegionName, accountId })
  }
  if (groupEncryptionOf(draft.description) === encryption) return false
  if (encryption === 'OWNED') delete draft.description.SSEDescription
  else draft.description.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: awsManagedKeyArn({ region, accountId }) }
  return true
}

/**
 * A global table can change to DynamoDB's own key or the AWS managed key (every member follows,
 * with its region's key), not to a customer managed key: that needs a key of each member's region,
 * which UpdateTable has no place for. Refused as DynamoDB refuses a new replica without one.
 */
export function checkGroupEncryptionChange(sse: SseSpecificationInput, placement: Placement): void {
  if (!requestsKmsEncryption(sse) || sse.KMSMasterKeyId === undefined) return
  if (isAwsManagedKeyArn(kmsKeyArn(sse.KMSMasterKeyId, placement))) return
  throw new ValidationException(keyForEachReplicaMessage)
}
