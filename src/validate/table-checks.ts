/**
 * CreateTable's cross-field checks: billing mode against throughput, the table's key schema
 * against its attribute definitions, and each secondary index. Messages as DynamoDB sends them.
 */
import { vectorIndexDefinitionsUsed } from '../vectors/index-definition.js'
import type { CreateTableInput, GlobalSecondaryIndex, LocalSecondaryIndex } from '../shapes/create-table.js'
import type { KeySchemaElement, ProvisionedThroughput } from '../shapes/table-definitions.js'
import { globalIndexKeySchemaProblem } from '../tables/index-key-schema.js'

const invalid = 'One or more parameter values were invalid: '

/** DynamoDB's ceiling on provisioned capacity units. */
export const capacityUnitsMax = 1_000_000_000_000
export const localIndexesPerTableMax = 5
export const globalIndexesPerTableMax = 20

export function billingProblem(input: CreateTableInput): string | undefined {
  const throughput = input.ProvisionedThroughput
  if (input.BillingMode === 'PAY_PER_REQUEST') {
    return throughput === undefined ? undefined
      : `${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`
  }
  if (throughput === undefined || !throughput.ReadCapacityUnits || !throughput.WriteCapacityUnits) {
    return `${invalid}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`
  }
  return throughputBoundsProblem(throughput)
}

/** Units above the ceiling, read before write; `suffix` names the index when there is one. */
export function throughputBoundsProblem(throughput: ProvisionedThroughput, suffix = ''): string | undefined {
  if (throughput.ReadCapacityUnits > capacityUnitsMax) {
    return `Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds${suffix}`
  }
  if (throughput.WriteCapacityUnits > capacityUnitsMax) {
    return `Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds${suffix}`
  }
  return undefined
}

export function tableKeySchemaProblem(input: CreateTableInput): string | undefined {
  const definedNames = input.AttributeDefinitions.map((definition) => definition.AttributeName)
  const duplicate = definedNames.find((name, position) => definedNames.indexOf(name) !== position)
  // A repeated definition is reported before the key schema is compared with the definitions.
  if (duplicate !== undefined) return `Attribute Name is duplicated: ${duplicate}`
  const keyNames = input.KeySchema.map((element) => element.AttributeName)
  if (keyNames.length > definedNames.length) return 'Invalid KeySchema: Some index key attribute have no definition'
  const undefinedKeyProblem = undefinedKeysProblem(keyNames, definedNames)
  if (undefinedKeyProblem !== undefined) return undefinedKeyProblem
  const orderProblem = keyOrderProblem(input.KeySchema)
  if (orderProblem !== undefined) return orderProblem
  // Attributes a vector index's SearchSchema names are defined too (checked with the indexes).
  const vectorSchemaNames = vectorIndexDefinitionsUsed(input.VectorIndexes)
  if (!input.LocalSecondaryIndexes && !input.GlobalSecondaryIndexes && vectorSchemaNames.length === 0 && keyNames.length !== definedNames.length) {
    return `${invalid}Number of attributes in KeySchema does not exactly match number of attributes defined in ` +
      'AttributeDefinitions'
  }
  return undefined
}

function undefinedKeysProblem(keyNames: string[], definedNames: string[]): string | undefined {
  if (keyNames.every((name) => definedNames.includes(name))) return undefined
  return `${invalid}Some index key attributes are not defined in AttributeDefinitions. ` +
    `Keys: [${keyNames.join(', ')}], AttributeDefinitions: [${definedNames.join(', ')}]`
}

/** A HASH element first, an optional RANGE element second, with different names. */
function keyOrderProblem(schema: KeySchemaElement[]): string | undefined {
  if (schema[1] && schema[0]!.AttributeName === schema[1].AttributeName) {
    return 'Both the Hash Key and the Range Key element in the KeySchema have the same name'
  }
  if (schema[0]!.KeyType !== 'HASH') return 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'
  if (schema[1] && schema[1].KeyType !== 'RANGE') {
    return 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type'
  }
  return undefined
}

/** A local index's key checks, in DynamoDB's order (a GSI may have multi-attribute keys). */
function indexKeySchemaProblem(index: LocalSecondaryIndex, definedNames: string[]): string | undefined {
  return undefinedKeysProblem(index.KeySchema.map((element) => element.AttributeName), definedNames) ??
    keyOrderProblem(index.KeySchema)
}

function projectionProblem(index: LocalSecondaryIndex): string | undefined {
  const projectionType = index.Projection.ProjectionType
  if (projectionType === undefined) return `${invalid}Unknown ProjectionType: null`
  if (index.Projection.NonKeyAttributes && projectionType !== 'INCLUDE') {
    return `${invalid}ProjectionType is ${projectionType}, but NonKeyAttributes is specified`
  }
  return undefined
}

export function localIndexesProblem(input: CreateTableInput): string | undefined {
  const indexes = input.LocalSecondaryIndexes
  if (indexes === undefined) return undefined
  if (indexes.length === 0) return `${invalid}List of LocalSecondaryIndexes is empty`
  if (input.KeySchema.length !== 2) {
    return `${invalid}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`
  }
  const definedNames = input.AttributeDefinitions.map((definition) => definition.AttributeName)
  const tablePartitionKey = input.KeySchema[0]!.AttributeName
  const seenNames = new Set<string>()
  for (const index of indexes) {
    const problem = indexKeySchemaProblem(index, definedNames) ??
      (index.KeySchema.length !== 2
        ? `${invalid}Index KeySchema does not have a range key for index: ${index.IndexName}` : undefined) ??
      (index.KeySchema[0]!.AttributeName !== tablePartitionKey
        ? `${invalid}Index KeySchema does not have the same leading hash key as table KeySchema for index: ` +
          `${index.IndexName}. index hash key: ${index.KeySchema[0]!.AttributeName}, table hash key: ${tablePartitionKey}`
        : undefined) ??
      projectionProblem(index) ??
      duplicateIndexProblem(index.IndexName, seenNames)
    if (problem !== undefined) return problem
  }
  if (indexes.length > localIndexesPerTableMax) {
    return `${invalid}Number of LocalSecondaryIndexes exceeds per-table limit of ${localIndexesPerTableMax}`
  }
  return undefined
}

export function globalIndexesProblem(input: CreateTableInput): string | undefined {
  const indexes = input.GlobalSecondaryIndexes
  if (indexes === undefined) return undefined
  if (indexes.length === 0) return `${invalid}List of GlobalSecondaryIndexes is empty`
  const definedNames = input.AttributeDefinitions.map((definition) => definition.AttributeName)
  // Local index names were recorded first: the two kinds share one namespace.
  const seenNames = new Set((input.LocalSecondaryIndexes ?? []).map((index) => index.IndexName))
  for (const index of indexes) {
    const problem = undefinedKeysProblem(index.KeySchema.map((element) => element.AttributeName), definedNames) ??
      globalIndexKeySchemaProblem(index.KeySchema) ??
      projectionProblem(index) ??
      indexBillingProblem(input, index) ??
      duplicateIndexProblem(index.IndexName, seenNames)
    if (problem !== undefined) return problem
  }
  if (indexes.length > globalIndexesPerTableMax) {
    return `${invalid}GlobalSecondaryIndex count exceeds the per-table limit of ${globalIndexesPerTableMax}`
  }
  return undefined
}

function indexBillingProblem(input: CreateTableInput, index: GlobalSecondaryIndex): string | undefined {
  if (input.BillingMode === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) {
    return `${invalid}ProvisionedThroughput should not be specified for index: ${index.IndexName} ` +
      'when BillingMode is PAY_PER_REQUEST'
  }
  return undefined
}

function duplicateIndexProblem(indexName: string, seenNames: Set<string>): string | undefined {
  if (seenNames.has(indexName)) return `${invalid}Duplicate index name: ${indexName}`
  seenNames.add(indexName)
  return undefined
}
