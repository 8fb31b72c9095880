/**
 * UpdateTable's GlobalSecondaryIndexUpdates: Create (the index starts CREATING and is
 * backfilled), Update (throughput) and Delete. Edits a draft description; the caller commits
 * it with the dropping of deleted indexes' rows, then starts the backfills.
 */
import { LimitExceededException, ResourceNotFoundException, ValidationException } from '../errors.js'
import {
  checkGlobalIndexShape, checkOnDemandAllowed, checkOnDemandRange, checkProjection, checkThroughputBounds, globalIndexesMax, nonKeyAttributesMax,
} from './definition-checks.js'
import type { IndexInput } from './definition-checks.js'
import { requestedThroughput, mergeOnDemand, setsOnDemandMaximum, unchangedThroughputMessage } from './capacity-update.js'
import { globalIndexRecord } from './new-table.js'
import { checkWarmThroughput, effectiveWarmThroughput, keepReachedWarmThroughput, raisedWarmThroughput } from './warm-throughput.js'
import type { AttributeDefinition, BillingMode, KeySchemaElement, StoredDescription } from './record.js'
import { changesInPlace, type GlobalIndexUpdate, type UpdateTableInput } from './update-input.js'

const invalid = 'One or more parameter values were invalid: '

export interface IndexChanges {
  created: string[]
  deleted: string[]
}

function actionsOf(update: GlobalIndexUpdate): number {
  return [update.Create, update.Update, update.Delete].filter((action) => action !== undefined).length
}

function nameOf(update: GlobalIndexUpdate): string {
  return (update.Create ?? update.Update ?? update.Delete)!.IndexName
}

function checkUpdateList(updates: GlobalIndexUpdate[], description: StoredDescription): void {
  // Checked per action before anything else, a missing index included (DDB-TABLE-456 of an API-quirks lab, against AWS, 2026-10).
  for (const update of updates) {
    const warm = update.Update?.WarmThroughput
    if (warm && warm.ReadUnitsPerSecond === undefined && warm.WriteUnitsPerSecond === undefined) {
      throw new ValidationException(`${invalid}WarmThroughput must have at least one of ReadUnitsPerSecond or WriteUnitsPerSecond specified for index: ${update.Update!.IndexName}`)
    }
  }
  if (updates.length === 0) throw new ValidationException(`${invalid}List of GlobalSecondaryIndexUpdates is empty`)
  const names = new Set<string>()
  for (const update of updates) {
    const actions = actionsOf(update)
    if (actions === 0) {
      throw new ValidationException(`${invalid}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, ` +
        'GlobalSecondaryIndexUpdate.Delete must not be null')
    }
    if (actions > 1) {
      throw new ValidationException(`${invalid}Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object`)
    }
    const name = nameOf(update)
    if (names.has(name)) {
      throw new ValidationException(`${invalid}Only one global secondary index update per index is allowed simultaneously. Index: ${name}`)
    }
    names.add(name)
  }
  // DynamoDB builds or drops one online index at a time per table, a vector index included.
  // The index being built may itself be deleted (DDB-TABLE-149 of the same lab).
  const deleted = new Set(updates.flatMap((update) => update.Delete ? [update.Delete.IndexName] : []))
  const busy = (description.GlobalSecondaryIndexes ?? []).some((index) =>
    (index.IndexStatus === 'CREATING' || index.IndexStatus === 'DELETING') && !deleted.has(index.IndexName)) ||
    (description.VectorIndexes ?? []).some((index) => index.IndexStatus === 'CREATING')
  const structural = updates.filter((update) => update.Create || update.Delete).length
  if (structural > 1 || (structural === 1 && busy)) {
    throw new LimitExceededException('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table')
  }
}

/** The request's definitions for the new index's keys, checked against the table's. */
function definitionsForNewIndex(
  index: IndexInput, requested: AttributeDefinition[] | undefined, description: StoredDescription,
): AttributeDefinition[] {
  if (!requested) throw new ValidationException(`${invalid}AttributeDefinitions is not specified for index: ${index.IndexName}`)
  checkGlobalIndexShape(index, requested.map((definition) => definition.AttributeName))
  const added: AttributeDefinition[] = []
  for (const element of index.KeySchema) {
    const definition = requested.find((each) => each.AttributeName === element.AttributeName)!
    const existing = description.AttributeDefinitions.find((each) => each.AttributeName === element.AttributeName)
    if (existing && existing.AttributeType !== definition.AttributeType) {
      throw new ValidationException(`${invalid}Attributes cannot be redefined. Please check that your attribute has the same ` +
        `type as previously defined. Existing schema: ${schemaText(existingKeySchema(description, element.AttributeName), description.AttributeDefinitions)} ` +
        `New schema: ${schemaText(index.KeySchema, requested)}`)
    }
    if (!existing) added.push({ AttributeName: definition.AttributeName, AttributeType: definition.AttributeType })
  }
  return added
}

/** The key schema (the table's or an index's) that already has `attribute` as a key. */
function existingKeySchema(description: StoredDescription, attribute: string): KeySchemaElement[] {
  const schemas = [description.KeySchema, ...(description.LocalSecondaryIndexes ?? []).map((index) => index.KeySchema),
    ...(description.GlobalSecondaryIndexes ?? []).map((index) => index.KeySchema)]
  return schemas.find((schema) => schema.some((element) => element.AttributeName === attribute)) ?? []
}

/**
 * A key schema as DynamoDB prints it in "Attributes cannot be redefined" (Alternator's
 * test_gsi_key_type_conflict_on_update quotes "Schema:[SchemaElement: key{xyz:S:HASH}]"; how
 * two elements are joined is not quoted).
 */
function schemaText(schema: KeySchemaElement[], definitions: AttributeDefinition[]): string {
  const elements = schema.map(({ AttributeName, KeyType }) =>
    `SchemaElement: key{${AttributeName}:${definitions.find((each) => each.AttributeName === AttributeName)?.AttributeType}:${KeyType}}`)
  return `Schema:[${elements.join(', ')}]`
}

function createIndex(input: UpdateTableInput, index: IndexInput, description: StoredDescription, billing: BillingMode): void {
  const globals = description.GlobalSecondaryIndexes ?? []
  const taken = [...globals, ...(description.LocalSecondaryIndexes ?? [])]
  if ([...taken, ...(description.VectorIndexes ?? [])].some((each) => each.IndexName === index.IndexName)) {
    throw new ValidationException('Attempting to create an index which already exists')
  }
  const added = definitionsForNewIndex(index, input.AttributeDefinitions, description)
  checkProjection(index)
  // UpdateTable's words for a new index (CreateTable says "… is not specified for index"; the
  // API-quirks lab's catalogue of DynamoDB's ValidationExceptions, verified 2026).
  if (billing === 'PROVISIONED' && !index.ProvisionedThroughput) {
    throw new ValidationException(`${invalid}Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: ${index.IndexName}`)
  }
  if (billing === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) {
    throw new ValidationException(`${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ` +
      `${index.IndexName} when BillingMode is PAY_PER_REQUEST`)
  }
  checkThroughputBounds(index.ProvisionedThroughput)
  // As CreateTable checks a new index's on-demand maxima (the API-quirks lab's catalogue, 2026-10).
  checkOnDemandAllowed(index.OnDemandThroughput, billing, ` for index: ${index.IndexName}`)
  checkOnDemandRange(index.OnDemandThroughput, `index : ${index.IndexName}`, false)
  if (globals.length + 1 > globalIndexesMax) {
    // UpdateTable's words, not CreateTable's (DDB-TABLE-169 of the same lab).
    throw new LimitExceededException(`Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of ${globalIndexesMax}`)
  }
  const nonKeyAttributes = [...taken, index].reduce((sum, each) => sum + (each.Projection.NonKeyAttributes?.length ?? 0), 0)
  if (nonKeyAttributes > nonKeyAttributesMax) {
    throw new ValidationException(`${invalid}The sum of all NonKeyAttributes across all secondary indexes exceeds the limit of ${nonKeyAttributesMax}`)
  }
  description.AttributeDefinitions.push(...added)
  description.GlobalSecondaryIndexes = [...globals, globalIndexRecord(index, billing, description.TableArn, true)]
}

function requireGlobalIndex(description: StoredDescription, name: string, verb: 'delete' | 'update') {
  const index = description.GlobalSecondaryIndexes?.find((each) => each.IndexName === name)
  if (index) return index
  if (description.LocalSecondaryIndexes?.some((each) => each.IndexName === name)) {
    throw new ValidationException(`Cannot ${verb} an index that is not a GlobalSecondaryIndex: ${name}`)
  }
  throw new ResourceNotFoundException(`Requested resource not found: Index ${name} for table ${description.TableName}`)
}

/**
 * Applies one GSI Update. `inPlace` (the request changes nothing that makes the table UPDATING):
 * the change is made at once and the index stays ACTIVE; the answer shows it changing
 * (update-table.ts). Otherwise the index is UPDATING with its table.
 */
function updateIndex(
  update: NonNullable<GlobalIndexUpdate['Update']>, description: StoredDescription, billing: BillingMode, nowMs: number, inPlace: boolean,
): void {
  const index = requireGlobalIndex(description, update.IndexName, 'update')
  const requested = update.ProvisionedThroughput
  const asksNothing = !requested && update.WarmThroughput === undefined && !setsOnDemandMaximum(update.OnDemandThroughput)
  // Read and write capacity, or nothing at all, asked of an on-demand table's index (DDB-TABLE-456 of the same lab).
  if (billing === 'PAY_PER_REQUEST' && (requested || asksNothing)) {
    throw new ValidationException(`${invalid}The only Updates for index: ${update.IndexName} when TableThroughputMode is ` +
      'PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput')
  }
  if (requested) {
    checkThroughputBounds(requested)
    const current = index.ProvisionedThroughput
    if (requested.ReadCapacityUnits === current.ReadCapacityUnits && requested.WriteCapacityUnits === current.WriteCapacityUnits) {
      throw new ValidationException(unchangedThroughputMessage(`index ${update.IndexName}`, current))
    }
    keepReachedWarmThroughput(index, billing)
    index.ProvisionedThroughput = requestedThroughput(current, requested, nowMs)
  }
  if (update.OnDemandThroughput) {
    checkOnDemandAllowed(update.OnDemandThroughput, billing, ` for index: ${update.IndexName}`)
    checkOnDemandRange(update.OnDemandThroughput, `index : ${update.IndexName}`, true)
    const merged = mergeOnDemand(index.OnDemandThroughput, update.OnDemandThroughput)
    if (merged) index.OnDemandThroughput = merged
    else delete index.OnDemandThroughput
  }
  if (update.WarmThroughput) {
    const current = effectiveWarmThroughput(index.WarmThroughput, billing, index.ProvisionedThroughput)
    checkWarmThroughput(update.WarmThroughput, `index ${update.IndexName}`, billing, index.ProvisionedThroughput, current)
    index.WarmThroughput = raisedWarmThroughput(current, update.WarmThroughput)
  }
  if (index.IndexStatus === 'ACTIVE' && !inPlace) index.IndexStatus = 'UPDATING'
}

/** Drops definitions no key uses any more, as DynamoDB does when an index goes. */
export function pruneDefinitions(description: StoredDescription): void {
  const used = new Set<string>()
  const keySchemas = [description.KeySchema, ...(description.LocalSecondaryIndexes ?? []).map((index) => index.KeySchema),
    ...(description.GlobalSecondaryIndexes ?? []).map((index) => index.KeySchema)]
  for (const keySchema of keySchemas) for (const element of keySchema) used.add(element.AttributeName)
  for (const index of description.VectorIndexes ?? []) for (const element of index.SearchSchema ?? []) used.add(element.AttributeName)
  description.AttributeDefinitions = description.AttributeDefinitions.filter((definition) => used.has(definition.AttributeName))
}

/** When a table turns PROVISIONED, every GSI must be given capacity in the same request. */
function checkIndexCapacityOnSwitch(input: UpdateTableInput, description: StoredDescription, before: BillingMode, billing: BillingMode): void {
  if (before !== 'PAY_PER_REQUEST' || billing !== 'PROVISIONED') return
  for (const index of description.GlobalSecondaryIndexes ?? []) {
    const given = input.GlobalSecondaryIndexUpdates?.some((update) =>
      (update.Update?.IndexName === index.IndexName && update.Update.ProvisionedThroughput) ||
      (update.Create?.IndexName === index.IndexName))
    if (!given) throw new ValidationException(`${invalid}ProvisionedThroughput must be specified for index: ${index.IndexName}`)
  }
}

export function applyIndexUpdates(
  input: UpdateTableInput, description: StoredDescription, before: BillingMode, billing: BillingMode, nowMs: number,
): IndexChanges {
  const changes: IndexChanges = { created: [], deleted: [] }
  const updates = input.GlobalSecondaryIndexUpdates
  if (updates) {
    checkUpdateList(updates, description)
    const inPlace = changesInPlace(input)
    for (const update of updates) {
      if (update.Create) {
        createIndex(input, update.Create, description, billing)
        changes.created.push(update.Create.IndexName)
      } else if (update.Update) {
        updateIndex(update.Update, description, billing, nowMs, inPlace)
      } else if (update.Delete) {
        requireGlobalIndex(description, update.Delete.IndexName, 'delete')
        description.GlobalSecondaryIndexes = description.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== update.Delete!.IndexName)
        changes.deleted.push(update.Delete.IndexName)
      }
    }
    if (description.GlobalSecondaryIndexes?.length === 0) delete description.GlobalSecondaryIndexes
    if (changes.deleted.length > 0) pruneDefinitions(description)
  }
  checkIndexCapacityOnSwitch(input, description, before, billing)
  return changes
}
