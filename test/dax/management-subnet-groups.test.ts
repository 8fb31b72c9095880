/**
 * DAX subnet groups through @aws-sdk/client-dax: CreateSubnetGroup, DescribeSubnetGroups,
 * UpdateSubnetGroup, DeleteSubnetGroup, and CreateCluster's SubnetGroupName. Reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_dax_CreateSubnetGroup.html
 * There is no VPC here: groups are stored and echoed, their subnets placed in one made-up VPC.
 * Pinned messages are DAX's where known ("default is reserved and cannot be modified.", recorded
 * in rebuy-de/aws-nuke#313; the AWS CLI example's DeletionMessage); the rest are asserted by
 * fault name and HTTP status only. Every DAX fault here is a client fault, HTTP 400.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateClusterCommand,
  CreateSubnetGroupCommand,
  DeleteClusterCommand,
  DeleteSubnetGroupCommand,
  DescribeClustersCommand,
  DescribeSubnetGroupsCommand,
  UpdateSubnetGroupCommand,
} from '@aws-sdk/client-dax'
import { clusterRequest, errorOf, postDaxAction, startManagementServer, type ManagementServer } from './management-fixtures.js'

let server: ManagementServer
before(async () => { server = await startManagementServer() })
after(async () => { await server.close() })

/** The fault's name and HTTP status, as a client sees them. */
async function faultOf(action: () => Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  const error = await errorOf(action) as { name: string; message: string; $metadata?: { httpStatusCode?: number } }
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }
}

const localVpcId = 'vpc-00000000000000000'
const ipv4 = ['ipv4']

describe('the default subnet group', () => {
  test('exists in every region, with one made-up subnet per zone, and cannot be changed or deleted', async () => {
    const west = server.newDaxClient('eu-west-3')
    const { SubnetGroups } = await west.send(new DescribeSubnetGroupsCommand({ SubnetGroupNames: ['default'] }))
    assert.deepEqual(SubnetGroups, [{
      SubnetGroupName: 'default',
      Description: 'Default DAX subnet group',
      VpcId: localVpcId,
      Subnets: ['a', 'b', 'c'].map((zone) => ({
        SubnetIdentifier: `subnet-0000000000000000${zone}`, SubnetAvailabilityZone: `eu-west-3${zone}`, SupportedNetworkTypes: ipv4,
      })),
      SupportedNetworkTypes: ipv4,
    }])
    // DAX's answer, recorded when aws-nuke tried to delete it.
    const reserved = { name: 'InvalidParameterValueException', status: 400, message: 'default is reserved and cannot be modified.' }
    assert.deepEqual(await faultOf(() => west.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'default' }))), reserved)
    assert.deepEqual(await faultOf(() => west.send(new UpdateSubnetGroupCommand({ SubnetGroupName: 'Default', Description: 'x' }))), reserved)
  })

  test('is what a cluster created without SubnetGroupName reports', async () => {
    const { Cluster } = await server.dax.send(new CreateClusterCommand(clusterRequest('nogroup', 1)))
    assert.equal(Cluster?.SubnetGroup, 'default')
  })
})

describe('CreateSubnetGroup and DescribeSubnetGroups', () => {
  test('store the name in lower case and echo the description and subnets, each in a zone of the region', async () => {
    const { SubnetGroup } = await server.dax.send(new CreateSubnetGroupCommand({
      SubnetGroupName: 'App-Subnets', Description: 'private subnets',
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-11111111', 'subnet-0123456789abcdef0'],
    }))
    assert.equal(SubnetGroup?.SubnetGroupName, 'app-subnets')
    assert.equal(SubnetGroup?.Description, 'private subnets')
    assert.equal(SubnetGroup?.VpcId, localVpcId)
    assert.deepEqual(SubnetGroup?.SupportedNetworkTypes, ipv4)
    // A repeated id counts once; the order is the request's.
    assert.deepEqual(SubnetGroup?.Subnets?.map((subnet) => subnet.SubnetIdentifier), ['subnet-0123456789abcdef0', 'subnet-11111111'])
    for (const subnet of SubnetGroup?.Subnets ?? []) {
      assert.match(subnet.SubnetAvailabilityZone ?? '', /^us-east-1[abc]$/)
      assert.deepEqual(subnet.SupportedNetworkTypes, ipv4)
    }
    // Found whatever the case of the name asked for.
    const { SubnetGroups } = await server.dax.send(new DescribeSubnetGroupsCommand({ SubnetGroupNames: ['APP-SUBNETS'] }))
    assert.deepEqual(SubnetGroups, [SubnetGroup])
  })

  test('a group created without a description has none, and the same subnet reports the same zone in every group', async () => {
    const first = await server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'plain', SubnetIds: ['subnet-aaaa1111', 'subnet-bbbb2222'] }))
    assert.equal(first.SubnetGroup?.Description, undefined)
    const second = await server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'plain-too', SubnetIds: ['subnet-bbbb2222'] }))
    assert.equal(second.SubnetGroup?.Subnets?.[0]?.SubnetAvailabilityZone, first.SubnetGroup?.Subnets?.[1]?.SubnetAvailabilityZone)
  })

  test('refuse a name already taken, in any case, and the name default', async () => {
    await server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'taken', SubnetIds: ['subnet-12345678'] }))
    for (const name of ['taken', 'TAKEN', 'default']) {
      const fault = await faultOf(() => server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: name, SubnetIds: ['subnet-12345678'] })))
      assert.equal(fault.name, 'SubnetGroupAlreadyExistsFault', name)
      assert.equal(fault.status, 400, name)
    }
  })

  test('refuse subnet ids that cannot be subnets, none at all, and more than 20', async () => {
    const create = (SubnetIds: string[]) => faultOf(() => server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'bad-subnets', SubnetIds })))
    for (const ids of [['sn-12345678'], ['subnet-'], ['subnet-1234 5678'], []]) {
      const fault = await create(ids)
      assert.deepEqual([fault.name, fault.status], ['InvalidSubnet', 400], JSON.stringify(ids))
    }
    const many = Array.from({ length: 21 }, (_, index) => `subnet-${String(index).padStart(8, '0')}`)
    assert.deepEqual(await create(many).then((fault) => [fault.name, fault.status]), ['SubnetQuotaExceededFault', 400])
    // Twenty is allowed, and none of the refused requests left a group behind.
    const { SubnetGroup } = await server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'bad-subnets', SubnetIds: many.slice(0, 20) }))
    assert.equal(SubnetGroup?.Subnets?.length, 20)
  })

  test('report a missing required member as Coral does', async () => {
    const error = await errorOf(() => server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'nosubnets' } as never)))
    assert.equal(error.name, 'ValidationException')
    assert.equal(error.message, "1 validation error detected: Value null at 'subnetIds' failed to satisfy constraint: Member must not be null")
  })

  test('allow 50 groups a region besides the default', async () => {
    const north = server.newDaxClient('ca-central-1')
    for (let index = 0; index < 50; index++) {
      await north.send(new CreateSubnetGroupCommand({ SubnetGroupName: `quota-${index}`, SubnetIds: ['subnet-12345678'] }))
    }
    const fault = await faultOf(() => north.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'quota-50', SubnetIds: ['subnet-12345678'] })))
    assert.deepEqual([fault.name, fault.status], ['SubnetGroupQuotaExceededFault', 400])
    // DescribeSubnetGroups pages them: 51 groups in pages of 20.
    const names: string[] = []
    let NextToken: string | undefined
    let pages = 0
    do {
      const page = await north.send(new DescribeSubnetGroupsCommand({ MaxResults: 20, NextToken }))
      names.push(...(page.SubnetGroups ?? []).map((group) => group.SubnetGroupName!))
      NextToken = page.NextToken
      pages += 1
    } while (NextToken !== undefined)
    assert.equal(pages, 3)
    assert.deepEqual(names, ['default', ...Array.from({ length: 50 }, (_, index) => `quota-${index}`)])
  })

  test('DescribeSubnetGroups names a group that does not exist with SubnetGroupNotFoundFault, as a raw __type', async () => {
    const fault = await faultOf(() => server.dax.send(new DescribeSubnetGroupsCommand({ SubnetGroupNames: ['default', 'nowhere'] })))
    assert.deepEqual([fault.name, fault.status], ['SubnetGroupNotFoundFault', 400])
    const { status, body } = await postDaxAction(server.endpoint, 'DescribeSubnetGroups', { SubnetGroupNames: ['nowhere'] })
    assert.equal(status, 400)
    assert.match(body.__type ?? '', /#SubnetGroupNotFoundFault$/)
  })
})

describe('UpdateSubnetGroup', () => {
  test('replaces only the members given, and changes nothing when the new subnets are refused', async () => {
    await server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'changing', Description: 'before', SubnetIds: ['subnet-11111111', 'subnet-22222222'] }))
    // Terraform sends only what changed: a new description keeps the subnets.
    const described = await server.dax.send(new UpdateSubnetGroupCommand({ SubnetGroupName: 'changing', Description: 'after' }))
    assert.equal(described.SubnetGroup?.Description, 'after')
    assert.deepEqual(described.SubnetGroup?.Subnets?.map((subnet) => subnet.SubnetIdentifier), ['subnet-11111111', 'subnet-22222222'])
    const resubnetted = await server.dax.send(new UpdateSubnetGroupCommand({
      SubnetGroupName: 'CHANGING', SubnetIds: ['subnet-22222222', 'subnet-33333333', 'subnet-44444444'],
    }))
    assert.equal(resubnetted.SubnetGroup?.Description, 'after')
    assert.deepEqual(resubnetted.SubnetGroup?.Subnets?.map((subnet) => subnet.SubnetIdentifier), ['subnet-22222222', 'subnet-33333333', 'subnet-44444444'])

    const refused = await faultOf(() => server.dax.send(new UpdateSubnetGroupCommand({ SubnetGroupName: 'changing', Description: 'lost', SubnetIds: ['nope'] })))
    assert.deepEqual([refused.name, refused.status], ['InvalidSubnet', 400])
    const { SubnetGroups } = await server.dax.send(new DescribeSubnetGroupsCommand({ SubnetGroupNames: ['changing'] }))
    assert.deepEqual(SubnetGroups, [resubnetted.SubnetGroup])
  })

  test('needs an existing group', async () => {
    const fault = await faultOf(() => server.dax.send(new UpdateSubnetGroupCommand({ SubnetGroupName: 'ghost', Description: 'x' })))
    assert.deepEqual([fault.name, fault.status], ['SubnetGroupNotFoundFault', 400])
  })
})

describe('clusters and their subnet group', () => {
  test('CreateCluster needs an existing group, reports it in lower case, and DeleteSubnetGroup waits for the cluster to go', async () => {
    const missing = await faultOf(() => server.dax.send(new CreateClusterCommand({ ...clusterRequest('lost', 1), SubnetGroupName: 'absent' })))
    assert.deepEqual([missing.name, missing.status], ['SubnetGroupNotFoundFault', 400])
    assert.equal(server.nodes.started.filter((node) => node.options.clusterName === 'lost').length, 0)

    await server.dax.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'cache-net', SubnetIds: ['subnet-0a0a0a0a'] }))
    const { Cluster } = await server.dax.send(new CreateClusterCommand({ ...clusterRequest('netted', 1), SubnetGroupName: 'Cache-Net' }))
    assert.equal(Cluster?.SubnetGroup, 'cache-net')
    const { Clusters } = await server.dax.send(new DescribeClustersCommand({ ClusterNames: ['netted'] }))
    assert.equal(Clusters?.[0]?.SubnetGroup, 'cache-net')

    const inUse = await faultOf(() => server.dax.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'cache-net' })))
    assert.deepEqual([inUse.name, inUse.status], ['SubnetGroupInUseFault', 400])
    // Still there, and still usable by another cluster.
    await server.dax.send(new DescribeSubnetGroupsCommand({ SubnetGroupNames: ['cache-net'] }))

    await server.dax.send(new DeleteClusterCommand({ ClusterName: 'netted' }))
    const { DeletionMessage } = await server.dax.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'Cache-Net' }))
    assert.equal(DeletionMessage, 'Subnet group Cache-Net has been deleted.')
    const gone = await faultOf(() => server.dax.send(new DescribeSubnetGroupsCommand({ SubnetGroupNames: ['cache-net'] })))
    assert.equal(gone.name, 'SubnetGroupNotFoundFault')
    // Deleting it again is what Terraform treats as already gone.
    const again = await faultOf(() => server.dax.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'cache-net' })))
    assert.deepEqual([again.name, again.status], ['SubnetGroupNotFoundFault', 400])
  })

  test('each region has its own groups', async () => {
    const south = server.newDaxClient('ap-south-1')
    await south.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'southern', SubnetIds: ['subnet-5a5a5a5a'] }))
    const elsewhere = await faultOf(() => server.dax.send(new CreateClusterCommand({ ...clusterRequest('northern', 1), SubnetGroupName: 'southern' })))
    assert.equal(elsewhere.name, 'SubnetGroupNotFoundFault')
    const { Cluster } = await south.send(new CreateClusterCommand({ ...clusterRequest('southerly', 1), SubnetGroupName: 'southern' }))
    assert.equal(Cluster?.SubnetGroup, 'southern')
  })
})
