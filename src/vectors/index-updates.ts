/**
 * UpdateTable's VectorIndexUpdates: Create or Delete one vector index of an existing table, with
 * DynamoDB's phases (an AWS-validated suite, tier2 vectorSearch updateLifecycle, eu-west-2,
 * 2026-08-11 and 08-23): while its resources are allocated the index is CREATING with
 * Backfilling false, the table UPDATING, searches do not find it and a Delete is refused; then
 * it backfills (Backfilling true, the table ACTIVE again), searches are refused, a Delete cancels
 * it and DeleteTable is refused; then it is ACTIVE. DynamoDB's phases take about 30 seconds and
 * many minutes; EddyDB has nothing to build (SearchVectors reads the items), so its phases are
 * only as long as a client polling once every few seconds needs to see each of them.
 * One online index action per table at a time, counted with the table's global indexes, with the
 * GSI machinery's own error.
 */
import { LimitExceededException, ResourceInUseException, ResourceNotFoundException, ValidationException } from '../errors.js'
import type { AttributeDefinition, StoredDescription } from '../tables/record.js'
import { checkVectorIndexes, vectorIndexDefinitionOf, vectorIndexRecord, type VectorIndexInput } from './index-definition.js'

/** How long an added index allocates its resources, then how long it backfills. */
export const vectorIndexAllocationMs = 2_000
export const vectorIndexBackfillMs = 6_000

export interface VectorIndexUpdate {
  Create?: VectorIndexInput
  Delete?: { IndexName: string }
}

const invalid = 'One or more parameter values were invalid: '

/**
 * Applies the request's VectorIndexUpdates to the draft description, or throws DynamoDB's error.
 * Returns when the table may settle again: after an added index's allocation, else at once.
 */
export function applyVectorIndexUpdates(
  updates: readonly VectorIndexUpdate[] | undefined, globalIndexActions: number, requested: AttributeDefinition[] | undefined,
  description: StoredDescription, billingMode: string, nowMs: number,
): number {
  // A table keeps its vector indexes only on demand (the words of CreateTable's check).
  if (billingMode !== 'PAY_PER_REQUEST' && description.VectorIndexes?.length) {
    throw new ValidationException(`${invalid}Vector indexes are only supported for PAY_PER_REQUEST tables`)
  }
  if (!updates || updates.length === 0) return nowMs
  checkVectorIndexActions(description, updates)
  const globalIndexBusy = (description.GlobalSecondaryIndexes ?? []).some((index) => index.IndexStatus === 'CREATING' || index.IndexStatus === 'DELETING')
  if (updates.length + globalIndexActions > 1 || globalIndexBusy) throw limitExceeded()
  const [update] = updates
  if (update!.Create) {
    createVectorIndex(update!.Create, requested, description, billingMode, nowMs)
    return nowMs + vectorIndexAllocationMs
  }
  if (!update!.Delete) throw new ValidationException(`${invalid}One of Create or Delete must be specified in VectorIndexUpdate`)
  deleteVectorIndex(update!.Delete.IndexName, description)
  return nowMs
}

/**
 * What an index being added refuses, checked before the table's own status (an UpdateTable
 * during the allocation, when the table is UPDATING, gets these answers, not "Table is being
 * updated"): another Create, and a Delete of it before it backfills.
 */
export function checkVectorIndexActions(description: StoredDescription, updates: readonly VectorIndexUpdate[] | undefined): void {
  const building = (description.VectorIndexes ?? []).find((index) => index.IndexStatus === 'CREATING')
  if (!building || !updates?.length) return
  const deleting = updates.find((update) => update.Delete)?.Delete
  if (updates.length === 1 && deleting?.IndexName === building.IndexName) {
    if (building.Backfilling) return
    throw new ResourceInUseException('Attempt to change a resource which is still in use: Index creation is in resource allocation phase. ' +
      `Retry deletion during backfilling phase or when the index is active. Table: ${description.TableName} Index: ${building.IndexName}`)
  }
  throw limitExceeded()
}

function limitExceeded(): LimitExceededException {
  return new LimitExceededException('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table')
}

function createVectorIndex(
  index: VectorIndexInput, requested: AttributeDefinition[] | undefined, description: StoredDescription, billingMode: string, nowMs: number,
): void {
  const existing = description.VectorIndexes ?? []
  const taken = [...description.GlobalSecondaryIndexes ?? [], ...description.LocalSecondaryIndexes ?? [], ...existing]
  if (taken.some((each) => each.IndexName === index.IndexName)) throw new ValidationException('Attempting to create an index which already exists')
  // A SearchSchema attribute the table does not define yet comes from the request's definitions.
  const added: AttributeDefinition[] = []
  for (const element of index.SearchSchema ?? []) {
    if (description.AttributeDefinitions.some((each) => each.AttributeName === element.AttributeName)) continue
    const definition = requested?.find((each) => each.AttributeName === element.AttributeName)
    if (definition) added.push({ AttributeName: definition.AttributeName, AttributeType: definition.AttributeType })
  }
  const defined = [...description.AttributeDefinitions, ...added].map((each) => each.AttributeName)
  checkVectorIndexes([...existing.map(vectorIndexDefinitionOf), index], billingMode, defined, new Set())
  description.AttributeDefinitions.push(...added)
  const backfillFromMs = nowMs + vectorIndexAllocationMs
  description.VectorIndexes = [...existing, {
    ...vectorIndexRecord(index, description.TableArn),
    IndexStatus: 'CREATING', Backfilling: false, backfillFromMs, activeFromMs: backfillFromMs + vectorIndexBackfillMs,
  }]
}

function deleteVectorIndex(name: string, description: StoredDescription): void {
  const remaining = (description.VectorIndexes ?? []).filter((index) => index.IndexName !== name)
  if (remaining.length === (description.VectorIndexes ?? []).length) {
    throw new ResourceNotFoundException(`Requested resource not found: Index ${name} for table ${description.TableName}`)
  }
  if (remaining.length > 0) description.VectorIndexes = remaining
  else delete description.VectorIndexes
}
