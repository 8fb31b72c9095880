/**
 * Building the stored record of a new table from a (validated) CreateTable request.
 */
import { createHash, randomUUID } from 'node:crypto'
import { ValidationException } from '../errors.js'
import type { IndexInput, TableDefinitionInput, ThroughputInput } from './definition-checks.js'
import type {
  BillingMode, GlobalIndexRecord, LocalIndexRecord, Projection, SseDescription, StoredDescription,
  StreamViewType, Tag, TableRecord, ThroughputDescription,
} from './record.js'
import { indexArn, streamArn, streamLabelAt, tableArn } from './describe.js'
import { initialWarmThroughput } from './warm-throughput.js'
import type { OnDemandThroughput } from '../shapes/table-definitions.js'
import { vectorIndexRecord, type VectorIndexInput } from '../vectors/index-definition.js'
import { arnPartition } from '../region-names.js'

export interface StreamSpecificationInput {
  StreamEnabled?: boolean
  StreamViewType?: StreamViewType
}

export interface SseSpecificationInput {
  Enabled?: boolean
  SSEType?: 'KMS' | 'AES256'
  KMSMasterKeyId?: string
}

export interface CreateTableInput extends TableDefinitionInput {
  StreamSpecification?: StreamSpecificationInput
  SSESpecification?: SseSpecificationInput
  Tags?: Tag[]
  TableClass?: string
  DeletionProtectionEnabled?: boolean
  OnDemandThroughput?: OnDemandThroughput
  WarmThroughput?: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number }
  VectorIndexes?: VectorIndexInput[]
}

/** Where the table lives and when it is created. */
export interface Placement {
  region: string
  accountId: string
  nowMs: number
}

export function throughputDescription(billingMode: BillingMode, input?: ThroughputInput): ThroughputDescription {
  if (billingMode === 'PAY_PER_REQUEST' || !input) {
    return { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 }
  }
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: input.ReadCapacityUnits,
    WriteCapacityUnits: input.WriteCapacityUnits,
  }
}

export function projectionOf(index: IndexInput): Projection {
  const projection: Projection = { ProjectionType: index.Projection.ProjectionType as Projection['ProjectionType'] }
  if (index.Projection.NonKeyAttributes) projection.NonKeyAttributes = [...index.Projection.NonKeyAttributes]
  return projection
}

/** A GSI record; `backfilling` for one added to an existing table by UpdateTable. */
export function globalIndexRecord(
  index: IndexInput, billingMode: BillingMode, arn: string, backfilling: boolean,
): GlobalIndexRecord {
  const record: GlobalIndexRecord = {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema.map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
    Projection: projectionOf(index),
    IndexStatus: 'CREATING',
    ProvisionedThroughput: throughputDescription(billingMode, index.ProvisionedThroughput),
    IndexArn: indexArn(arn, index.IndexName),
  }
  if (backfilling) record.Backfilling = true
  if (index.OnDemandThroughput) record.OnDemandThroughput = { ...index.OnDemandThroughput }
  if (index.WarmThroughput) record.WarmThroughput = initialWarmThroughput(index.WarmThroughput, billingMode, record.ProvisionedThroughput)
  return record
}

function localIndexRecord(index: IndexInput, arn: string): LocalIndexRecord {
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema.map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
    Projection: projectionOf(index),
    IndexArn: indexArn(arn, index.IndexName),
  }
}

/**
 * Whether an SSESpecification asks for KMS encryption: `Enabled: true`, or `SSEType: KMS` with
 * `Enabled` left out (DynamoDB reads `{SSEType: KMS}` as on and `{}` as the default encryption).
 */
export function requestsKmsEncryption(input: SseSpecificationInput): boolean {
  return input.Enabled ?? input.SSEType === 'KMS'
}

/**
 * The account's AWS managed key for DynamoDB (alias/aws/dynamodb) in a region: one key ARN shared
 * by every table encrypted without a KMSMasterKeyId, as in DynamoDB. Made up, and stable.
 */
export function awsManagedKeyArn(placement: Pick<Placement, 'region' | 'accountId'>): string {
  return aliasKeyArn('alias/aws/dynamodb', placement)
}

/** The key an alias names: a made-up key id, the same for the same alias, account and region (EddyDB has no KMS). */
function aliasKeyArn(alias: string, placement: Pick<Placement, 'region' | 'accountId'>): string {
  const hex = createHash('sha256').update(`${alias}:${placement.accountId}:${placement.region}`).digest('hex')
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  return `arn:${arnPartition(placement.region)}:kms:${placement.region}:${placement.accountId}:key/${uuid}`
}

/** Whether a KMSMasterKeyId is a key's ARN (not an alias's, nor a bare id). */
export function isKeyArn(keyId: string | undefined): boolean {
  return keyId !== undefined && /^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(keyId)
}

/**
 * The key ARN a KMSMasterKeyId names, as DynamoDB resolves it when the table is written (an
 * API-quirks lab, against AWS, 2026-10, DDB-TABLE-027/-141/-328): a key id or alias in the
 * table's region, `alias/aws/dynamodb` the account's AWS managed key. A key or alias ARN of
 * another region is refused, as KMS does not find it there, multi-Region keys included
 * (`errorScope` names the region in a replica's refusal: " for region us-east-1").
 */
export function kmsKeyArn(keyId: string | undefined, placement: Pick<Placement, 'region' | 'accountId'>, errorScope = ''): string {
  if (keyId === undefined) return awsManagedKeyArn(placement)
  const arn = /^arn:[^:]+:kms:([^:]*):([^:]*):(key|alias)\/(.+)$/.exec(keyId)
  if (arn) {
    if (arn[1] !== placement.region) {
      throw new ValidationException(`KMS validation error${errorScope}: com.amazonaws.services.kms.model.NotFoundException: Invalid arn ${arn[1]} ` +
        `(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: ${randomUUID()}; Proxy: null)`)
    }
    return arn[3] === 'key' ? keyId : aliasKeyArn(`alias/${arn[4]}`, placement)
  }
  if (keyId.startsWith('alias/')) return aliasKeyArn(keyId, placement)
  return `arn:${arnPartition(placement.region)}:kms:${placement.region}:${placement.accountId}:key/${keyId}`
}

export function sseDescription(input: SseSpecificationInput | undefined, placement: Placement): SseDescription | undefined {
  if (!input || !requestsKmsEncryption(input)) return undefined
  return { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: kmsKeyArn(input.KMSMasterKeyId, placement) }
}

/** Sets StreamSpecification and a new LatestStreamArn/Label on an enabled stream. */
export function enableStream(description: StoredDescription, viewType: StreamViewType, nowMs: number): void {
  const label = streamLabelAt(nowMs)
  description.StreamSpecification = { StreamEnabled: true, StreamViewType: viewType }
  description.LatestStreamLabel = label
  description.LatestStreamArn = streamArn(description.TableArn, label)
}

/** A table created PROVISIONED has no BillingModeSummary, BillingMode sent or not (DDB-TABLE-025). */
function billingSummary(input: CreateTableInput, createdSeconds: number): StoredDescription['BillingModeSummary'] {
  if (input.BillingMode === 'PAY_PER_REQUEST') {
    return { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: createdSeconds }
  }
  return undefined
}

export function newTableRecord(input: CreateTableInput, placement: Placement, createDelayMs: number): TableRecord {
  const billingMode: BillingMode = input.BillingMode ?? 'PROVISIONED'
  const arn = tableArn(placement.region, placement.accountId, input.TableName)
  const createdSeconds = placement.nowMs / 1000
  const description: StoredDescription = {
    AttributeDefinitions: input.AttributeDefinitions.map(({ AttributeName, AttributeType }) => ({ AttributeName, AttributeType })),
    TableName: input.TableName,
    KeySchema: input.KeySchema.map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
    TableStatus: 'CREATING',
    CreationDateTime: createdSeconds,
    ProvisionedThroughput: throughputDescription(billingMode, input.ProvisionedThroughput),
    TableArn: arn,
    TableId: randomUUID(),
    DeletionProtectionEnabled: input.DeletionProtectionEnabled === true,
  }
  const billing = billingSummary(input, createdSeconds)
  if (billing) description.BillingModeSummary = billing
  if (input.LocalSecondaryIndexes) {
    description.LocalSecondaryIndexes = input.LocalSecondaryIndexes.map((index) => localIndexRecord(index, arn))
  }
  if (input.GlobalSecondaryIndexes) {
    description.GlobalSecondaryIndexes = input.GlobalSecondaryIndexes.map((index) =>
      globalIndexRecord(index, billingMode, arn, false))
  }
  if (input.VectorIndexes?.length) description.VectorIndexes = input.VectorIndexes.map((index) => vectorIndexRecord(index, arn))
  const stream = input.StreamSpecification
  if (stream?.StreamEnabled && stream.StreamViewType) enableStream(description, stream.StreamViewType, placement.nowMs)
  const sse = sseDescription(input.SSESpecification, placement)
  if (sse) description.SSEDescription = sse
  if (input.TableClass) description.TableClassSummary = { TableClass: input.TableClass }
  if (input.OnDemandThroughput) description.OnDemandThroughput = { ...input.OnDemandThroughput }
  if (input.WarmThroughput) description.WarmThroughput = initialWarmThroughput(input.WarmThroughput, billingMode, description.ProvisionedThroughput)
  return {
    version: 1,
    description,
    settlesAtMs: placement.nowMs + createDelayMs,
    tags: (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value })),
  }
}
