/**
 * DAX parameter groups through @aws-sdk/client-dax: the default group, custom groups, and how
 * their two TTLs (record-ttl-millis, query-ttl-millis) reach running nodes. Reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAX.cluster-management.html#DAX.cluster-management.custom-settings.ttl
 * The expected parameter metadata is what the AWS CLI's own examples show DAX returning.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateClusterCommand,
  CreateParameterGroupCommand,
  DeleteParameterGroupCommand,
  DescribeDefaultParametersCommand,
  DescribeParameterGroupsCommand,
  DescribeParametersCommand,
  UpdateClusterCommand,
  UpdateParameterGroupCommand,
} from '@aws-sdk/client-dax'
import { clusterRequest, errorOf, startManagementServer, type ManagementServer } from './management-fixtures.js'

let server: ManagementServer
before(async () => { server = await startManagementServer() })
after(async () => { await server.close() })

const defaultParameters = [
  {
    ParameterName: 'query-ttl-millis', ParameterType: 'DEFAULT', ParameterValue: '300000', NodeTypeSpecificValues: [],
    Description: 'Duration in milliseconds for queries to remain cached',
    Source: 'user', DataType: 'integer', AllowedValues: '0-', IsModifiable: 'TRUE', ChangeType: 'IMMEDIATE',
  },
  {
    ParameterName: 'record-ttl-millis', ParameterType: 'DEFAULT', ParameterValue: '300000', NodeTypeSpecificValues: [],
    Description: 'Duration in milliseconds for records to remain valid in cache (Default: 0 = infinite)',
    Source: 'user', DataType: 'integer', AllowedValues: '0-', IsModifiable: 'TRUE', ChangeType: 'IMMEDIATE',
  },
]

const ttlsOf = (clusterName: string) => server.nodes.started
  .filter((node) => node.options.clusterName === clusterName)
  .map((node) => { const settings = node.settingsHistory.at(-1)!; return [settings.recordTtlMillis, settings.queryTtlMillis] })

describe('default parameters', () => {
  test('DescribeDefaultParameters lists the two TTLs as DAX does', async () => {
    const { Parameters } = await server.dax.send(new DescribeDefaultParametersCommand({}))
    assert.deepEqual(Parameters, defaultParameters)
  })

  test('default.dax1.0 exists, holds the defaults and cannot be changed or deleted', async () => {
    const { ParameterGroups } = await server.dax.send(new DescribeParameterGroupsCommand({}))
    assert.deepEqual(ParameterGroups?.map((group) => group.ParameterGroupName), ['default.dax1.0'])
    const { Parameters } = await server.dax.send(new DescribeParametersCommand({ ParameterGroupName: 'default.dax1.0' }))
    assert.deepEqual(Parameters, defaultParameters)
    const update = await errorOf(() => server.dax.send(new UpdateParameterGroupCommand({
      ParameterGroupName: 'default.dax1.0', ParameterNameValues: [{ ParameterName: 'record-ttl-millis', ParameterValue: '1' }],
    })))
    assert.equal(update.name, 'InvalidParameterValueException')
    const remove = await errorOf(() => server.dax.send(new DeleteParameterGroupCommand({ ParameterGroupName: 'default.dax1.0' })))
    assert.equal(remove.name, 'InvalidParameterValueException')
  })
})

describe('custom parameter groups', () => {
  test('an updated TTL reaches the running nodes of clusters that use the group', async () => {
    const created = await server.dax.send(new CreateParameterGroupCommand({ ParameterGroupName: 'short-ttl', Description: 'tests' }))
    assert.deepEqual(created.ParameterGroup, { ParameterGroupName: 'short-ttl', Description: 'tests' })
    await server.dax.send(new CreateClusterCommand({ ...clusterRequest('ttl-user', 2), ParameterGroupName: 'short-ttl' }))
    await server.dax.send(new CreateClusterCommand(clusterRequest('ttl-bystander', 1)))

    const updated = await server.dax.send(new UpdateParameterGroupCommand({
      ParameterGroupName: 'short-ttl',
      ParameterNameValues: [
        { ParameterName: 'record-ttl-millis', ParameterValue: '1000' },
        { ParameterName: 'query-ttl-millis', ParameterValue: '0' },
      ],
    }))
    assert.deepEqual(updated.ParameterGroup, { ParameterGroupName: 'short-ttl', Description: 'tests' })
    assert.deepEqual(ttlsOf('ttl-user'), [[1000, 0], [1000, 0]])
    assert.deepEqual(ttlsOf('ttl-bystander'), [[300000, 300000]])
    const { Parameters } = await server.dax.send(new DescribeParametersCommand({ ParameterGroupName: 'short-ttl' }))
    assert.deepEqual(Parameters?.map((parameter) => [parameter.ParameterName, parameter.ParameterValue]),
      [['query-ttl-millis', '0'], ['record-ttl-millis', '1000']])
  })

  test('UpdateCluster moves a cluster to another group and applies it at once', async () => {
    await server.dax.send(new CreateParameterGroupCommand({ ParameterGroupName: 'long-ttl' }))
    await server.dax.send(new UpdateParameterGroupCommand({
      ParameterGroupName: 'long-ttl', ParameterNameValues: [{ ParameterName: 'record-ttl-millis', ParameterValue: '900000' }],
    }))
    await server.dax.send(new CreateClusterCommand(clusterRequest('mover', 1)))
    const { Cluster } = await server.dax.send(new UpdateClusterCommand({ ClusterName: 'mover', ParameterGroupName: 'long-ttl' }))
    assert.equal(Cluster?.ParameterGroup?.ParameterGroupName, 'long-ttl')
    assert.deepEqual(ttlsOf('mover'), [[900000, 300000]])
    const missing = await errorOf(() => server.dax.send(new UpdateClusterCommand({ ClusterName: 'mover', ParameterGroupName: 'nope' })))
    assert.equal(missing.name, 'ParameterGroupNotFoundFault')
  })

  test('rejects unknown parameters and values that are not whole milliseconds, changing nothing', async () => {
    await server.dax.send(new CreateParameterGroupCommand({ ParameterGroupName: 'strict' }))
    for (const change of [
      { ParameterName: 'cache-size', ParameterValue: '1' },
      { ParameterName: 'record-ttl-millis', ParameterValue: '-1' },
      { ParameterName: 'record-ttl-millis', ParameterValue: 'soon' },
    ]) {
      const error = await errorOf(() => server.dax.send(new UpdateParameterGroupCommand({
        ParameterGroupName: 'strict', ParameterNameValues: [{ ParameterName: 'query-ttl-millis', ParameterValue: '5' }, change],
      })))
      assert.equal(error.name, 'InvalidParameterValueException')
    }
    const { Parameters } = await server.dax.send(new DescribeParametersCommand({ ParameterGroupName: 'strict' }))
    assert.equal(Parameters?.[0]?.ParameterValue, '300000')
  })

  test('create, describe and delete follow DAX, including its deletion message', async () => {
    await server.dax.send(new CreateParameterGroupCommand({ ParameterGroupName: 'daxparametergroup' }))
    const twice = await errorOf(() => server.dax.send(new CreateParameterGroupCommand({ ParameterGroupName: 'daxparametergroup' })))
    assert.equal(twice.name, 'ParameterGroupAlreadyExistsFault')
    const { ParameterGroups } = await server.dax.send(new DescribeParameterGroupsCommand({ ParameterGroupNames: ['daxparametergroup'] }))
    assert.deepEqual(ParameterGroups, [{ ParameterGroupName: 'daxparametergroup', Description: '' }])
    const { DeletionMessage } = await server.dax.send(new DeleteParameterGroupCommand({ ParameterGroupName: 'daxparametergroup' }))
    assert.equal(DeletionMessage, 'Parameter group daxparametergroup has been deleted.')
    for (const action of [
      () => server.dax.send(new DescribeParametersCommand({ ParameterGroupName: 'daxparametergroup' })),
      () => server.dax.send(new DescribeParameterGroupsCommand({ ParameterGroupNames: ['daxparametergroup'] })),
      () => server.dax.send(new DeleteParameterGroupCommand({ ParameterGroupName: 'daxparametergroup' })),
    ]) {
      assert.equal((await errorOf(action)).name, 'ParameterGroupNotFoundFault')
    }
  })

  test('a group in use by a cluster cannot be deleted', async () => {
    await server.dax.send(new CreateParameterGroupCommand({ ParameterGroupName: 'in-use' }))
    await server.dax.send(new CreateClusterCommand({ ...clusterRequest('holder', 1), ParameterGroupName: 'in-use' }))
    const error = await errorOf(() => server.dax.send(new DeleteParameterGroupCommand({ ParameterGroupName: 'in-use' })))
    assert.equal(error.name, 'InvalidParameterGroupStateFault')
  })
})
