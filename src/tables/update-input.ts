/**
 * UpdateTable's request shape, and the checks that need only the request: that it asks for
 * something, and that it combines only changes DynamoDB lets one request make together.
 */
import { ValidationException } from '../errors.js'
import type { IndexInput, ThroughputInput } from './definition-checks.js'
import type { SseSpecificationInput, StreamSpecificationInput } from './new-table.js'
import type { AttributeDefinition, BillingMode } from './record.js'
import type { OnDemandThroughput } from '../shapes/table-definitions.js'

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
  OnDemandThroughput?: OnDemandThroughput
  WarmThroughput?: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number }
  ReplicaUpdates?: unknown[]
  MultiRegionConsistency?: string
  MultiAccountReplicaReady?: unknown
  ReplicaTransitRoleArn?: string
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
  'TableClass',
] as const

export function checkSomethingToUpdate(input: UpdateTableInput): void {
  if (changingMembers.some((member) => input[member] !== undefined)) return
  // DynamoDB quirk: members already present in the request are left out of the list.
  const listed = updatableMembers.filter((member) => (input as unknown as Record<string, unknown>)[member] === undefined)
  throw new ValidationException(`At least one of ${listed.slice(0, -1).join(', ')} or ${listed.at(-1)!} is required`)
}

function createsOrDeletesIndex(input: UpdateTableInput): boolean {
  return (input.GlobalSecondaryIndexUpdates ?? []).some((update) => update.Create || update.Delete)
}

/** DynamoDB makes several kinds of change only on their own; the first rule broken wins. */
export function checkCombination(input: UpdateTableInput): void {
  const present = changingMembers.filter((member) => input[member] !== undefined)
  const alone = (member: (typeof changingMembers)[number], message: string) => {
    if (input[member] !== undefined && present.length > 1) throw new ValidationException(`${invalid}${message}`)
  }
  alone('SSESpecification', 'Server-Side Encryption modification must be the only operation in the request')
  alone('TableClass', 'TableClass modification must be the only operation in the request')
  alone('DeletionProtectionEnabled', 'DeletionProtection modification must be the only operation in the request')
  alone('WarmThroughput', 'WarmThroughput must be the only operation in the request')
  if (input.ReplicaUpdates !== undefined && present.length > 1) {
    throw new ValidationException(`${invalid}Replica modification must be the only operation in the request`)
  }
  if (input.OnDemandThroughput !== undefined && present.some((member) => member !== 'OnDemandThroughput' && member !== 'BillingMode')) {
    throw new ValidationException(`${invalid}OnDemandThroughput can only be combined with BillingMode in an UpdateTable request`)
  }
  // Switching to on-demand may come with a stream change; any other capacity change may not.
  const updatesCapacity = input.ProvisionedThroughput !== undefined ||
    (input.BillingMode !== undefined && input.BillingMode !== 'PAY_PER_REQUEST')
  if (updatesCapacity && input.StreamSpecification !== undefined) {
    throw new ValidationException(`${invalid}You cannot modify stream status while updating table IOPS`)
  }
  if ((input.ProvisionedThroughput !== undefined || input.BillingMode !== undefined) && createsOrDeletesIndex(input)) {
    throw new ValidationException(`${invalid}You cannot create or delete index while updating table IOPS`)
  }
  if (input.StreamSpecification !== undefined && createsOrDeletesIndex(input)) {
    throw new ValidationException(`${invalid}You cannot create or delete index while changing stream status`)
  }
}
