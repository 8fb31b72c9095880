/** The kind of source a mapping reads: a DynamoDB stream or a Kinesis stream. */
import type { Transaction } from '../../storage/engine.js'
import { isKinesisMapping, type MappingRecord } from '../mapping.js'
import type { SourceDeps, SourcePlan } from '../record-source.js'
import { dynamoDbStreamKind } from './dynamodb-stream.js'
import { kinesisStreamKind } from './kinesis-shards.js'

export function startCheckpoints(tx: Transaction, mapping: MappingRecord): Promise<void> {
  return isKinesisMapping(mapping) ? kinesisStreamKind.startCheckpoints(tx, mapping) : dynamoDbStreamKind.startCheckpoints(tx, mapping)
}

export function forgetCheckpoints(tx: Transaction, mapping: MappingRecord): Promise<void> {
  return isKinesisMapping(mapping) ? kinesisStreamKind.forgetCheckpoints(tx, mapping) : dynamoDbStreamKind.forgetCheckpoints(tx, mapping)
}

export function sourcePlanOf(mapping: MappingRecord, deps: SourceDeps): SourcePlan {
  return isKinesisMapping(mapping) ? kinesisStreamKind.plan(deps) : dynamoDbStreamKind.plan(deps)
}
