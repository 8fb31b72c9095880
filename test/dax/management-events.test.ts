/**
 * DAX DescribeEvents through @aws-sdk/client-dax: the events of what the management API did in a
 * region, filtered by source and time and paged newest first. Reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_dax_DescribeEvents.html
 * The order and the messages "Cluster created.", "Removed node <id>." and "Cluster deleted." are
 * DAX's (the AWS CLI's describe-events example); the other messages are ours (src/dax/management/
 * events.ts). Time is a clock the test moves, so no test depends on how long anything takes.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateClusterCommand,
  CreateParameterGroupCommand,
  CreateSubnetGroupCommand,
  DecreaseReplicationFactorCommand,
  DeleteClusterCommand,
  DeleteParameterGroupCommand,
  DeleteSubnetGroupCommand,
  DescribeEventsCommand,
  IncreaseReplicationFactorCommand,
  RebootNodeCommand,
  UpdateParameterGroupCommand,
  UpdateSubnetGroupCommand,
  type DAXClient,
  type DescribeEventsCommandInput,
} from '@aws-sdk/client-dax'
import { DaxEvents, eventsPerRegionMax } from '../../src/dax/management/events.js'
import { clusterRequest, errorOf, startManagementServer, type ManagementServer } from './management-fixtures.js'

const hourMs = 60 * 60 * 1000
const dayMs = 24 * hourMs
let nowMs = Date.UTC(2026, 0, 1)
const clock = { now: () => nowMs }

let server: ManagementServer
before(async () => { server = await startManagementServer({ clock }) })
after(async () => { await server.close() })

/** Every page of events, newest first, as [source, message]. */
async function eventsOf(client: DAXClient, input: DescribeEventsCommandInput = {}): Promise<string[][]> {
  const events: string[][] = []
  let NextToken: string | undefined
  do {
    const page = await client.send(new DescribeEventsCommand({ ...input, NextToken }))
    events.push(...(page.Events ?? []).map((event) => [event.SourceType!, event.SourceName!, event.Message!]))
    NextToken = page.NextToken
  } while (NextToken !== undefined)
  return events
}

describe('events of what the API did', () => {
  test('a cluster\'s life: created, nodes added, rebooted and removed, deleted; newest first', async () => {
    const client = server.newDaxClient('eu-central-1')
    await client.send(new CreateClusterCommand(clusterRequest('lifecycle', 1)))
    nowMs += 1000
    await client.send(new IncreaseReplicationFactorCommand({ ClusterName: 'lifecycle', NewReplicationFactor: 3 }))
    nowMs += 1000
    await client.send(new RebootNodeCommand({ ClusterName: 'lifecycle', NodeId: 'lifecycle-b' }))
    nowMs += 1000
    await client.send(new DecreaseReplicationFactorCommand({ ClusterName: 'lifecycle', NewReplicationFactor: 2, NodeIdsToRemove: ['lifecycle-c'] }))
    nowMs += 1000
    await client.send(new DeleteClusterCommand({ ClusterName: 'lifecycle' }))

    const { Events } = await client.send(new DescribeEventsCommand({}))
    assert.deepEqual(Events?.map((event) => [event.SourceType, event.SourceName, event.Message]), [
      ['CLUSTER', 'lifecycle', 'Cluster deleted.'],
      ['CLUSTER', 'lifecycle', 'Removed node lifecycle-b.'],
      ['CLUSTER', 'lifecycle', 'Removed node lifecycle-a.'],
      ['CLUSTER', 'lifecycle', 'Removed node lifecycle-c.'],
      ['CLUSTER', 'lifecycle', 'Rebooted node lifecycle-b.'],
      ['CLUSTER', 'lifecycle', 'Added node lifecycle-c.'],
      ['CLUSTER', 'lifecycle', 'Added node lifecycle-b.'],
      ['CLUSTER', 'lifecycle', 'Cluster created.'],
    ])
    // Dates are the clock's, newest first.
    const dates = Events!.map((event) => event.Date!.getTime())
    assert.equal(dates[0], nowMs)
    assert.equal(dates.at(-1), nowMs - 4000)
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a))
  })

  test('parameter groups and subnet groups have events of their own; failed calls leave none', async () => {
    const client = server.newDaxClient('eu-north-1')
    await client.send(new CreateParameterGroupCommand({ ParameterGroupName: 'ttls' }))
    await client.send(new UpdateParameterGroupCommand({
      ParameterGroupName: 'ttls', ParameterNameValues: [{ ParameterName: 'query-ttl-millis', ParameterValue: '0' }],
    }))
    await client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'Nets', SubnetIds: ['subnet-12345678'] }))
    await client.send(new UpdateSubnetGroupCommand({ SubnetGroupName: 'nets', Description: 'renamed nothing' }))
    await errorOf(() => client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'nets', SubnetIds: ['subnet-12345678'] })))
    await errorOf(() => client.send(new DeleteParameterGroupCommand({ ParameterGroupName: 'missing' })))
    await client.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'nets' }))
    await client.send(new DeleteParameterGroupCommand({ ParameterGroupName: 'ttls' }))

    assert.deepEqual(await eventsOf(client), [
      ['PARAMETER_GROUP', 'ttls', 'Parameter group deleted.'],
      ['SUBNET_GROUP', 'nets', 'Subnet group deleted.'],
      ['SUBNET_GROUP', 'nets', 'Subnet group updated.'],
      ['SUBNET_GROUP', 'nets', 'Subnet group created.'],
      ['PARAMETER_GROUP', 'ttls', 'Parameter group updated.'],
      ['PARAMETER_GROUP', 'ttls', 'Parameter group created.'],
    ])
    assert.deepEqual(await eventsOf(client, { SourceType: 'SUBNET_GROUP' }), [
      ['SUBNET_GROUP', 'nets', 'Subnet group deleted.'],
      ['SUBNET_GROUP', 'nets', 'Subnet group updated.'],
      ['SUBNET_GROUP', 'nets', 'Subnet group created.'],
    ])
    assert.deepEqual((await eventsOf(client, { SourceName: 'ttls', SourceType: 'PARAMETER_GROUP' })).map((event) => event[2]),
      ['Parameter group deleted.', 'Parameter group updated.', 'Parameter group created.'])
    assert.deepEqual(await eventsOf(client, { SourceName: 'ttls', SourceType: 'CLUSTER' }), [])
    // Each region keeps its own.
    assert.deepEqual(await eventsOf(server.newDaxClient('sa-east-1')), [])
  })

  test('pages of MaxResults, newest first; events recorded between pages do not shift the next page', async () => {
    const client = server.newDaxClient('us-west-1')
    for (let index = 0; index < 25; index++) {
      await client.send(new CreateSubnetGroupCommand({ SubnetGroupName: `paged-${index}`, SubnetIds: ['subnet-12345678'] }))
    }
    const first = await client.send(new DescribeEventsCommand({ MaxResults: 20 }))
    assert.deepEqual(first.Events?.map((event) => event.SourceName), Array.from({ length: 20 }, (_, index) => `paged-${24 - index}`))
    assert.ok(first.NextToken)
    await client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'latecomer', SubnetIds: ['subnet-12345678'] }))
    const second = await client.send(new DescribeEventsCommand({ MaxResults: 20, NextToken: first.NextToken }))
    assert.deepEqual(second.Events?.map((event) => event.SourceName), ['paged-4', 'paged-3', 'paged-2', 'paged-1', 'paged-0'])
    assert.equal(second.NextToken, undefined)
    const bad = await errorOf(() => client.send(new DescribeEventsCommand({ NextToken: 'not a token' })))
    assert.equal(bad.name, 'InvalidParameterValueException')
  })
})

describe('the time DescribeEvents covers', () => {
  test('the last 24 hours by default; StartTime, EndTime and Duration (minutes) choose another range; 14 days at most', async () => {
    const client = server.newDaxClient('ap-northeast-2')
    const createdMs = nowMs
    await client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'old', SubnetIds: ['subnet-12345678'] }))
    nowMs += 25 * hourMs
    await client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'new', SubnetIds: ['subnet-12345678'] }))
    const names = async (input: DescribeEventsCommandInput) => (await eventsOf(client, input)).map((event) => event[1])

    assert.deepEqual(await names({}), ['new'])
    assert.deepEqual(await names({ Duration: 26 * 60 }), ['new', 'old'])
    assert.deepEqual(await names({ Duration: 60 }), ['new'])
    assert.deepEqual(await names({ StartTime: new Date(createdMs) }), ['new', 'old'])
    assert.deepEqual(await names({ StartTime: new Date(createdMs), EndTime: new Date(createdMs + hourMs) }), ['old'])
    assert.deepEqual(await names({ StartTime: new Date(createdMs), Duration: 60 }), ['old'])
    assert.deepEqual(await names({ EndTime: new Date(createdMs), Duration: 1 }), ['old'])
    assert.deepEqual(await names({ StartTime: new Date(nowMs + 1000) }), [])

    // DAX keeps 14 days of events: after 15 more days the first is gone, whatever the range asked.
    nowMs += 15 * dayMs - 25 * hourMs
    assert.deepEqual(await names({ StartTime: new Date(createdMs - dayMs) }), ['new'])
  })

  test('refuses a range that ends before it starts, a negative Duration, and all three bounds at once', async () => {
    const start = new Date(nowMs)
    const backwards = await errorOf(() => server.dax.send(new DescribeEventsCommand({ StartTime: start, EndTime: new Date(nowMs - 1000) })))
    assert.equal(backwards.name, 'InvalidParameterValueException')
    const negative = await errorOf(() => server.dax.send(new DescribeEventsCommand({ Duration: -1 })))
    assert.equal(negative.name, 'InvalidParameterValueException')
    const all = await errorOf(() => server.dax.send(new DescribeEventsCommand({ StartTime: start, EndTime: start, Duration: 5 })))
    assert.equal(all.name, 'InvalidParameterCombinationException')
    const unknownType = await errorOf(() => server.dax.send(new DescribeEventsCommand({ SourceType: 'NODE' as never })))
    assert.equal(unknownType.name, 'ValidationException')
  })
})

describe('the event log of a region', () => {
  test(`keeps the newest ${eventsPerRegionMax} events`, () => {
    const events = new DaxEvents(() => nowMs)
    for (let index = 0; index <= eventsPerRegionMax; index++) events.record('CLUSTER', `c${index}`, 'Cluster created.')
    const names: string[] = []
    let NextToken: string | undefined
    do {
      const page = events.describe({ NextToken })
      names.push(...page.Events.map((event) => event.SourceName))
      NextToken = page.NextToken
    } while (NextToken !== undefined)
    assert.equal(names.length, eventsPerRegionMax)
    assert.equal(names[0], `c${eventsPerRegionMax}`)
    assert.equal(names.at(-1), 'c1')
  })
})
