/**
 * The DAX management API (AmazonDAXV3, JSON 1.1) through the AWS SDK's own DAX client,
 * @aws-sdk/client-dax, against an in-process EddyDB. Reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Accelerator_(DAX).html
 * Nodes are started through a stand-in StartDaxNode that records what the registry asked for.
 * Messages pinned here come from DAX itself where it is known (moto's recordings, the AWS CLI's
 * examples); the others are ours and are asserted by fault name only.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateClusterCommand,
  DecreaseReplicationFactorCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  IncreaseReplicationFactorCommand,
  ListTagsCommand,
  RebootNodeCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterCommand,
} from '@aws-sdk/client-dax'
import { clusterRequest, errorOf, postDaxAction, startManagementServer, type ManagementServer } from './management-fixtures.js'

let server: ManagementServer
before(async () => { server = await startManagementServer() })
after(async () => { await server.close() })

const nodesOf = (clusterName: string) => server.nodes.started.filter((node) => node.options.clusterName === clusterName)

describe('CreateCluster', () => {
  test('starts one primary and ReplicationFactor - 1 replicas and describes them', async () => {
    const { Cluster } = await server.dax.send(new CreateClusterCommand(clusterRequest('alpha', 3)))
    assert.ok(Cluster)
    assert.equal(Cluster.ClusterName, 'alpha')
    assert.equal(Cluster.ClusterArn, 'arn:aws:dax:us-east-1:000000000000:cache/alpha')
    assert.equal(Cluster.Status, 'available')
    assert.equal(Cluster.TotalNodes, 3)
    assert.equal(Cluster.ActiveNodes, 3)
    assert.deepEqual(Cluster.Nodes?.map((node) => node.NodeId), ['alpha-a', 'alpha-b', 'alpha-c'])
    assert.deepEqual(Cluster.ParameterGroup, { ParameterGroupName: 'default.dax1.0', ParameterApplyStatus: 'in-sync', NodeIdsToReboot: [] })
    assert.deepEqual(Cluster.SSEDescription, { Status: 'DISABLED' })
    assert.equal(Cluster.ClusterEndpointEncryptionType, 'NONE')
    assert.ok(Cluster.Nodes?.[0]?.NodeCreateTime instanceof Date)

    const started = nodesOf('alpha')
    assert.deepEqual(started.map((node) => node.options.role), ['primary', 'replica', 'replica'])
    assert.deepEqual(started.map((node) => node.options.nodeId), ['alpha-a', 'alpha-b', 'alpha-c'])
    for (const node of started) {
      assert.equal(node.options.settings.recordTtlMillis, 300000)
      assert.equal(node.options.settings.queryTtlMillis, 300000)
      assert.equal(node.options.host, '127.0.0.1')
    }
    // The discovery endpoint is the primary's; endpoints() lists every node, primary first.
    const primary = started[0]!
    assert.deepEqual(Cluster.ClusterDiscoveryEndpoint, {
      Address: '127.0.0.1', Port: primary.wirePort, URL: `dax://127.0.0.1:${primary.wirePort}`,
    })
    const endpoints = primary.options.endpoints()
    assert.deepEqual(endpoints.map((endpoint) => [endpoint.nodeId, endpoint.role, endpoint.port]),
      started.map((node) => [node.options.nodeId, node.options.role, node.wirePort]))
    assert.deepEqual(server.upstreamRegions.at(-1), 'us-east-1')
  })

  test('stores the name in lower case, as DAX does', async () => {
    const { Cluster } = await server.dax.send(new CreateClusterCommand(clusterRequest('MixedCase', 1)))
    assert.equal(Cluster?.ClusterName, 'mixedcase')
    const { Clusters } = await server.dax.send(new DescribeClustersCommand({ ClusterNames: ['MIXEDCASE'] }))
    assert.equal(Clusters?.[0]?.ClusterName, 'mixedcase')
  })

  test('rejects names DAX rejects, with its message', async () => {
    const message = 'Cluster ID specified is not a valid identifier. Identifiers must begin with a letter; must contain only ' +
      'ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.'
    for (const name of ['1invalid', 'iИvalid', 'in_valid', 'invalid-', 'in--valid', 'a'.repeat(21)]) {
      const error = await errorOf(() => server.dax.send(new CreateClusterCommand(clusterRequest(name, 1))))
      assert.equal(error.name, 'InvalidParameterValueException', name)
      assert.equal(error.message, message, name)
    }
  })

  test('checks the IAM role ARN section by section', async () => {
    const cases: [string, string][] = [
      ['n/a', "ARNs must start with 'arn:': n/a"],
      ['arn:sth', 'Second colon partition not found: arn:sth'],
      ['arn:sth:aws', 'Third colon vendor not found: arn:sth:aws'],
      ['arn:sth:aws:else', 'Fourth colon (region/namespace delimiter) not found: arn:sth:aws:else'],
      ['arn:sth:aws:else:eu-west-1', 'Fifth colon (namespace/relative-id delimiter) not found: arn:sth:aws:else:eu-west-1'],
    ]
    for (const [arn, message] of cases) {
      const error = await errorOf(() => server.dax.send(new CreateClusterCommand({ ...clusterRequest('arns', 1), IamRoleArn: arn })))
      assert.equal(error.name, 'InvalidParameterValueException')
      assert.equal(error.message, message)
    }
  })

  test('reports a missing required member as Coral does', async () => {
    const request = { NodeType: 'dax.t3.small', ReplicationFactor: 1, IamRoleArn: 'arn:aws:iam::0:role/r' }
    const error = await errorOf(() => server.dax.send(new CreateClusterCommand(request as never)))
    assert.equal(error.name, 'ValidationException')
    assert.equal(error.message, "1 validation error detected: Value null at 'clusterName' failed to satisfy constraint: Member must not be null")
    const network = await errorOf(() => server.dax.send(new CreateClusterCommand({ ...request, ClusterName: 'net', NetworkType: 'ipv5' as never })))
    assert.equal(network.name, 'ValidationException')
    assert.match(network.message, /Value 'ipv5' at 'networkType' failed to satisfy constraint: Member must satisfy enum value set: \[ipv4, ipv6, dual_stack\]/)
  })

  test('answers a member of the wrong JSON type with a SerializationException', async () => {
    const { status, body } = await postDaxAction(server.endpoint, 'CreateCluster', { ...clusterRequest('typed', 1), ReplicationFactor: { many: true } })
    assert.equal(status, 400)
    assert.equal(body.__type, 'com.amazon.coral.service#SerializationException')
  })

  test('refuses a second cluster of the same name and more than 11 nodes', async () => {
    await server.dax.send(new CreateClusterCommand(clusterRequest('twice', 1)))
    const again = await errorOf(() => server.dax.send(new CreateClusterCommand(clusterRequest('twice', 1))))
    assert.equal(again.name, 'ClusterAlreadyExistsFault')
    const tooMany = await errorOf(() => server.dax.send(new CreateClusterCommand(clusterRequest('huge', 12))))
    assert.equal(tooMany.name, 'NodeQuotaForClusterExceededFault')
    const none = await errorOf(() => server.dax.send(new CreateClusterCommand(clusterRequest('empty', 0))))
    assert.equal(none.name, 'InvalidParameterValueException')
    assert.equal(nodesOf('huge').length + nodesOf('empty').length, 0)
  })

  test('needs an existing parameter group', async () => {
    const error = await errorOf(() => server.dax.send(new CreateClusterCommand({ ...clusterRequest('nogroup', 1), ParameterGroupName: 'missing' })))
    assert.equal(error.name, 'ParameterGroupNotFoundFault')
  })
})

describe('DescribeClusters', () => {
  test('names the missing cluster in its message (DeleteCluster does not)', async () => {
    const described = await errorOf(() => server.dax.send(new DescribeClustersCommand({ ClusterNames: ['unknown'] })))
    assert.equal(described.name, 'ClusterNotFoundFault')
    assert.equal(described.message, 'Cluster unknown not found.')
    const deleted = await errorOf(() => server.dax.send(new DeleteClusterCommand({ ClusterName: 'unknown' })))
    assert.equal(deleted.name, 'ClusterNotFoundFault')
    assert.equal(deleted.message, 'Cluster not found.')
  })

  test('pages with MaxResults and NextToken', async () => {
    const client = server.newDaxClient('eu-north-1')
    for (let index = 0; index < 5; index++) await client.send(new CreateClusterCommand(clusterRequest(`page${index}`, 1)))
    const first = await client.send(new DescribeClustersCommand({ MaxResults: 2 }))
    assert.deepEqual(first.Clusters?.map((cluster) => cluster.ClusterName), ['page0', 'page1'])
    assert.ok(first.NextToken)
    const rest = await client.send(new DescribeClustersCommand({ NextToken: first.NextToken }))
    assert.deepEqual(rest.Clusters?.map((cluster) => cluster.ClusterName), ['page2', 'page3', 'page4'])
    assert.equal(rest.NextToken, undefined)
  })

  test('keeps each region to its own clusters and upstream', async () => {
    const west = server.newDaxClient('us-west-2')
    const { Cluster } = await west.send(new CreateClusterCommand(clusterRequest('westerly', 1)))
    assert.equal(Cluster?.ClusterArn, 'arn:aws:dax:us-west-2:000000000000:cache/westerly')
    assert.equal(server.upstreamRegions.at(-1), 'us-west-2')
    const east = await errorOf(() => server.dax.send(new DescribeClustersCommand({ ClusterNames: ['westerly'] })))
    assert.equal(east.name, 'ClusterNotFoundFault')
  })
})

describe('DeleteCluster', () => {
  test('stops every node and forgets the cluster', async () => {
    await server.dax.send(new CreateClusterCommand(clusterRequest('doomed', 2)))
    const { Cluster } = await server.dax.send(new DeleteClusterCommand({ ClusterName: 'doomed' }))
    assert.equal(Cluster?.Status, 'deleting')
    assert.equal(Cluster?.Nodes, undefined)
    assert.deepEqual(nodesOf('doomed').map((node) => node.closed), [true, true])
    const error = await errorOf(() => server.dax.send(new DescribeClustersCommand({ ClusterNames: ['doomed'] })))
    assert.equal(error.name, 'ClusterNotFoundFault')
  })
})

describe('replication factor', () => {
  test('IncreaseReplicationFactor starts replicas with the next node ids', async () => {
    await server.dax.send(new CreateClusterCommand(clusterRequest('grow', 1)))
    const { Cluster } = await server.dax.send(new IncreaseReplicationFactorCommand({ ClusterName: 'grow', NewReplicationFactor: 3 }))
    assert.equal(Cluster?.TotalNodes, 3)
    assert.deepEqual(Cluster?.Nodes?.map((node) => node.NodeId), ['grow-a', 'grow-b', 'grow-c'])
    assert.deepEqual(nodesOf('grow').map((node) => node.options.role), ['primary', 'replica', 'replica'])
    // A node started earlier sees the new nodes in its endpoints.
    assert.equal(nodesOf('grow')[0]!.options.endpoints().length, 3)
    const smaller = await errorOf(() => server.dax.send(new IncreaseReplicationFactorCommand({ ClusterName: 'grow', NewReplicationFactor: 2 })))
    assert.equal(smaller.name, 'InvalidParameterValueException')
    const missing = await errorOf(() => server.dax.send(new IncreaseReplicationFactorCommand({ ClusterName: 'unknown', NewReplicationFactor: 2 })))
    assert.equal(missing.name, 'ClusterNotFoundFault')
  })

  test('DecreaseReplicationFactor stops the named replicas, or else the newest', async () => {
    await server.dax.send(new CreateClusterCommand(clusterRequest('shrink', 5)))
    const named = await server.dax.send(new DecreaseReplicationFactorCommand({
      ClusterName: 'shrink', NewReplicationFactor: 3, NodeIdsToRemove: ['shrink-b', 'shrink-c'],
    }))
    assert.deepEqual(named.Cluster?.Nodes?.map((node) => node.NodeId), ['shrink-a', 'shrink-d', 'shrink-e'])
    const newest = await server.dax.send(new DecreaseReplicationFactorCommand({ ClusterName: 'shrink', NewReplicationFactor: 2 }))
    assert.deepEqual(newest.Cluster?.Nodes?.map((node) => node.NodeId), ['shrink-a', 'shrink-d'])
    assert.deepEqual(nodesOf('shrink').map((node) => node.closed), [false, true, true, false, true])
    const unknownNode = await errorOf(() => server.dax.send(new DecreaseReplicationFactorCommand({
      ClusterName: 'shrink', NewReplicationFactor: 1, NodeIdsToRemove: ['shrink-z'],
    })))
    assert.equal(unknownNode.name, 'NodeNotFoundFault')
    const primary = await errorOf(() => server.dax.send(new DecreaseReplicationFactorCommand({
      ClusterName: 'shrink', NewReplicationFactor: 1, NodeIdsToRemove: ['shrink-a'],
    })))
    assert.equal(primary.name, 'InvalidParameterValueException')
  })
})

describe('RebootNode and UpdateCluster', () => {
  // DAX's reboot "does not remove the contents of the cache" (the RebootNode API reference).
  test('RebootNode keeps the node\'s caches', async () => {
    await server.dax.send(new CreateClusterCommand(clusterRequest('reboot', 2)))
    await server.dax.send(new RebootNodeCommand({ ClusterName: 'reboot', NodeId: 'reboot-b' }))
    assert.deepEqual(nodesOf('reboot').map((node) => node.clearCount), [0, 0])
    const error = await errorOf(() => server.dax.send(new RebootNodeCommand({ ClusterName: 'reboot', NodeId: 'reboot-x' })))
    assert.equal(error.name, 'NodeNotFoundFault')
  })

  test('UpdateCluster changes the description and keeps what it is not given', async () => {
    await server.dax.send(new CreateClusterCommand({ ...clusterRequest('updated', 1), Description: 'before' }))
    const { Cluster } = await server.dax.send(new UpdateClusterCommand({ ClusterName: 'updated', Description: 'after' }))
    assert.equal(Cluster?.Description, 'after')
    assert.equal(Cluster?.ParameterGroup?.ParameterGroupName, 'default.dax1.0')
  })
})

describe('tags', () => {
  test('CreateCluster\'s Tags, TagResource, UntagResource and ListTags, by the cluster\'s ARN', async () => {
    const { Cluster } = await server.dax.send(new CreateClusterCommand({
      ...clusterRequest('tagged', 1), Tags: [{ Key: 'team', Value: 'storage' }, { Key: 'env', Value: 'test' }],
    }))
    const ResourceName = Cluster!.ClusterArn!
    assert.deepEqual((await server.dax.send(new ListTagsCommand({ ResourceName }))).Tags,
      [{ Key: 'team', Value: 'storage' }, { Key: 'env', Value: 'test' }])
    // A key set again takes the new value; every call answers with all the tags.
    const tagged = await server.dax.send(new TagResourceCommand({ ResourceName, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'ops' }] }))
    assert.deepEqual(tagged.Tags, [{ Key: 'team', Value: 'storage' }, { Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'ops' }])
    const untagged = await server.dax.send(new UntagResourceCommand({ ResourceName, TagKeys: ['team'] }))
    assert.deepEqual(untagged.Tags, [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'ops' }])
    assert.deepEqual((await server.dax.send(new ListTagsCommand({ ResourceName }))).Tags, untagged.Tags)

    assert.equal((await errorOf(() => server.dax.send(new UntagResourceCommand({ ResourceName, TagKeys: ['team'] })))).name, 'TagNotFoundFault')
    const fifty = Array.from({ length: 49 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }))
    assert.equal((await errorOf(() => server.dax.send(new TagResourceCommand({ ResourceName, Tags: fifty })))).name, 'TagQuotaPerResourceExceeded')
    assert.equal((await server.dax.send(new ListTagsCommand({ ResourceName }))).Tags?.length, 2)
    assert.equal((await errorOf(() => server.dax.send(new ListTagsCommand({ ResourceName: 'tagged' })))).name, 'InvalidARNFault')
    assert.equal((await errorOf(() => server.dax.send(new ListTagsCommand({ ResourceName: 'arn:aws:dax:us-east-1:000000000000:cache/missing' })))).name,
      'ClusterNotFoundFault')
  })
})
