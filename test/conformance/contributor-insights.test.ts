/**
 * Contributor Insights: the setting of a table and of each global index, the rules DynamoDB
 * would name, and the list (an AWS-validated suite's "reports DISABLED by default" and "enabling
 * transitions the status and lists the table"; the rule names as the Developer Guide gives them).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  DeleteTableCommand, DescribeContributorInsightsCommand, ListContributorInsightsCommand, UpdateContributorInsightsCommand, UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { localDiffers, startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createKeyTable, createTable, waitForActive } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => {
  server = await startTestServer()
  client = server.client
  table = uniqueTableName('insights')
  await createTable(client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{ IndexName: 'byLocal', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  })
})
after(async () => { await server?.close() })

test('Contributor Insights are off until enabled, then on with their rules', localDiffers('it has no Contributor Insights'), async () => {
  const off = await client.send(new DescribeContributorInsightsCommand({ TableName: table }))
  assert.equal(off.ContributorInsightsStatus, 'DISABLED')
  assert.equal(off.ContributorInsightsRuleList, undefined)

  const enabling = await client.send(new UpdateContributorInsightsCommand({ TableName: table, ContributorInsightsAction: 'ENABLE' }))
  assert.deepEqual([enabling.TableName, enabling.ContributorInsightsStatus, enabling.ContributorInsightsMode],
    [table, 'ENABLING', 'ACCESSED_AND_THROTTLED_KEYS'])
  const on = await client.send(new DescribeContributorInsightsCommand({ TableName: table }))
  assert.equal(on.ContributorInsightsStatus, 'ENABLED')
  assert.equal(on.ContributorInsightsMode, 'ACCESSED_AND_THROTTLED_KEYS')
  assert.ok(on.LastUpdateDateTime instanceof Date)
  const stamp = on.ContributorInsightsRuleList![0]!.split('-').at(-1)
  assert.deepEqual(on.ContributorInsightsRuleList, ['PKC', 'SKC', 'PKT', 'SKT'].map((kind) => `DynamoDBContributorInsights-${kind}-${table}-${stamp}`))

  // A global index has its own setting; hash-only, it has no sort key rules. THROTTLED_KEYS keeps the throttle rules only.
  await client.send(new UpdateContributorInsightsCommand({ TableName: table, IndexName: 'byG', ContributorInsightsAction: 'ENABLE', ContributorInsightsMode: 'THROTTLED_KEYS' }))
  const index = await client.send(new DescribeContributorInsightsCommand({ TableName: table, IndexName: 'byG' }))
  assert.equal(index.IndexName, 'byG')
  assert.deepEqual(index.ContributorInsightsRuleList?.map((rule) => rule.split('-').slice(1, -1).join('-')), [`PKT-${table}-byG`])

  // ENABLE in the mode already on changes nothing and answers ENABLED; another mode goes through ENABLING again.
  const again = await client.send(new UpdateContributorInsightsCommand({ TableName: table, IndexName: 'byG', ContributorInsightsAction: 'ENABLE', ContributorInsightsMode: 'THROTTLED_KEYS' }))
  assert.equal(again.ContributorInsightsStatus, 'ENABLED')
  const unchanged = await client.send(new DescribeContributorInsightsCommand({ TableName: table, IndexName: 'byG' }))
  assert.deepEqual(unchanged.ContributorInsightsRuleList, index.ContributorInsightsRuleList)

  const listed = await client.send(new ListContributorInsightsCommand({}))
  assert.deepEqual(listed.ContributorInsightsSummaries?.filter((summary) => summary.TableName === table), [
    { TableName: table, ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' },
    { TableName: table, IndexName: 'byG', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'THROTTLED_KEYS' },
  ])

  // DISABLE with a mode is accepted, and answers with the mode the table had.
  const disabling = await client.send(new UpdateContributorInsightsCommand({ TableName: table, ContributorInsightsAction: 'DISABLE', ContributorInsightsMode: 'THROTTLED_KEYS' }))
  assert.deepEqual([disabling.ContributorInsightsStatus, disabling.ContributorInsightsMode], ['DISABLING', 'ACCESSED_AND_THROTTLED_KEYS'])
  const offAgain = await client.send(new DescribeContributorInsightsCommand({ TableName: table }))
  assert.equal(offAgain.ContributorInsightsStatus, 'DISABLED')
  assert.equal(offAgain.ContributorInsightsRuleList, undefined)
})

// DDB-TABLE-341 of an API-quirks lab (against AWS, 2026-10): narrowing the mode to THROTTLED_KEYS
// deletes the most-accessed rules and keeps the throttle rules as they were, names included;
// widening again makes new rules.
test('narrowing the mode keeps the rules that stay; widening makes new ones', localDiffers('it has no Contributor Insights'), async () => {
  const narrowing = uniqueTableName('insights-narrow')
  await createTable(client, {
    TableName: narrowing, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
  })
  const rules = async () => (await client.send(new DescribeContributorInsightsCommand({ TableName: narrowing }))).ContributorInsightsRuleList!
  const enable = (ContributorInsightsMode: 'THROTTLED_KEYS' | 'ACCESSED_AND_THROTTLED_KEYS') =>
    client.send(new UpdateContributorInsightsCommand({ TableName: narrowing, ContributorInsightsAction: 'ENABLE', ContributorInsightsMode }))
  // A few milliseconds between the changes, so that a rule made again would carry another time.
  const aMoment = () => new Promise((resolve) => setTimeout(resolve, 5))
  await enable('ACCESSED_AND_THROTTLED_KEYS')
  const all = await rules()
  await aMoment()
  await enable('THROTTLED_KEYS')
  assert.deepEqual(await rules(), all.filter((rule) => /-(PKT|SKT)-/.test(rule)))
  await aMoment()
  await enable('ACCESSED_AND_THROTTLED_KEYS')
  const widened = await rules()
  assert.equal(widened.length, 4)
  assert.notDeepEqual(widened, all)
})

// DynamoDB lists only what is on: a fresh table lists nothing, a disabled table drops out while its
// enabled index stays (an API-quirks lab finding verified against DynamoDB, 2026: DDB-TABLE-095).
test('ListContributorInsights for one table lists it and its global indexes that are on, a page at a time', localDiffers('it has no Contributor Insights'), async () => {
  const other = await createKeyTable(client, 'insights-list')
  await client.send(new UpdateContributorInsightsCommand({ TableName: table, ContributorInsightsAction: 'ENABLE' }))
  const first = await client.send(new ListContributorInsightsCommand({ TableName: table, MaxResults: 1 }))
  assert.equal(first.ContributorInsightsSummaries?.length, 1)
  assert.equal(first.ContributorInsightsSummaries?.[0]?.IndexName, undefined)
  assert.ok(first.NextToken)
  const second = await client.send(new ListContributorInsightsCommand({ TableName: table, MaxResults: 1, NextToken: first.NextToken }))
  assert.equal(second.ContributorInsightsSummaries?.[0]?.IndexName, 'byG')
  assert.equal(second.NextToken, undefined)
  const quiet = await client.send(new ListContributorInsightsCommand({ TableName: other }))
  assert.deepEqual(quiet.ContributorInsightsSummaries, [])
  // DISABLE where nothing is on is a no-op answering DISABLED (DDB-TABLE-091, DDB-TABLE-089).
  const noop = await client.send(new UpdateContributorInsightsCommand({ TableName: other, ContributorInsightsAction: 'DISABLE' }))
  assert.deepEqual([noop.ContributorInsightsStatus, noop.ContributorInsightsMode], ['DISABLED', undefined])
  const { $metadata: _metadata, ...untouched } = await client.send(new DescribeContributorInsightsCommand({ TableName: other }))
  assert.deepEqual(untouched, { TableName: other, ContributorInsightsStatus: 'DISABLED' })
  await client.send(new UpdateContributorInsightsCommand({ TableName: table, ContributorInsightsAction: 'DISABLE' }))
  const indexOnly = await client.send(new ListContributorInsightsCommand({ TableName: table }))
  assert.deepEqual(indexOnly.ContributorInsightsSummaries?.map((summary) => summary.IndexName), ['byG'])
  await expectError(client.send(new ListContributorInsightsCommand({ TableName: other, NextToken: 'bm90IGEgdG9rZW4=' })), 'ValidationException')
})

test('Contributor Insights of a missing table or index, or a local index, are not found; they go with the table', localDiffers('it has no Contributor Insights'), async () => {
  await expectError(client.send(new DescribeContributorInsightsCommand({ TableName: `${table}-missing` })), 'ResourceNotFoundException')
  await expectError(client.send(new DescribeContributorInsightsCommand({ TableName: table, IndexName: 'nope' })), 'ResourceNotFoundException',
    `Requested resource not found: Index: nope not found for table: ${table}`)
  await expectError(client.send(new UpdateContributorInsightsCommand({ TableName: table, IndexName: 'byLocal', ContributorInsightsAction: 'ENABLE' })),
    'ResourceNotFoundException')
  await expectError(client.send(new UpdateContributorInsightsCommand({ TableName: table, ContributorInsightsAction: 'MAYBE' as never })), 'ValidationException',
    "1 validation error detected: Value 'MAYBE' at 'contributorInsightsAction' failed to satisfy constraint: Member must satisfy enum value set: [ENABLE, DISABLE]")
  // A deleted global index's setting goes with it: an index made later under its name starts off.
  const indexed = uniqueTableName('insights-index')
  await createTable(client, {
    TableName: indexed, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  })
  await client.send(new UpdateContributorInsightsCommand({ TableName: indexed, IndexName: 'byG', ContributorInsightsAction: 'ENABLE' }))
  await client.send(new UpdateTableCommand({ TableName: indexed, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] }))
  await waitForActive(client, indexed)
  await client.send(new UpdateTableCommand({
    TableName: indexed, AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }))
  const fresh = await client.send(new DescribeContributorInsightsCommand({ TableName: indexed, IndexName: 'byG' }))
  assert.equal(fresh.ContributorInsightsStatus, 'DISABLED')

  const gone = await createKeyTable(client, 'insights-gone')
  await client.send(new UpdateContributorInsightsCommand({ TableName: gone, ContributorInsightsAction: 'ENABLE' }))
  await client.send(new DeleteTableCommand({ TableName: gone }))
  const listed = await client.send(new ListContributorInsightsCommand({}))
  assert.equal(listed.ContributorInsightsSummaries?.some((summary) => summary.TableName === gone), false)
})
