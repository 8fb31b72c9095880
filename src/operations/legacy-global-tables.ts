/**
 * Global tables version 2017.11.29 (legacy). AWS no longer creates such groups: its
 * CreateGlobalTable refuses, so the other operations find none. EddyDB does the same unless
 * started with --legacy-global-tables, for infrastructure code that still declares them
 * (Terraform's aws_dynamodb_global_table): identical empty tables with NEW_AND_OLD_IMAGES
 * streams in each region, grouped by CreateGlobalTable. The group is the same replica group as
 * 2019.11.21's (TableRecord.replication, version '2017.11.29'), replicated by the same change-log
 * readers. Removing a region leaves its table in place, no longer replicated. Groups made with the
 * option keep working without it.
 */
import type { OperationHandler, RequestContext } from '../api/context.js'
import {
  GlobalTableAlreadyExistsException, GlobalTableNotFoundException, ReplicaAlreadyExistsException, ReplicaNotFoundException,
  TableNotFoundException, ValidationException,
} from '../errors.js'
import { requireGlobalTables } from '../replication/group-changes.js'
import { memberRegions, type ReplicationRecord } from '../replication/replica-set.js'
import {
  type CreateGlobalTableInput, type GlobalTableNameInput, type ListGlobalTablesInput, type UpdateGlobalTableInput,
  type UpdateGlobalTableSettingsInput,
} from '../shapes/global-tables.js'
import type { TableRecord } from '../tables/record.js'
import { billingModeOf } from '../tables/record.js'
import { arnPartition } from '../region-names.js'

const legacyVersion = '2017.11.29'

/**
 * DynamoDB's answer for a name that is no 2017.11.29 group; DescribeGlobalTable's has a prefix
 * of its own (an API-quirks lab, against AWS, 2026-10, DDB-GLOBALTABLE-004).
 */
function notFound(name: string, prefix = ''): GlobalTableNotFoundException {
  return new GlobalTableNotFoundException(`${prefix}Global table with name: '${name}' does not exist.`)
}

function isLegacyGroup(record: TableRecord | undefined): record is TableRecord & { replication: ReplicationRecord } {
  return record?.replication?.version === legacyVersion
}

function legacyGroup(ctx: RequestContext, name: string, notFoundPrefix?: string): { record: TableRecord; group: ReplicationRecord } {
  const record = ctx.catalog.record(name)
  if (!isLegacyGroup(record)) throw notFound(name, notFoundPrefix)
  return { record, group: record.replication }
}

function globalTableDescription(ctx: RequestContext, name: string, group: ReplicationRecord): object {
  return {
    ReplicationGroup: memberRegions(group).map((region) => ({ RegionName: region })),
    GlobalTableArn: `arn:${arnPartition(ctx.region)}:dynamodb::${ctx.accountId}:global-table/${name}`,
    CreationDateTime: group.legacyCreatedAt,
    GlobalTableStatus: 'ACTIVE',
    GlobalTableName: name,
  }
}

/**
 * A region's table may join a 2017.11.29 group if it exists, is not global, has the right stream
 * and no items, and has the key schema and global secondary indexes of the group's tables
 * (`like`), as version 2017.11.29 required ("Requirements for adding a new replica table"):
 * otherwise every write would fail to replicate, unseen by the client. Returns its record.
 */
async function checkJoinable(ctx: RequestContext, name: string, region: string, like?: TableRecord): Promise<TableRecord> {
  const replica = requireGlobalTables(ctx).region(region)
  const record = await replica.record(name)
  if (!record) throw new TableNotFoundException(`Table: ${name} not found in region ${region}`)
  if (like && keysAndIndexesOf(record) !== keysAndIndexesOf(like)) {
    throw new ValidationException(`One or more parameter values were invalid: Table ${name} in region ${region} must have the same key schema ` +
      `and global secondary indexes as the other tables of the global table`)
  }
  if (record.replication) throw new GlobalTableAlreadyExistsException(`Global table with name '${name}' already exists.`)
  const stream = record.description.StreamSpecification
  if (!stream?.StreamEnabled || stream.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
    throw new ValidationException(`One or more parameter values were invalid: Table ${name} in region ${region} must have a stream enabled with StreamViewType NEW_AND_OLD_IMAGES`)
  }
  if ((await replica.itemCount(name)) > 0) {
    throw new ValidationException(`One or more parameter values were invalid: Table ${name} in region ${region} must be empty to become a replica`)
  }
  return record
}

/** The key schema and each global index's name and key schema, with their attributes' types, as one comparable string. */
function keysAndIndexesOf(record: TableRecord): string {
  const { KeySchema, AttributeDefinitions, GlobalSecondaryIndexes = [] } = record.description
  const typeOf = (attribute: string) => AttributeDefinitions.find((definition) => definition.AttributeName === attribute)?.AttributeType
  const keys = (schema: typeof KeySchema) => schema.map((element) => [element.AttributeName, element.KeyType, typeOf(element.AttributeName)])
  const indexes = GlobalSecondaryIndexes.map((index) => [index.IndexName, keys(index.KeySchema)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  return JSON.stringify([keys(KeySchema), indexes])
}

/**
 * What AWS answers CreateGlobalTable (and an UpdateGlobalTable Create) with today (Alternator's
 * tests, run against AWS; the prefix as an API-quirks lab recorded it, DDB-GLOBALTABLE-002).
 */
const legacyVersionRefused = 'One or more parameter values were invalid: DynamoDB global tables version 2017.11.29 is not supported. ' +
  'We recommend using DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy).'

export const createGlobalTable: OperationHandler<CreateGlobalTableInput> = async (ctx, input) => {
  if (!ctx.config.legacyGlobalTables) throw new ValidationException(legacyVersionRefused)
  const name = input.GlobalTableName
  const regions = [...new Set(input.ReplicationGroup.map((replica) => replica.RegionName))]
  const globalTables = requireGlobalTables(ctx)
  const group = await globalTables.exclusive(name, async () => {
    let first: TableRecord | undefined
    for (const region of regions) {
      const joining = await checkJoinable(ctx, name, region, first)
      first ??= joining
    }
    const group: ReplicationRecord = {
      version: legacyVersion,
      legacyCreatedAt: ctx.clock.now() / 1000,
      replicas: regions.map((region) => ({ RegionName: region, ReplicaStatus: 'ACTIVE' })),
    }
    await globalTables.publish(name, regions, group)
    return group
  })
  return { GlobalTableDescription: { ...globalTableDescription(ctx, name, group), GlobalTableStatus: 'CREATING' } }
}

export const describeGlobalTable: OperationHandler<GlobalTableNameInput> = async (ctx, input) => {
  const { group } = legacyGroup(ctx, input.GlobalTableName, 'Global table not found: ')
  return { GlobalTableDescription: globalTableDescription(ctx, input.GlobalTableName, group) }
}

export const updateGlobalTable: OperationHandler<UpdateGlobalTableInput> = async (ctx, input) => {
  const name = input.GlobalTableName
  // DynamoDB's answers before it looks the group up (DDB-GLOBALTABLE-004 of the same lab).
  if (input.ReplicaUpdates.length === 0) throw new ValidationException('One or more parameter values were invalid')
  const creates = input.ReplicaUpdates.some((update) => update.Create)
  if (creates && !ctx.config.legacyGlobalTables && !isLegacyGroup(ctx.catalog.record(name))) throw new ValidationException(legacyVersionRefused)
  const globalTables = requireGlobalTables(ctx)
  const group = await globalTables.exclusive(name, () => changeLegacyGroup(ctx, name, input.ReplicaUpdates))
  return { GlobalTableDescription: { ...globalTableDescription(ctx, name, group), GlobalTableStatus: 'UPDATING' } }
}

async function changeLegacyGroup(ctx: RequestContext, name: string, updates: UpdateGlobalTableInput['ReplicaUpdates']): Promise<ReplicationRecord> {
  const group = structuredClone(legacyGroup(ctx, name).group)
  const before = memberRegions(group)
  for (const update of updates) {
    if (update.Create) {
      const region = update.Create.RegionName
      if (memberRegions(group).includes(region)) throw new ReplicaAlreadyExistsException(`Replica already exists in region ${region} for global table ${name}`)
      await checkJoinable(ctx, name, region, legacyGroup(ctx, name).record)
      group.replicas.push({ RegionName: region, ReplicaStatus: 'ACTIVE' })
    } else if (update.Delete) {
      const region = update.Delete.RegionName
      if (!memberRegions(group).includes(region)) throw new ReplicaNotFoundException(`Replica not found in region ${region} for global table ${name}`)
      group.replicas = group.replicas.filter((replica) => replica.RegionName !== region)
    } else {
      throw new ValidationException('One or more parameter values were invalid: One of ReplicaUpdate.Create, ReplicaUpdate.Delete must not be null')
    }
  }
  await requireGlobalTables(ctx).publish(name, [...new Set([...before, ...memberRegions(group)])], group)
  return group
}

export const listGlobalTables: OperationHandler<ListGlobalTablesInput> = async (ctx, input) => {
  const limit = input.Limit ?? 100
  const groups = ctx.catalog.names()
    .filter((name) => input.ExclusiveStartGlobalTableName === undefined || name > input.ExclusiveStartGlobalTableName)
    .map((name) => ({ name, group: ctx.catalog.record(name)?.replication }))
    .filter(({ group }) => group?.version === legacyVersion && (input.RegionName === undefined || memberRegions(group).includes(input.RegionName)))
  const page = groups.slice(0, limit)
  const output: Record<string, unknown> = {
    GlobalTables: page.map(({ name, group }) => ({ GlobalTableName: name, ReplicationGroup: memberRegions(group).map((region) => ({ RegionName: region })) })),
  }
  if (groups.length > limit) output.LastEvaluatedGlobalTableName = page.at(-1)!.name
  return output
}

const autoScalingOff = { AutoScalingDisabled: true }

function settings(ctx: RequestContext, name: string): object {
  const { record, group } = legacyGroup(ctx, name)
  const description = record.description
  const billing = billingModeOf(description)
  return {
    GlobalTableName: name,
    ReplicaSettings: memberRegions(group).map((region) => ({
      RegionName: region,
      ReplicaStatus: 'ACTIVE',
      ReplicaBillingModeSummary: { BillingMode: billing },
      ReplicaProvisionedReadCapacityUnits: description.ProvisionedThroughput.ReadCapacityUnits,
      // No auto scaling runs here: each setting says so, as AWS's answer (the AWS CLI's example) does.
      ReplicaProvisionedReadCapacityAutoScalingSettings: autoScalingOff,
      ReplicaProvisionedWriteCapacityUnits: description.ProvisionedThroughput.WriteCapacityUnits,
      ReplicaProvisionedWriteCapacityAutoScalingSettings: autoScalingOff,
      ReplicaGlobalSecondaryIndexSettings: (description.GlobalSecondaryIndexes ?? []).map((index) => ({
        IndexName: index.IndexName,
        IndexStatus: index.IndexStatus,
        ProvisionedReadCapacityUnits: index.ProvisionedThroughput.ReadCapacityUnits,
        ProvisionedReadCapacityAutoScalingSettings: autoScalingOff,
        ProvisionedWriteCapacityUnits: index.ProvisionedThroughput.WriteCapacityUnits,
        ProvisionedWriteCapacityAutoScalingSettings: autoScalingOff,
      })),
    })),
  }
}

export const describeGlobalTableSettings: OperationHandler<GlobalTableNameInput> = async (ctx, input) => settings(ctx, input.GlobalTableName)

/** Answers with the settings; capacity is not enforced by EddyDB, so nothing else changes. */
export const updateGlobalTableSettings: OperationHandler<UpdateGlobalTableSettingsInput> = async (ctx, input) => settings(ctx, input.GlobalTableName)
