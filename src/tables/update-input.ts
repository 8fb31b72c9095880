/**
 * UpdateTable's request shape, and the checks that need only the request: that it asks for
 * something, and that it combines only changes DynamoDB lets one request make together.
 */
import { ValidationException } from '../errors.js'
import type { IndexInput, ThroughputInput } from './definition-checks.js'
import type { SseSpecificationInput, StreamSpecificationInput } from './new-table.js'
import type { AttributeDefinition, BillingMode } from './record.js'
import type { OnDemandThroughput } from '../shapes/table-definitions.js'
import type { VectorIndexUpdate } from '../vectors/index-updates.js'

export interface GlobalIndexUpdate {
  Create?: IndexInput
  Update?: {
    IndexName: string
    ProvisionedThroughput?: ThroughputInput
    OnDemandThroughput?: OnDemandThroughput
    WarmThroughput?: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number }
  }
  Delete?: { IndexName: string }
}

export interface UpdateTableInput {
  TableName: string
  AttributeDefinitions?: AttributeDefinition[]
  BillingMode?: BillingMode
  ProvisionedThroughput?: ThroughputInput
  GlobalSecondaryIndexUpdates?: GlobalIndexUpdate[]
  StreamSpecification?: StreamSpecificationInput
  SSESpecification?: SseSpecificationInput
  TableClass?: string
  DeletionProtectionEnabled?: boolean
  DisassociationProtectionEnabled?: boolean
  OnDemandThroughput?: OnDemandThroughput
  WarmThroughput?: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number }
  ReplicaUpdates?: unknown[]
  MultiRegionConsistency?: string
  GlobalTableWitnessUpdates?: Array<{ Create?: { RegionName: string }; Delete?: { RegionName: string } }>
  MultiAccountReplicaReady?: unknown
  ReplicaTransitRoleArn?: string
  VectorIndexUpdates?: VectorIndexUpdate[]
}

const invalid = 'One or more parameter values were invalid: '

/** What DynamoDB lists when an UpdateTable asks for nothing, in its order. */
const updatableMembers = [
  'ProvisionedThroughput', 'BillingMode', 'UpdateStreamEnabled', 'GlobalSecondaryIndexUpdates',
  'SSESpecification', 'ReplicaUpdates', 'MultiAccountReplicaReady', 'ReplicaTransitRoleArn',
  'MultiRegionConsistency', 'DeletionProtectionEnabled', 'OnDemandThroughput', 'WarmThroughput', 'TableClass',
] as const

/** The members that change something (the rest only qualify a change). */
const changingMembers = [
  'ProvisionedThroughput', 'BillingMode', 'StreamSpecification', 'GlobalSecondaryIndexUpdates',
  'SSESpecification', 'ReplicaUpdates', 'DeletionProtectionEnabled', 'OnDemandThroughput', 'WarmThroughput',
  'TableClass', 'VectorIndexUpdates', 'DisassociationProtectionEnabled',
] as const

/**
 * DynamoDB's answer to an UpdateTable that changes nothing, or undefined. An empty
 * GlobalSecondaryIndexUpdates list counts as absent here (a request that changes something
 * else is refused for the empty list later). A member the request already holds drops out of
 * the list DynamoDB names (a quirk; a member EddyDB does not know never reaches this check).
 */
export function nothingToUpdateProblem(input: Record<string, unknown>): string | undefined {
  if (changingMembers.some((member) => changes(input, member))) return undefined
  const listed = updatableMembers.filter((member) => input[member] === undefined || isEmptyIndexUpdates(input, member))
  return `At least one of ${listed.slice(0, -1).join(', ')} or ${listed.at(-1)!} is required`
}

function isEmptyIndexUpdates(input: Record<string, unknown>, member: string): boolean {
  const value = input[member]
  return (member === 'GlobalSecondaryIndexUpdates' || member === 'VectorIndexUpdates') && Array.isArray(value) && value.length === 0
}

function changes(input: Record<string, unknown>, member: (typeof changingMembers)[number]): boolean {
  return input[member] !== undefined && !isEmptyIndexUpdates(input, member)
}

/**
 * Whether the request changes only what DynamoDB changes without an UPDATING table status:
 * deletion or disassociation protection (the latter as DynamoDB's UpdateTable example answers),
 * the table's OnDemandThroughput, its encryption or its warm throughput, or existing GSIs'
 * settings (an API-quirks lab's findings verified against DynamoDB, 2026,
 * DDB-TABLE-017, -059, -135, -148, -179, -410 and -450: the answer says ACTIVE; an encryption
 * change shows only in SSEDescription's status, a warm throughput change in WarmThroughput's, a
 * GSI's capacity change in its IndexStatus).
 */
export function changesInPlace(input: UpdateTableInput): boolean {
  return changingMembers.every((member) =>
    member === 'DeletionProtectionEnabled' || member === 'DisassociationProtectionEnabled' ||
    member === 'OnDemandThroughput' || member === 'SSESpecification' ||
    member === 'WarmThroughput' || (member === 'GlobalSecondaryIndexUpdates' && onlyUpdatesIndexes(input)) ||
    !changes(input as unknown as Record<string, unknown>, member))
}

/** Whether every GSI action of the request is an Update (none creates or deletes an index). */
export function onlyUpdatesIndexes(input: UpdateTableInput): boolean {
  return (input.GlobalSecondaryIndexUpdates ?? []).every((update) => update.Update !== undefined)
}

export function checkSomethingToUpdate(input: UpdateTableInput): void {
  const problem = nothingToUpdateProblem(input as unknown as Record<string, unknown>)
  if (problem) throw new ValidationException(problem)
}

function createsOrDeletesIndex(input: UpdateTableInput): boolean {
  return (input.GlobalSecondaryIndexUpdates ?? []).some((update) => update.Create || update.Delete) ||
    (input.VectorIndexUpdates ?? []).length > 0
}

/** DynamoDB makes several kinds of change only on their own; the first rule broken wins. */
export function checkCombination(input: UpdateTableInput): void {
  const changed = changingMembers.filter((member) => changes(input as unknown as Record<string, unknown>, member))
  // An empty WarmThroughput beside other changes asks for nothing: DynamoDB checks the others (the
  // API-quirks lab's catalogue, 2026-10).
  const emptyWarm = input.WarmThroughput !== undefined && Object.keys(input.WarmThroughput).length === 0
  const present = emptyWarm && changed.length > 1 ? changed.filter((member) => member !== 'WarmThroughput') : changed
  const alone = (member: (typeof changingMembers)[number], message: string) => {
    if (input[member] !== undefined && present.length > 1) throw new ValidationException(`${invalid}${message}`)
  }
  // A strongly consistent group is made or dissolved in one request that does nothing else.
  const changesGroup = input.ReplicaUpdates !== undefined && (input.MultiRegionConsistency !== undefined || input.GlobalTableWitnessUpdates !== undefined)
  if (changesGroup && present.length > 1) throw new ValidationException(`${invalid}Requests that modify replicas or witnesses must not also modify other fields`)
  // Replica changes are checked before the other changes that must be alone (an API-quirks lab, against AWS, 2026-10).
  if (input.ReplicaUpdates !== undefined && present.length > 1) {
    throw new ValidationException(`${invalid}Replica modification must be the only operation in the request`)
  }
  alone('SSESpecification', 'Server-Side Encryption modification must be the only operation in the request')
  alone('TableClass', 'TableClass modification must be the only operation in the request')
  alone('DeletionProtectionEnabled', 'DeletionProtection modification must be the only operation in the request')
  alone('DisassociationProtectionEnabled', 'DisassociationProtection modification must be the only operation in the request')
  if (input.OnDemandThroughput !== undefined && present.some((member) => member !== 'OnDemandThroughput' && member !== 'BillingMode')) {
    throw new ValidationException(`${invalid}OnDemandThroughput can only be combined with BillingMode in an UpdateTable request`)
  }
  if (present.includes('WarmThroughput') && (input.GlobalSecondaryIndexUpdates ?? []).some((update) => update.Create)) {
    throw new ValidationException(`${invalid}Create global secondary index cannot be specified when updating WarmThroughput`)
  }
  alone('WarmThroughput', 'WarmThroughput must be the only operation in the request')
  // Switching to on-demand may come with a stream change; any other capacity change may not.
  const updatesCapacity = input.ProvisionedThroughput !== undefined ||
    (input.BillingMode !== undefined && input.BillingMode !== 'PAY_PER_REQUEST')
  if (updatesCapacity && input.StreamSpecification !== undefined) {
    throw new ValidationException(`${invalid}You cannot modify stream status while updating table IOPS`)
  }
  // A switch of billing mode may come with a new index; new capacity may not (DDB-TABLE-174 of an API-quirks lab).
  if (input.ProvisionedThroughput !== undefined && createsOrDeletesIndex(input)) {
    throw new ValidationException(`${invalid}You cannot create or delete index while updating table IOPS`)
  }
  if (input.StreamSpecification !== undefined && createsOrDeletesIndex(input)) {
    throw new ValidationException(`${invalid}You cannot create or delete index while changing stream status`)
  }
}
