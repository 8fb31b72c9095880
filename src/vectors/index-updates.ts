/**
 * UpdateTable's VectorIndexUpdates: Create or Delete one vector index of an existing table. An
 * added index is CREATING (Backfilling false) while its table is UPDATING and ACTIVE when the
 * table settles, as settleRecord moves it; with nothing to build (SearchVectors reads the items),
 * that is as soon as the table's update delay has passed. One online index action per table at a
 * time, counted with the table's global indexes, with the GSI machinery's own error (an
 * AWS-validated suite, tier2 vectorSearch updateLifecycle, eu-west-2, 2026-08-11).
 */
import { LimitExceededException, ResourceNotFoundException, ValidationException } from '../errors.js'
import type { AttributeDefinition, StoredDescription } from '../tables/record.js'
import { checkVectorIndexes, vectorIndexRecord, type VectorIndexInput } from './index-definition.js'

export interface VectorIndexUpdate {
  Create?: VectorIndexInput
  Delete?: { IndexName: string }
}

const invalid = 'One or more parameter values were invalid: '

/** Applies the request's VectorIndexUpdates to the draft description, or throws DynamoDB's error. */
export function applyVectorIndexUpdates(
  updates: readonly VectorIndexUpdate[] | undefined, globalIndexActions: number, requested: AttributeDefinition[] | undefined,
  description: StoredDescription, billingMode: string,
): void {
  // A table keeps its vector indexes only on demand (the words of CreateTable's check).
  if (billingMode !== 'PAY_PER_REQUEST' && description.VectorIndexes?.length) {
    throw new ValidationException(`${invalid}Vector indexes are only supported for PAY_PER_REQUEST tables`)
  }
  if (!updates || updates.length === 0) return
  const building = (description.GlobalSecondaryIndexes ?? []).some((index) => index.IndexStatus === 'CREATING' || index.IndexStatus === 'DELETING') ||
    (description.VectorIndexes ?? []).some((index) => index.IndexStatus === 'CREATING')
  if (updates.length + globalIndexActions > 1 || building) {
    throw new LimitExceededException('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table')
  }
  const [update] = updates
  if (update!.Create) createVectorIndex(update!.Create, requested, description, billingMode)
  else if (update!.Delete) deleteVectorIndex(update!.Delete.IndexName, description)
  else throw new ValidationException(`${invalid}One of Create or Delete must be specified in VectorIndexUpdate`)
}

function createVectorIndex(index: VectorIndexInput, requested: AttributeDefinition[] | undefined, description: StoredDescription, billingMode: string): void {
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
  const asInputs = existing.map(({ IndexArn: _arn, IndexStatus: _status, Backfilling: _backfilling, ...each }) => each as VectorIndexInput)
  checkVectorIndexes([...asInputs, index], billingMode, defined, new Set())
  description.AttributeDefinitions.push(...added)
  description.VectorIndexes = [...existing, { ...vectorIndexRecord(index, description.TableArn), IndexStatus: 'CREATING', Backfilling: false }]
}

function deleteVectorIndex(name: string, description: StoredDescription): void {
  const remaining = (description.VectorIndexes ?? []).filter((index) => index.IndexName !== name)
  if (remaining.length === (description.VectorIndexes ?? []).length) {
    throw new ResourceNotFoundException(`Requested resource not found: Index ${name} for table ${description.TableName}`)
  }
  if (remaining.length > 0) description.VectorIndexes = remaining
  else delete description.VectorIndexes
}
