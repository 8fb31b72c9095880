/**
 * The Kinesis operations beyond records and shards, through the JS v3 SDK: capacity mode,
 * shard-level metrics, the account's limits, and tags and resource policies named by ARN (of a
 * stream or of a consumer).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  AddTagsToStreamCommand, CreateStreamCommand, DeleteResourcePolicyCommand, DeleteStreamCommand, DeregisterStreamConsumerCommand,
  DescribeLimitsCommand, DescribeStreamCommand, DescribeStreamSummaryCommand, DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand, GetResourcePolicyCommand, ListStreamConsumersCommand, ListTagsForResourceCommand, ListTagsForStreamCommand,
  GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, PutRecordsCommand, PutResourcePolicyCommand, RegisterStreamConsumerCommand,
  TagResourceCommand, UntagResourceCommand, UpdateMaxRecordSizeCommand, UpdateStreamModeCommand, type KinesisClient,
} from '@aws-sdk/client-kinesis'
import { expectError } from '../helpers/errors.js'
import { startKinesisServer, uniqueStreamName, type KinesisTestServer } from './fixtures.js'

let fixture: KinesisTestServer
let kinesis: KinesisClient

before(async () => {
  fixture = await startKinesisServer()
  kinesis = fixture.kinesis
})
after(() => fixture.close())

async function createStream(shards?: number): Promise<{ name: string; arn: string }> {
  const name = uniqueStreamName()
  await kinesis.send(new CreateStreamCommand(shards === undefined
    ? { StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } } : { StreamName: name, ShardCount: shards }))
  const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))
  return { name, arn: summary!.StreamARN! }
}

const policyOf = (resource: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kinesis:GetRecords', Resource: resource }],
})

describe('capacity mode', () => {
  test('UpdateStreamMode switches both ways and keeps the shards', async () => {
    const { name, arn } = await createStream(3)
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN: arn, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    let summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
    assert.equal(summary.StreamModeDetails!.StreamMode, 'ON_DEMAND')
    assert.equal(summary.StreamStatus, 'ACTIVE')
    assert.equal(summary.OpenShardCount, 3)
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN: arn, StreamModeDetails: { StreamMode: 'PROVISIONED' } }))
    summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
    assert.equal(summary.StreamModeDetails!.StreamMode, 'PROVISIONED')
    assert.equal(summary.OpenShardCount, 3)
  })

  test('UpdateStreamMode checks its input and its stream', async () => {
    const { arn } = await createStream(1)
    const error = await expectError(kinesis.send(new UpdateStreamModeCommand({
      StreamARN: arn, StreamModeDetails: { StreamMode: 'BURST' as 'ON_DEMAND' },
    })), 'ValidationException')
    assert.match(error.message, /Value 'BURST' at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must satisfy enum value set: \[PROVISIONED, ON_DEMAND\]/)
    const missing = arn.replace(/stream\/.*$/, 'stream/no-such-stream')
    await expectError(kinesis.send(new UpdateStreamModeCommand({ StreamARN: missing, StreamModeDetails: { StreamMode: 'ON_DEMAND' } })),
      'ResourceNotFoundException', 'Stream no-such-stream under account 000000000000 not found.')
  })
})

describe('maximum record size', () => {
  test('a stream takes records up to its maximum, 1 MiB unless raised (up to 10 MiB), and gives them back whole', async () => {
    const { name, arn } = await createStream(1)
    assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.MaxRecordSizeInKiB, 1024)
    const large = Buffer.alloc(3 * 1024 * 1024, 7)
    const refused = await expectError(kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: large })), 'ValidationException')
    assert.match(refused.message, /at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576$/)
    const inBatch = await expectError(kinesis.send(new PutRecordsCommand({
      StreamName: name, Records: [{ PartitionKey: 'k', Data: Buffer.from('small') }, { PartitionKey: 'k', Data: large }],
    })), 'ValidationException')
    assert.match(inBatch.message, /at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576$/)

    await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: arn, MaxRecordSizeInKiB: 4096 }))
    assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.MaxRecordSizeInKiB, 4096)
    const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: large }))
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: put.ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber,
    }))
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }))
    assert.ok(Buffer.from(Records![0]!.Data!).equals(large))
    await expectError(kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(4 * 1024 * 1024 + 1) })),
      'ValidationException', /less than or equal to 4194304$/)
    // Such a stream takes up to 10 MiB per PutRecords, where others take 5.
    const batch = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'k', Data: large }, { PartitionKey: 'k', Data: large }] }))
    assert.equal(batch.Records!.length, 2)
    const larger = Buffer.alloc(3.5 * 1024 * 1024)
    await expectError(kinesis.send(new PutRecordsCommand({ StreamName: name, Records: Array.from({ length: 3 }, () => ({ PartitionKey: 'k', Data: larger })) })),
      'InvalidArgumentException', 'Records size exceeds 10 MB limit')
  })

  test('CreateStream sets it; both refuse a size outside 1024 to 10240 KiB', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, MaxRecordSizeInKiB: 10240 }))
    const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(summary!.MaxRecordSizeInKiB, 10240)
    await expectError(kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: summary!.StreamARN, MaxRecordSizeInKiB: 1023 })), 'ValidationException',
      /Value '1023' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value greater than or equal to 1024/)
    await expectError(kinesis.send(new CreateStreamCommand({ StreamName: uniqueStreamName(), ShardCount: 1, MaxRecordSizeInKiB: 10241 })), 'ValidationException',
      /Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240/)
  })
})

describe('enhanced monitoring', () => {
  test('metrics are enabled and disabled by name or ALL, answered before and after, and described', async () => {
    const { name, arn } = await createStream(1)
    const enabled = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['OutgoingBytes', 'IncomingBytes'] }))
    assert.equal(enabled.StreamName, name)
    assert.equal(enabled.StreamARN, arn)
    assert.deepEqual(enabled.CurrentShardLevelMetrics, [])
    assert.deepEqual(enabled.DesiredShardLevelMetrics, ['IncomingBytes', 'OutgoingBytes'])
    const described = await kinesis.send(new DescribeStreamCommand({ StreamName: name }))
    assert.deepEqual(described.StreamDescription!.EnhancedMonitoring, [{ ShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'] }])

    const all = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamARN: arn, ShardLevelMetrics: ['ALL'] }))
    assert.deepEqual(all.CurrentShardLevelMetrics, ['IncomingBytes', 'OutgoingBytes'])
    assert.equal(all.DesiredShardLevelMetrics!.length, 7)

    const fewer = await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['IteratorAgeMilliseconds'] }))
    assert.equal(fewer.CurrentShardLevelMetrics!.length, 7)
    assert.deepEqual(fewer.DesiredShardLevelMetrics, [
      'IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded',
    ])
    const none = await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['ALL'] }))
    assert.deepEqual(none.DesiredShardLevelMetrics, [])
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.deepEqual(summary.StreamDescriptionSummary!.EnhancedMonitoring, [{ ShardLevelMetrics: [] }])
  })

  test('an unknown metric or an empty list is a validation error', async () => {
    const { name } = await createStream(1)
    const unknown = await expectError(kinesis.send(new EnableEnhancedMonitoringCommand({
      StreamName: name, ShardLevelMetrics: ['Latency' as 'ALL'],
    })), 'ValidationException')
    assert.match(unknown.message, /Value 'Latency' at 'shardLevelMetrics.1.member' failed to satisfy constraint: Member must satisfy enum value set/)
    await expectError(kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: [] })), 'ValidationException',
      /at 'shardLevelMetrics' failed to satisfy constraint: Member must have length greater than or equal to 1/)
  })
})

test('DescribeLimits counts the open shards and on-demand streams of the region', async () => {
  const before = await kinesis.send(new DescribeLimitsCommand({}))
  assert.equal(before.ShardLimit, 500)
  assert.equal(before.OnDemandStreamCountLimit, 50)
  const provisioned = await createStream(2)
  await createStream()
  const after = await kinesis.send(new DescribeLimitsCommand({}))
  assert.equal(after.OpenShardCount, before.OpenShardCount! + 2 + 4)
  assert.equal(after.OnDemandStreamCount, before.OnDemandStreamCount! + 1)
  await kinesis.send(new DeleteStreamCommand({ StreamName: provisioned.name }))
  assert.equal((await kinesis.send(new DescribeLimitsCommand({}))).OpenShardCount, before.OpenShardCount! + 4)
})

describe('tags by resource ARN', () => {
  test('a stream’s tags are the same through either set of operations', async () => {
    const { name, arn } = await createStream(1)
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { team: 'data' } }))
    await kinesis.send(new TagResourceCommand({ ResourceARN: arn, Tags: { env: 'test', cost: 'x' } }))
    await kinesis.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['cost'] }))
    const listed = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arn }))
    assert.deepEqual(listed.Tags, [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'data' }])
    assert.deepEqual((await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags, listed.Tags)
  })

  test('a consumer has tags of its own, gone with it', async () => {
    const { arn } = await createStream(1)
    const { Consumer: consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'reader' }))
    await kinesis.send(new TagResourceCommand({ ResourceARN: consumer!.ConsumerARN, Tags: { owner: 'analytics' } }))
    assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: consumer!.ConsumerARN }))).Tags, [{ Key: 'owner', Value: 'analytics' }])
    assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [])
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumer!.ConsumerARN }))
    await expectError(kinesis.send(new ListTagsForResourceCommand({ ResourceARN: consumer!.ConsumerARN })), 'ResourceNotFoundException')
  })

  test('more than 50 tags on one resource are refused whole', async () => {
    const { arn } = await createStream(1)
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v']))
    await expectError(kinesis.send(new TagResourceCommand({ ResourceARN: arn, Tags: many })), 'InvalidArgumentException', /cannot have more than 50 tags/)
    assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [])
  })

  // Kinesis's model gives a tag key 1 to 128 characters on every way in. A key outside that is
  // refused by RemoveTagsFromStream and UntagResource too, so one let in could never be removed.
  test('a tag key of 0 or 129 characters is refused wherever tags are added', async () => {
    const { name, arn } = await createStream(1)
    const { Consumer: consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'reader' }))
    const longKey = 'k'.repeat(129)
    const keyRule = 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, ' +
      'Member must have length greater than or equal to 1]'
    await expectError(kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { [longKey]: 'v' } })), 'ValidationException',
      `1 validation error detected: Value '{${longKey}=v}' at 'tags' failed to satisfy constraint: ${keyRule}`)
    for (const Tags of [{ [longKey]: 'v' }, { '': 'v' }]) {
      await expectError(kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags })), 'ValidationException', /at 'tags' failed to satisfy constraint: Map keys must/)
      await expectError(kinesis.send(new TagResourceCommand({ ResourceARN: arn, Tags })), 'ValidationException', /at 'tags' failed to satisfy constraint: Map keys must/)
      await expectError(kinesis.send(new TagResourceCommand({ ResourceARN: consumer!.ConsumerARN, Tags })), 'ValidationException', /Map keys must/)
      await expectError(kinesis.send(new CreateStreamCommand({ StreamName: uniqueStreamName(), ShardCount: 1, Tags })), 'ValidationException', /Map keys must/)
    }
    // Keys of 1 and 128 characters are fine, and so is an empty value; a value of 257 is not.
    await kinesis.send(new TagResourceCommand({ ResourceARN: arn, Tags: { k: '', [longKey.slice(1)]: 'v' } }))
    await expectError(kinesis.send(new TagResourceCommand({ ResourceARN: arn, Tags: { k: 'v'.repeat(257) } })), 'ValidationException',
      `1 validation error detected: Value '{k=${'v'.repeat(257)}}' at 'tags' failed to satisfy constraint: ` +
      'Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]')
    assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags!.map((tag) => tag.Key), ['k', longKey.slice(1)])
    assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: consumer!.ConsumerARN }))).Tags, [])
  })

  // RegisterStreamConsumer takes Tags (the model's TagMap): they hold from the CREATING status on,
  // as Kinesis's reference says, and are checked as TagResource's are.
  test('RegisterStreamConsumer tags the consumer it registers', async () => {
    const { arn } = await createStream(1)
    const { Consumer: consumer } = await kinesis.send(new RegisterStreamConsumerCommand({
      StreamARN: arn, ConsumerName: 'tagged', Tags: { team: 'analytics', env: 'test' },
    }))
    assert.equal(consumer!.ConsumerStatus, 'CREATING')
    assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: consumer!.ConsumerARN }))).Tags,
      [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'analytics' }])
    assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [])
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v']))
    await expectError(kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'overtagged', Tags: many })),
      'InvalidArgumentException', /cannot have more than 50 tags/)
    await expectError(kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'badly-tagged', Tags: { '': 'v' } })),
      'ValidationException', /at 'tags' failed to satisfy constraint: Map keys must/)
    // Refused whole: no consumer was registered.
    assert.deepEqual((await kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn }))).Consumers!.map((each) => each.ConsumerName), ['tagged'])
  })
})

describe('resource policies', () => {
  test('a stream’s policy is put, read back as it was put, and deleted', async () => {
    const { name, arn } = await createStream(1)
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}')
    const policy = policyOf(arn)
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: policy }))
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, policy)
    await kinesis.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }))
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}')
    await expectError(kinesis.send(new DeleteResourcePolicyCommand({ ResourceARN: arn })), 'ResourceNotFoundException',
      `No resource policy found for resource ARN ${arn}.`)
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: policy }))
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }))
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}')
  })

  test('a consumer’s policy is its own; a policy that is not a JSON object, or of no resource, is refused', async () => {
    const { arn } = await createStream(1)
    const { Consumer: consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'reader' }))
    const policy = policyOf(consumer!.ConsumerARN!)
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: consumer!.ConsumerARN, Policy: policy }))
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: consumer!.ConsumerARN }))).Policy, policy)
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}')
    await expectError(kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: 'not json' })), 'InvalidArgumentException')
    await expectError(kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: '[]' })), 'InvalidArgumentException')
    const missing = arn.replace(/stream\/.*$/, 'stream/no-such-stream')
    await expectError(kinesis.send(new GetResourcePolicyCommand({ ResourceARN: missing })), 'ResourceNotFoundException',
      'Stream no-such-stream under account 000000000000 not found.')
    await expectError(kinesis.send(new GetResourcePolicyCommand({ ResourceARN: 'arn:aws:s3:::bucket' })), 'ValidationException',
      /at 'resourceARN' failed to satisfy constraint: Member must satisfy regular expression pattern/)
  })
})
