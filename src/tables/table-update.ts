/**
 * UpdateTable applied to a draft record: the whole request is checked before anything is
 * kept (the draft is thrown away if any check fails), in the order DynamoDB reports problems.
 */
import { ValidationException } from '../errors.js'
import { applyCapacity, targetBillingMode } from './capacity-update.js'
import type { IndexChanges } from './index-updates.js'
import { applyIndexUpdates } from './index-updates.js'
import { applyVectorIndexUpdates } from '../vectors/index-updates.js'
import { enableStream, isKeyArn, requestsKmsEncryption, sseDescription } from './new-table.js'
import type { Placement, SseSpecificationInput, StreamSpecificationInput } from './new-table.js'
import type { StoredDescription, TableRecord, WarmThroughputDescription } from './record.js'
import { billingModeOf, forgetDeletedIndexes } from './record.js'
import { changesInPlace, type UpdateTableInput } from './update-input.js'
import { checkWarmThroughput, effectiveWarmThroughput, raisedWarmThroughput } from './warm-throughput.js'

const invalid = 'One or more parameter values were invalid: '

function applyStream(stream: StreamSpecificationInput, description: StoredDescription, nowMs: number): void {
  const name = description.TableName
  if (stream.StreamEnabled) {
    if (!stream.StreamViewType) throw new ValidationException(`${invalid}If stream is being enabled then UpdateViewType is required`)
    // DynamoDB quirk: changing the view type of an enabled stream gives the same error as re-enabling.
    if (description.StreamSpecification?.StreamEnabled) {
      throw new ValidationException(`Table already has an enabled stream: TableName: ${name}`)
    }
    enableStream(description, stream.StreamViewType, nowMs)
    return
  }
  if (stream.StreamViewType) {
    throw new ValidationException(`${invalid}If stream is being disabled, then UpdateViewType must not be specified`)
  }
  if (!description.StreamSpecification?.StreamEnabled) {
    throw new ValidationException(`Table has no stream to disable: TableName: ${name}`)
  }
  // The old stream stays readable, so LatestStreamArn/Label remain in the description.
  delete description.StreamSpecification
}

/**
 * Only naming the key in use by its ARN is refused as a no-op; `{Enabled: true}`, `{SSEType: KMS}`
 * or the key's id or alias are accepted again, as DynamoDB accepts them (it re-encrypts).
 */
function applySse(sse: SseSpecificationInput, description: StoredDescription, placement: Placement): void {
  const current = description.SSEDescription
  if (!requestsKmsEncryption(sse)) {
    if (!current) throw new ValidationException(`${invalid}Table is already encrypted by default`)
    delete description.SSEDescription
    return
  }
  const next = sseDescription(sse, placement)!
  // Only the same key's ARN again is refused; its id, an alias or no key re-encrypts (DDB-TABLE-082/-141 of an API-quirks lab).
  if (current && isKeyArn(sse.KMSMasterKeyId) && current.KMSMasterKeyArn === next.KMSMasterKeyArn) {
    throw new ValidationException(`${invalid}Table is already encrypted with given KMSMasterKeyId. ` +
      'Use KMSMasterKeyId parameter if you want to change Master Key')
  }
  description.SSEDescription = next
}

/**
 * The table's warm throughput after the update: raised to what its new capacity or billing mode
 * gives (it keeps the highest ever), then to what the request asks for, which may not be lower.
 */
function applyWarmThroughput(input: UpdateTableInput, description: StoredDescription, before: WarmThroughputDescription): void {
  const billing = billingModeOf(description)
  const reached = effectiveWarmThroughput(before, billing, description.ProvisionedThroughput)
  if (input.WarmThroughput) {
    checkWarmThroughput(input.WarmThroughput, 'table', billing, description.ProvisionedThroughput, reached)
    description.WarmThroughput = raisedWarmThroughput(reached, input.WarmThroughput)
  } else if (input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined) {
    description.WarmThroughput = raisedWarmThroughput(reached)
  }
}

/**
 * A table without TableClassSummary is STANDARD: asking for STANDARD, or for the class a table
 * already has, changes nothing (DynamoDB answers UPDATING but the summary stays as it was:
 * DDB-TABLE-177, DDB-TABLE-026 of an API-quirks lab).
 */
export function applyTableClass(tableClass: string, description: StoredDescription, nowMs: number): boolean {
  if ((description.TableClassSummary?.TableClass ?? 'STANDARD') === tableClass) return false
  description.TableClassSummary = { TableClass: tableClass, LastUpdateDateTime: nowMs / 1000 }
  return true
}

/**
 * Applies the request to `draft` (a copy of the stored record) and returns which indexes were
 * created and deleted. The table is UPDATING until `settleDelayMs` has passed.
 */
export function applyTableUpdate(
  draft: TableRecord, input: UpdateTableInput, placement: Placement, settleDelayMs: number,
): IndexChanges {
  const description = draft.description
  const nowMs = placement.nowMs
  const before = billingModeOf(description)
  const warmBefore = effectiveWarmThroughput(description.WarmThroughput, before, description.ProvisionedThroughput)
  const billing = targetBillingMode(input, description)
  applyCapacity(input, description, nowMs)
  const changes = applyIndexUpdates(input, description, before, billing, nowMs)
  const globalIndexActions = (input.GlobalSecondaryIndexUpdates ?? []).filter((update) => update.Create || update.Delete).length
  const settlesNoSoonerThanMs = applyVectorIndexUpdates(input.VectorIndexUpdates, globalIndexActions, input.AttributeDefinitions, description, billing, nowMs)
  forgetDeletedIndexes(draft, changes.deleted)
  if (input.StreamSpecification) applyStream(input.StreamSpecification, description, nowMs)
  if (input.SSESpecification) applySse(input.SSESpecification, description, placement)
  if (input.TableClass !== undefined) applyTableClass(input.TableClass, description, nowMs)
  if (input.DeletionProtectionEnabled !== undefined) description.DeletionProtectionEnabled = input.DeletionProtectionEnabled
  // A replica's disassociation protection (replication/disassociate.ts), on unless turned off.
  if (input.DisassociationProtectionEnabled === true) delete draft.disassociationProtectionDisabled
  if (input.DisassociationProtectionEnabled === false) draft.disassociationProtectionDisabled = true
  applyWarmThroughput(input, description, warmBefore)
  if (changesInPlace(input)) return changes
  description.TableStatus = 'UPDATING'
  draft.settlesAtMs = Math.max(nowMs + settleDelayMs, settlesNoSoonerThanMs)
  return changes
}
