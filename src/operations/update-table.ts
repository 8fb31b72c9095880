/**
 * UpdateTable: capacity and billing mode, GSI create/update/delete, streams, encryption,
 * table class, deletion protection and warm throughput. The request is checked and applied
 * to a copy of the table's record; the copy is stored together with the dropping of deleted
 * indexes' rows, and new GSIs are then backfilled in the background (CREATING, Backfilling).
 */
import type { OperationHandler, RequestContext } from '../api/context.js'
import { ResourceInUseException, ValidationException } from '../errors.js'
import { describeRecord } from '../tables/describe.js'
import type { IndexChanges } from '../tables/index-updates.js'
import { billingModeOf, type BillingMode, type TableRecord, type ThroughputDescription, type WarmThroughputDescription } from '../tables/record.js'
import { effectiveWarmThroughput } from '../tables/warm-throughput.js'
import type { OnDemandThroughput } from '../shapes/table-definitions.js'
import { decreasesToday } from '../tables/capacity-update.js'
import { applyTableUpdate } from '../tables/table-update.js'
import type { UpdateTableInput } from '../tables/update-input.js'
import { changesInPlace, checkCombination, checkSomethingToUpdate } from '../tables/update-input.js'
import { checkSseSpecification, withBillingModeOnly } from './create-table.js'
import { syncStreams } from '../streams/lifecycle.js'
import { updateTableReplicas } from './update-table-replicas.js'
import { checkDisassociationProtectionChange } from '../replication/disassociate.js'
import { applyGroupEncryption, checkGroupEncryptionChange, groupEncryptionOf } from '../replication/replica-keys.js'
import { checkGlobalTableStream } from '../replication/stream-rules.js'
import type { ReplicationGroupUpdate } from '../shapes/replica-updates.js'
import { changesReplicatedSettings } from '../replication/replicated-settings.js'
import { stampSettings } from '../replication/settings-delivery.js'
import { checkVectorIndexActions } from '../vectors/index-updates.js'
import { RecordChangedMeanwhile, rerunWhileChanged } from '../tables/changed-meanwhile.js'
import { isStrong } from '../replication/replica-set.js'

function checkChangeable(record: TableRecord): void {
  const { TableStatus, TableName } = record.description
  if (TableStatus === 'CREATING') {
    throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being created: ${TableName}`)
  }
  if (TableStatus === 'UPDATING') {
    throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being updated: ${TableName}`)
  }
}

/** The response lists deleted GSIs once more, in DELETING state, as DynamoDB does. */
function withDeletedIndexes(described: Record<string, unknown>, before: TableRecord, deleted: string[]): void {
  if (deleted.length === 0) return
  const deleting = (before.description.GlobalSecondaryIndexes ?? [])
    .filter((index) => deleted.includes(index.IndexName))
    .map(({ Backfilling: _backfilling, ...index }) => ({ ...index, IndexStatus: 'DELETING', IndexSizeBytes: 0, ItemCount: 0 }))
  const remaining = (described.GlobalSecondaryIndexes as unknown[] | undefined) ?? []
  described.GlobalSecondaryIndexes = [...remaining, ...deleting]
}

export const updateTable: OperationHandler<UpdateTableInput> = async (ctx, input) => {
  checkSomethingToUpdate(input)
  checkCombination(input)
  if (input.SSESpecification) checkSseSpecification(input.SSESpecification)
  return rerunWhileChanged(input.TableName, () => updateTableOnce(ctx, input))
}

/**
 * What the update checks and does depends on whether the table is in a replica group, and which:
 * a table that joined or left one, or whose group changed consistency, since `before` was read
 * (a replica added on another node, or while this update was queued) runs the update again.
 */
function groupKind(record: TableRecord): string {
  return record.replication ? `${record.replication.version}/${isStrong(record.replication)}` : 'none'
}

async function updateTableOnce(ctx: RequestContext, input: UpdateTableInput): Promise<object> {
  const name = input.TableName
  const before = ctx.catalog.requireSettingsRecord(name)
  checkVectorIndexActions(before.description, input.VectorIndexUpdates)
  checkChangeable(before)
  if (input.ReplicaUpdates !== undefined) {
    return updateTableReplicas(ctx, name, {
      ReplicaUpdates: input.ReplicaUpdates as ReplicationGroupUpdate[],
      MultiRegionConsistency: input.MultiRegionConsistency,
      GlobalTableWitnessUpdates: input.GlobalTableWitnessUpdates,
    })
  }
  checkGlobalTableStream(before, input.StreamSpecification)
  const global = before.replication?.version === '2019.11.21'
  if (global && input.SSESpecification) checkGroupEncryptionChange(input.SSESpecification, ctx)
  if (input.DisassociationProtectionEnabled !== undefined) checkDisassociationProtectionChange(before)
  const globalTables = ctx.globalTables
  // A 2019.11.21 global table keeps its GSIs, billing mode and write capacity the same on every
  // replica: the change gets a new settings version, and each replication pair delivers the
  // settings to its target until acknowledged (settings-delivery.ts). It runs as a group change,
  // so a replica being added meanwhile is made either before (and receives it) or after (and copies it).
  if (global && globalTables && changesReplicatedSettings(input)) {
    return globalTables.exclusive(name, async () => ({ TableDescription: (await applyUpdate(ctx, input, before, true)).described }))
  }
  return { TableDescription: (await applyUpdate(ctx, input, before, false)).described }
}

async function applyUpdate(ctx: RequestContext, input: UpdateTableInput, before: TableRecord, replicatedSettings: boolean) {
  const name = input.TableName
  const placement = { region: ctx.region, accountId: ctx.accountId, nowMs: ctx.clock.now() }
  let changes: IndexChanges = { created: [], deleted: [] }
  // The description the update starts from (queued behind other updates, so maybe not `before`).
  let previous: TableRecord['description'] = before.description
  const record = await ctx.catalog.update(
    name,
    (draft) => {
      if (groupKind(draft) !== groupKind(before)) throw new RecordChangedMeanwhile()
      previous = structuredClone(draft.description)
      changes = applyTableUpdate(draft, input, placement, ctx.catalog.tableCreateDelayMs)
      if (!replicatedSettings) return
      stampSettings(draft, 'table', ctx.region, placement.nowMs)
      // The group's list of keys follows a change of this member's encryption.
      if (input.SSESpecification) applyGroupEncryption(draft, groupEncryptionOf(draft.description), ctx.region)
    },
    async (tx, draft) => {
      for (const index of changes.deleted) await tx.dropIndexData(draft.description.TableId, index)
      await syncStreams(tx, previous, draft.description, placement.nowMs)
    },
  )
  for (const index of changes.created) ctx.catalog.startBackfill(name, index)
  const inPlace = changesInPlace(input)
  const described = describeRecord(record, await ctx.catalog.describedStats(record), inPlace ? undefined : 'UPDATING')
  withDeletedIndexes(described, before, changes.deleted)
  if (input.SSESpecification) withEncryptionChanging(described, previous)
  if (input.TableClass !== undefined) withPreviousTableClass(described, previous)
  withChangesUnderway(described, input, previous, inPlace, placement.nowMs)
  if (input.BillingMode !== undefined) withBillingModeOnly(described)
  return { record, changes, described }
}

/**
 * The answer to a change of capacity or warm throughput shows the change under way, as DynamoDB
 * answers (an API-quirks lab, against AWS, 2026-10): a provisioned table's or index's capacity as
 * it was, with the decrease count it had and the new change's time (DDB-TABLE-060, -184); the warm
 * throughput as it was, UPDATING (DDB-TABLE-179, -059); an index whose capacity changes UPDATING
 * while its table stays ACTIVE (DDB-TABLE-148, -135); on-demand maxima as asked, -1 for one cleared
 * (DDB-TABLE-182). DescribeTable shows the new values from then on.
 */
function withChangesUnderway(
  described: Record<string, unknown>, input: UpdateTableInput, previous: TableRecord['description'], inPlace: boolean, nowMs: number,
): void {
  const billing = billingModeOf(previous)
  if (input.ProvisionedThroughput && billing === 'PROVISIONED') {
    described.ProvisionedThroughput = previousUnits(described.ProvisionedThroughput as ThroughputDescription, previous.ProvisionedThroughput, nowMs)
  }
  if (input.WarmThroughput) described.WarmThroughput = warmUnderway(previous.WarmThroughput, billing, previous.ProvisionedThroughput)
  if (input.OnDemandThroughput) showOnDemand(described, onDemandAsAsked(previous.OnDemandThroughput, input.OnDemandThroughput))
  for (const { Update: update } of input.GlobalSecondaryIndexUpdates ?? []) {
    const before = update && previous.GlobalSecondaryIndexes?.find((index) => index.IndexName === update.IndexName)
    const shown = update && (described.GlobalSecondaryIndexes as Array<Record<string, unknown>> | undefined)?.find((index) => index.IndexName === update.IndexName)
    if (!update || !before || !shown) continue
    if (update.ProvisionedThroughput) shown.ProvisionedThroughput = previousUnits(shown.ProvisionedThroughput as ThroughputDescription, before.ProvisionedThroughput, nowMs)
    if (update.WarmThroughput) shown.WarmThroughput = warmUnderway(before.WarmThroughput, billing, before.ProvisionedThroughput)
    if (update.OnDemandThroughput) showOnDemand(shown, onDemandAsAsked(before.OnDemandThroughput, update.OnDemandThroughput))
    if (inPlace && (update.ProvisionedThroughput || update.OnDemandThroughput)) shown.IndexStatus = 'UPDATING'
  }
}

/**
 * The on-demand maxima as the request leaves them, a cleared one shown as the -1 that cleared it
 * (DDB-TABLE-182 of the lab: DescribeTable then leaves it out).
 */
function onDemandAsAsked(before: OnDemandThroughput | undefined, asked: OnDemandThroughput): OnDemandThroughput {
  const merged = { ...before, ...asked }
  return {
    ...(merged.MaxReadRequestUnits !== undefined ? { MaxReadRequestUnits: merged.MaxReadRequestUnits } : {}),
    ...(merged.MaxWriteRequestUnits !== undefined ? { MaxWriteRequestUnits: merged.MaxWriteRequestUnits } : {}),
  }
}

/** An answer's OnDemandThroughput; none when no maximum is named (an empty one asks for nothing). */
function showOnDemand(described: Record<string, unknown>, onDemand: OnDemandThroughput): void {
  if (Object.keys(onDemand).length > 0) described.OnDemandThroughput = onDemand
  else delete described.OnDemandThroughput
}

function warmUnderway(before: WarmThroughputDescription | undefined, billing: BillingMode, throughput: ThroughputDescription): WarmThroughputDescription {
  return { ...effectiveWarmThroughput(before, billing, throughput), Status: 'UPDATING' }
}

function previousUnits(now: ThroughputDescription, before: ThroughputDescription, nowMs: number): ThroughputDescription {
  return {
    ...now, NumberOfDecreasesToday: decreasesToday(before, nowMs),
    ReadCapacityUnits: before.ReadCapacityUnits, WriteCapacityUnits: before.WriteCapacityUnits,
  }
}

/**
 * The answer to an encryption change shows the encryption the table had, UPDATING (just
 * `{Status: UPDATING}` when it had none), as DynamoDB answers it (LocalStack's
 * test_dynamodb_create_table_with_partial_sse_specification and an API-quirks lab's DDB-TABLE-361
 * and -371, recorded against DynamoDB); DescribeTable shows the new one from then on.
 */
function withEncryptionChanging(described: Record<string, unknown>, previous: TableRecord['description']): void {
  described.SSEDescription = { ...previous.SSEDescription, Status: 'UPDATING' }
}

/** The answer to a table class change shows the class the table had (none if never set), as DynamoDB's does (DDB-TABLE-284 of the same lab). */
function withPreviousTableClass(described: Record<string, unknown>, previous: TableRecord['description']): void {
  if (previous.TableClassSummary) described.TableClassSummary = { ...previous.TableClassSummary }
  else delete described.TableClassSummary
}
