/**
 * DynamoDB's Kinesis streaming destination operations: Enable, Disable, Describe and Update.
 * A destination becomes ACTIVE (or DISABLED) as soon as the call commits, or ENABLE_FAILED when
 * its stream cannot take the changes; the reply shows the transitional status DynamoDB answers
 * with (ENABLING, DISABLING, UPDATING).
 */
import type { OperationHandler, RequestContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import type { Transaction } from '../storage/engine.js'
import type { KinesisDestinationInput } from '../shapes/kinesis-streaming-destination.js'
import type { TableRecord } from '../tables/record.js'
import { loadStream } from '../kinesis/stream-store.js'
import {
  loadDestinations, saveDestinations, startCursor, stopCursor, type Destination, type TableDestinations,
} from '../kinesis/destinations.js'

const notValidToEnable = 'Table is not in a valid state to enable Kinesis Streaming Destination: '

export const enableKinesisStreamingDestination: OperationHandler<KinesisDestinationInput> = async (ctx, input) => {
  const record = ctx.catalog.requireRecord(input.TableName)
  const precision = input.EnableKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision
  await changeDestinations(ctx, record, async (tx, entry) => {
    const existing = entry.destinations.find((destination) => destination.streamArn === input.StreamArn)
    // One live destination per table: while one is ACTIVE, enabling any other stream gets the same
    // answer (DDB-TABLE-299 and -268 of an API-quirks lab, against AWS, 2026-10).
    const live = entry.destinations.some((destination) => destination.streamArn !== input.StreamArn && destination.status === 'ACTIVE')
    if (live || (existing && existing.status !== 'DISABLED' && existing.status !== 'ENABLE_FAILED')) {
      throw new ValidationException(`${notValidToEnable}EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.`)
    }
    const problem = await streamProblem(ctx, tx, input.StreamArn)
    const destination: Destination = problem === undefined
      ? { streamArn: input.StreamArn, status: 'ACTIVE', skippedRecords: existing?.skippedRecords ?? 0 }
      : { streamArn: input.StreamArn, status: 'ENABLE_FAILED', statusDescription: problem, skippedRecords: existing?.skippedRecords ?? 0 }
    if (precision) destination.precision = precision
    entry.destinations = [...entry.destinations.filter((other) => other !== existing), destination]
    if (problem === undefined) await startCursor(tx, entry.tableId, input.StreamArn)
  })
  return {
    TableName: record.description.TableName, StreamArn: input.StreamArn, DestinationStatus: 'ENABLING',
    EnableKinesisStreamingConfiguration: input.EnableKinesisStreamingConfiguration ?? {},
  }
}

export const disableKinesisStreamingDestination: OperationHandler<KinesisDestinationInput> = async (ctx, input) => {
  const record = ctx.catalog.requireRecord(input.TableName)
  // DDB-TABLE-301 of the same lab.
  if (input.EnableKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision !== undefined) {
    throw new ValidationException('Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters')
  }
  await changeDestinations(ctx, record, async (tx, entry) => {
    const existing = entry.destinations.find((destination) => destination.streamArn === input.StreamArn)
    if (!existing || existing.status !== 'ACTIVE') {
      // DynamoDB's words, "enable" included (an API-quirks lab finding, DDB-TABLE-302 and DDB-TABLE-442).
      throw new ValidationException('Table is not in a valid state to enable Kinesis Streaming Destination: ' +
        'KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.')
    }
    existing.status = 'DISABLED'
    await stopCursor(tx, entry.tableId, input.StreamArn)
  })
  return {
    TableName: record.description.TableName, StreamArn: input.StreamArn, DestinationStatus: 'DISABLING',
    ...(input.EnableKinesisStreamingConfiguration ? { EnableKinesisStreamingConfiguration: input.EnableKinesisStreamingConfiguration } : {}),
  }
}

export const updateKinesisStreamingDestination: OperationHandler<KinesisDestinationInput> = async (ctx, input) => {
  const record = ctx.catalog.requireRecord(input.TableName)
  const precision = input.UpdateKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision
  if (!precision) {
    throw new ValidationException('Streaming destination cannot be updated with given parameters: ' +
      'UpdateKinesisStreamingConfiguration cannot be null or contain only null values')
  }
  await changeDestinations(ctx, record, async (_tx, entry) => {
    const existing = entry.destinations.find((destination) => destination.streamArn === input.StreamArn)
    if (!existing) {
      throw new ValidationException(`${notValidToEnable}No streaming destination with streamArn: ${input.StreamArn} found for table with tableName: ${record.description.TableName}`)
    }
    // A destination that is not ACTIVE (disabled, or failed to enable), as the API-quirks lab's catalogue recorded it (2026-10).
    if (existing.status !== 'ACTIVE') {
      throw new ValidationException(`${notValidToEnable}Kinesis streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. ` +
        `TableName: ${record.description.TableName}, kdsArn: ${input.StreamArn}`)
    }
    if ((existing.precision ?? 'MILLISECOND') === precision) {
      throw new ValidationException(`Invalid Request: Precision is already set to the desired value of ${precision} for tableId: ${entry.tableId}, kdsArn: ${input.StreamArn}`)
    }
    existing.precision = precision
  })
  return {
    TableName: record.description.TableName, StreamArn: input.StreamArn, DestinationStatus: 'UPDATING',
    UpdateKinesisStreamingConfiguration: input.UpdateKinesisStreamingConfiguration,
  }
}

export const describeKinesisStreamingDestination: OperationHandler<{ TableName: string }> = async (ctx, input) => {
  const record = ctx.catalog.requireRecord(input.TableName)
  const entry = await ctx.storage.read((view) => loadDestinations(view, record.description.TableId))
  return {
    TableName: record.description.TableName,
    KinesisDataStreamDestinations: (entry?.destinations ?? []).map((destination) => ({
      StreamArn: destination.streamArn,
      DestinationStatus: destination.status,
      ...(destination.statusDescription ? { DestinationStatusDescription: destination.statusDescription } : {}),
      ...(destination.precision ? { ApproximateCreationDateTimePrecision: destination.precision } : {}),
    })),
  }
}

async function changeDestinations(ctx: RequestContext, record: TableRecord,
  change: (tx: Transaction, entry: TableDestinations) => Promise<void>): Promise<void> {
  const tableId = record.description.TableId
  await ctx.storage.transact(async (tx) => {
    const entry = (await loadDestinations(tx, tableId)) ?? { tableId, tableName: record.description.TableName, destinations: [] }
    await change(tx, entry)
    await saveDestinations(tx, entry)
  })
}

/**
 * Why the stream an ARN names cannot take the table's changes, in the words DynamoDB gives as the
 * destination's DestinationStatusDescription, or undefined when it can. DynamoDB never refuses
 * the Enable call for this: it answers ENABLING and the destination turns ENABLE_FAILED (an
 * API-quirks lab's DDB-TABLE-318, verified against DynamoDB in 2026; a missing stream is
 * described as a permission problem). Here the destination is ENABLE_FAILED at once.
 */
async function streamProblem(ctx: RequestContext, tx: Transaction, streamArn: string): Promise<string | undefined> {
  const [, , service, region, account, resource = ''] = streamArn.split(':')
  if (service === 'kinesis' && region !== ctx.region) {
    return 'The kinesis Arn used to enable kinesis replication belongs to a stream which is not in the current region'
  }
  if (service === 'kinesis' && account !== ctx.accountId) {
    return 'The kinesis Arn used to enable kinesis replication belongs to a stream which is not in Active state'
  }
  const state = service === 'kinesis' && resource.startsWith('stream/') ? await loadStream(tx, resource.slice('stream/'.length)) : undefined
  if (!state || state.arn !== streamArn) return 'User does not have a permission to use kinesis stream'
  return undefined
}
