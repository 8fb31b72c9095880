/**
 * The five event-source-mapping operations of the Lambda API, for DynamoDB stream and Kinesis
 * stream sources, and Lambda's three tag operations on a mapping's ARN.
 * Mappings are stored per region; the region's trigger service is told about every change so
 * runners start, change and stop at once.
 */
import { randomUUID } from 'node:crypto'
import type { RegionContext } from '../api/context.js'
import type { RestReply } from '../http/server.js'
import type { TableRecord } from '../tables/record.js'
import { FunctionConfigError, functionTargetOf, hasLocalTarget, missingPartOf } from './functions-config.js'
import { invalidParameter, resourceConflict, resourceNotFound, validationError } from './lambda-errors.js'
import {
  defaultSettings, describeMapping, functionArnOf, mappingArnOf, settledState, type DynamoDbStreamMapping, type MappingRecord, type MappingState,
} from './mapping.js'
import { isKinesisArn, kinesisSourceOf } from './sources/kinesis-arn.js'
import { checkMemberConstraints, functionNameLengthProblem, functionNameOf, functionOf, settingsFrom, startingPositionOf, tagsOf, type Body } from './mapping-input.js'
import { changeMappingTags, insertMapping, loadMapping, loadMappings, removeMapping, saveMapping } from './mapping-store.js'
import type { ReadView } from '../storage/engine.js'
import { loadActivities, loadActivity, noActivity, type MappingActivity } from './mapping-activity.js'

/** What the operations need from the region's trigger service. */
export interface MappingRegistry {
  /** Reloads one mapping (created, changed or deleted) into the running service. */
  mappingChanged(uuid: string): Promise<void>
}

/** ListEventSourceMappings' page size bounds. */
const listItemsDefault = 100
const listItemsMax = 10000

const streamArnPattern = /^arn:aws[a-zA-Z-]*:dynamodb:([^:]+):([^:]+):table\/([^/]+)\/stream\/(.+)$/

function reply(status: number, body: object): RestReply {
  return { status, body: JSON.stringify(body) }
}

/** The mapping as Lambda describes it; LastProcessingResult from its stored activity (mapping-activity.ts). */
function describe(region: RegionContext, mapping: MappingRecord, activity: MappingActivity, state: MappingState = settledState(mapping)): object {
  return describeMapping(mapping, region.region, region.accountId, state, activity.lastProcessingResult)
}

/** The table whose current, enabled stream the ARN names; InvalidParameterValueException otherwise. */
function streamTableOf(region: RegionContext, arn: string): TableRecord {
  const match = streamArnPattern.exec(arn)
  if (!match) throw invalidParameter('Unrecognized event source, must be kinesis, dynamodb stream or sqs.')
  const record = match[1] === region.region && match[2] === region.accountId ? region.catalog.record(match[3]!) : undefined
  const description = record?.description
  if (!record || description!.LatestStreamArn !== arn || !description!.StreamSpecification?.StreamEnabled) {
    throw invalidParameter(`Stream not found: ${arn}`)
  }
  return record
}

/** The source members of a DynamoDB stream mapping: the table whose stream the ARN names. */
function dynamoDbSourceOf(region: RegionContext, arn: string, body: Body): Pick<DynamoDbStreamMapping,
  'StartingPosition' | 'tableId' | 'tableName' | 'streamStartMs' | 'streamViewType'> {
  const { description } = streamTableOf(region, arn)
  return {
    StartingPosition: startingPositionOf(body, arn),
    tableId: description.TableId,
    tableName: description.TableName,
    streamStartMs: Date.parse(`${description.LatestStreamLabel!}Z`),
    streamViewType: description.StreamSpecification!.StreamViewType!,
  }
}

/**
 * The function must be declared in the config, and be able to run: a module file or command
 * that does not exist is refused now rather than failing every batch later.
 */
function requireFunction(region: RegionContext, functionName: string): void {
  const notFound = `Function not found: ${functionArnOf(region.region, region.accountId, functionName)}`
  if (!hasLocalTarget(region.config.functions, functionName)) throw resourceNotFound(notFound)
  let missing: string | undefined
  try {
    missing = missingPartOf(functionTargetOf(region.config.functions, functionName))
  } catch (error) {
    if (!(error instanceof FunctionConfigError)) throw error
    missing = error.message
  }
  if (missing) throw resourceNotFound(`${notFound} (${missing})`)
}

export async function createMapping(region: RegionContext, registry: MappingRegistry, body: Body): Promise<RestReply> {
  checkMemberConstraints(body)
  if (typeof body.FunctionName !== 'string') {
    throw validationError("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null")
  }
  const target = functionOf(body.FunctionName)
  if (typeof body.EventSourceArn !== 'string') throw invalidParameter('Unrecognized event source, must be kinesis, dynamodb stream or sqs.')
  const arn = body.EventSourceArn
  const source = isKinesisArn(arn) ? await kinesisSourceOf(region, arn, body) : dynamoDbSourceOf(region, arn, body)
  requireFunction(region, target.name)
  const settings = settingsFrom(body, defaultSettings)
  const tags = body.Tags === undefined || body.Tags === null ? undefined : tagsOf(body.Tags)
  const functionArn = functionArnOf(region.region, region.accountId, target.name, target.qualifier)
  const mapping: MappingRecord = {
    version: 1,
    UUID: randomUUID(),
    EventSourceArn: arn,
    functionName: target.name,
    FunctionArn: functionArn,
    settings,
    enabled: body.Enabled !== false,
    lastModifiedMs: region.clock.now(),
    ...(tags ? { tags } : {}),
    ...source,
  }
  await region.storage.transact(async (tx) => {
    // Checked where the mapping is stored: two creates sent together cannot both pass.
    await refuseSecondMapping(tx, arn, functionArn, target.name)
    await insertMapping(tx, mapping)
  })
  await registry.mappingChanged(mapping.UUID)
  return reply(202, describe(region, mapping, noActivity(), 'Creating'))
}

/**
 * One mapping per stream and function version or alias (an alias of its own may have another),
 * whether a create would make the second or an update would retarget one onto another's pair.
 */
async function refuseSecondMapping(view: ReadView, arn: string, functionArn: string, functionName: string, updatedUuid?: string): Promise<void> {
  const existing = (await loadMappings(view))
    .find((mapping) => mapping.EventSourceArn === arn && mapping.FunctionArn === functionArn && mapping.UUID !== updatedUuid)
  if (existing) {
    throw resourceConflict(`The event source arn (" ${arn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.UUID}`)
  }
}

/** The mapping and its activity as `view` (a read, or the transaction that changes them) sees them. */
async function requireMapping(view: ReadView, uuid: string): Promise<{ mapping: MappingRecord; activity: MappingActivity }> {
  const mapping = await loadMapping(view, uuid)
  if (!mapping) throw resourceNotFound()
  return { mapping, activity: await loadActivity(view, uuid) }
}

export async function getMapping(region: RegionContext, uuid: string): Promise<RestReply> {
  const { mapping, activity } = await region.storage.read((view) => requireMapping(view, uuid))
  return reply(200, describe(region, mapping, activity))
}

export async function listMappings(region: RegionContext, query: URLSearchParams): Promise<RestReply> {
  const maxItemsText = query.get('MaxItems')
  const maxItems = maxItemsText === null ? listItemsDefault : Number(maxItemsText)
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > listItemsMax) {
    throw validationError(`1 validation error detected: Value '${maxItemsText}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? 'greater than or equal to 1' : `less than or equal to ${listItemsMax}`}`)
  }
  const arn = query.get('EventSourceArn')
  const functionText = query.get('FunctionName')
  const lengthProblem = functionText === null ? undefined : functionNameLengthProblem(functionText)
  if (lengthProblem) throw validationError(`1 validation error detected: ${lengthProblem}`)
  const functionName = functionText === null ? undefined : functionNameOf(functionText)
  const marker = query.get('Marker')
  const { mappings, activities } = await region.storage.read(async (view) => ({
    mappings: await loadMappings(view), activities: await loadActivities(view),
  }))
  const matching = mappings
    .filter((mapping) => (arn === null || mapping.EventSourceArn === arn) && (functionName === undefined || mapping.functionName === functionName))
    .filter((mapping) => marker === null || mapping.UUID > marker)
  const page = matching.slice(0, maxItems)
  const body: Record<string, unknown> = { EventSourceMappings: page.map((mapping) => describe(region, mapping, activities.get(mapping.UUID) ?? noActivity())) }
  if (matching.length > page.length) body.NextMarker = page[page.length - 1]!.UUID
  return reply(200, body)
}

export async function updateMapping(region: RegionContext, registry: MappingRegistry, uuid: string, body: Body): Promise<RestReply> {
  checkMemberConstraints(body)
  const target = typeof body.FunctionName === 'string' ? functionOf(body.FunctionName) : undefined
  // Read, checked and written in one transaction: an update or a delete sent at the same moment
  // is ordered before or after this one, never lost under it (nor a deleted mapping brought back).
  const { current, updated, activity } = await region.storage.transact(async (tx) => {
    const { mapping: current, activity } = await requireMapping(tx, uuid)
    if (target) requireFunction(region, target.name)
    const updated: MappingRecord = { ...current, settings: settingsFrom(body, current.settings), lastModifiedMs: region.clock.now() }
    if (target) {
      updated.functionName = target.name
      updated.FunctionArn = functionArnOf(region.region, region.accountId, target.name, target.qualifier)
      await refuseSecondMapping(tx, updated.EventSourceArn, updated.FunctionArn, target.name, uuid)
    }
    if (typeof body.Enabled === 'boolean') updated.enabled = body.Enabled
    await saveMapping(tx, updated)
    return { current, updated, activity }
  })
  await registry.mappingChanged(uuid)
  const state: MappingState = updated.enabled === current.enabled ? 'Updating' : updated.enabled ? 'Enabling' : 'Disabling'
  return reply(202, describe(region, updated, activity, state))
}

export async function deleteMapping(region: RegionContext, registry: MappingRegistry, uuid: string): Promise<RestReply> {
  const { mapping, activity } = await region.storage.transact(async (tx) => {
    const found = await requireMapping(tx, uuid)
    await removeMapping(tx, found.mapping)
    return found
  })
  await registry.mappingChanged(uuid)
  return reply(202, describe(region, mapping, activity, 'Deleting'))
}

/** The UUID of the mapping an event-source-mapping ARN of this region and account names; ResourceNotFoundException otherwise. */
function mappingUuidOf(region: RegionContext, arn: string): string {
  const uuid = /:event-source-mapping:([0-9a-f-]{36})$/.exec(arn)?.[1]
  if (uuid === undefined || arn !== mappingArnOf(region.region, region.accountId, uuid)) throw resourceNotFound()
  return uuid
}

const noContent: RestReply = { status: 204, body: '' }

export async function listMappingTags(region: RegionContext, arn: string): Promise<RestReply> {
  const mapping = await region.storage.read((view) => loadMapping(view, mappingUuidOf(region, arn)))
  if (!mapping) throw resourceNotFound()
  return reply(200, { Tags: mapping.tags ?? {} })
}

export async function tagMapping(region: RegionContext, arn: string, body: Body): Promise<RestReply> {
  if (body.Tags === undefined || body.Tags === null) {
    throw validationError("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
  }
  const added = tagsOf(body.Tags)
  if (!await changeMappingTags(region.storage, mappingUuidOf(region, arn), (tags) => Object.assign(tags, added))) throw resourceNotFound()
  return noContent
}

export async function untagMapping(region: RegionContext, arn: string, keys: string[]): Promise<RestReply> {
  if (keys.length === 0) {
    throw validationError("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
  }
  if (!await changeMappingTags(region.storage, mappingUuidOf(region, arn), (tags) => { for (const key of keys) delete tags[key] })) throw resourceNotFound()
  return noContent
}
