/**
 * Table settings changed after creation: what UpdateTable accepts on its own, and what
 * DescribeTable and the settings' own APIs report afterwards. The expectations are DynamoDB's
 * answers as an API-quirks lab recorded them against DynamoDB in 2026 (finding ids DDB-TABLE-nnn
 * in the comments).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateTableCommand, DeleteResourcePolicyCommand, DescribeTableCommand, DisableKinesisStreamingDestinationCommand, GetResourcePolicyCommand,
  CreateBackupCommand, ListTagsOfResourceCommand, TagResourceCommand, UntagResourceCommand, UpdateTableCommand,
  type CreateTableCommandInput, type DynamoDBClient, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { localDiffers, startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createKeyTable, createTable, waitForActive } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
before(async () => { server = await startTestServer(); client = server.client })
after(async () => { await server?.close() })

const nothingToUpdate = (members: string) => `At least one of ${members} is required`
const everyMember = 'ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, ' +
  'SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, ' +
  'DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass'

// DDB-TABLE-015, -047, -359: an UpdateTable that changes nothing names every member that could
// change something, in DynamoDB's current list; an empty GlobalSecondaryIndexUpdates counts as
// absent there, but next to a real change it is refused as an empty list. WarmThroughput is a
// change of its own (it used to be taken for "nothing").
test('UpdateTable needs a change; WarmThroughput alone is one, an empty index update list is not', localDiffers('it answers "Nothing to update"'), async () => {
  const table = await createKeyTable(client, 'nothing')
  await expectError(client.send(new UpdateTableCommand({ TableName: table })), 'ValidationException',
    nothingToUpdate(everyMember))
  await expectError(client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [] })),
    'ValidationException', nothingToUpdate(everyMember))
  await expectError(client.send(new UpdateTableCommand({
    TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  })), 'ValidationException', nothingToUpdate(everyMember))
  await expectError(client.send(new UpdateTableCommand({
    TableName: table, GlobalSecondaryIndexUpdates: [], DeletionProtectionEnabled: true,
  })), 'ValidationException', 'One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty')
  const { Table: unchanged } = await client.send(new DescribeTableCommand({ TableName: table }))
  assert.equal(unchanged!.DeletionProtectionEnabled, false)

  await client.send(new UpdateTableCommand({ TableName: table, WarmThroughput: { ReadUnitsPerSecond: 13000 } }))
  const warmed = await waitForActive(client, table)
  assert.equal(warmed.WarmThroughput?.ReadUnitsPerSecond, 13000)
})

// DDB-TABLE-044, -027: {SSEType: KMS} without Enabled turns KMS encryption on, with the account's
// AWS managed key (one key ARN for every such table); {} is the default encryption (no SSEDescription).
// DDB-TABLE-141, -082, -140: sending encryption again is accepted ({Enabled: true}, or the key by
// id), only the key in use named by its ARN is refused as a no-op; {Enabled: true} on a table with
// a customer key moves it back to the AWS managed key.
test('SSESpecification: KMS without Enabled, the shared AWS managed key, and which re-sends are refused', localDiffers('it reports no KMS encryption'), async () => {
  const managed = await createKeyTableWith('sse-type', { SSESpecification: { SSEType: 'KMS' } })
  const other = await createKeyTableWith('sse-on', { SSESpecification: { Enabled: true } })
  const plain = await createKeyTableWith('sse-none', { SSESpecification: {} })
  const awsKey = managed.SSEDescription?.KMSMasterKeyArn
  assert.deepEqual(managed.SSEDescription, { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: awsKey })
  assert.match(awsKey ?? '', /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/)
  assert.equal(other.SSEDescription?.KMSMasterKeyArn, awsKey)
  assert.equal(plain.SSEDescription, undefined)

  const table = managed.TableName!
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true } }))
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS' } }))
  await expectError(client.send(new UpdateTableCommand({
    TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: awsKey },
  })), 'ValidationException', 'One or more parameter values were invalid: Table is already encrypted with given ' +
    'KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key')
  const customerKey = awsKey!.replace(/key\/.*$/, 'key/11111111-2222-3333-4444-555555555555')
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: customerKey } }))
  assert.equal((await waitForActive(client, table)).SSEDescription?.KMSMasterKeyArn, customerKey)
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true } }))
  assert.equal((await waitForActive(client, table)).SSEDescription?.KMSMasterKeyArn, awsKey)

  // Turning KMS off answers with the encryption the table had, UPDATING; afterwards it has none
  // (LocalStack's test_dynamodb_create_table_with_partial_sse_specification, recorded against DynamoDB).
  const off = await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: false } }))
  assert.deepEqual(off.TableDescription!.SSEDescription, { Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: awsKey })
  assert.equal((await waitForActive(client, table)).SSEDescription, undefined)
})

// DDB-TABLE-027, -141, -328, -020: an alias names a key (alias/aws/dynamodb the AWS managed key),
// a key ARN of another region is refused by KMS. DDB-TABLE-450, -361, -371: an encryption change
// answers ACTIVE, its SSEDescription the encryption the table had, UPDATING. DDB-TABLE-284: a
// class change answers with the class the table had.
test('SSESpecification: aliases name keys, other regions\' keys are refused; encryption and class changes answer what was', localDiffers('it reports no KMS encryption'), async () => {
  const plain = await createKeyTableWith('sse-alias', {})
  const table = plain.TableName!
  const enabled = await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/aws/dynamodb' } }))
  assert.equal(enabled.TableDescription?.TableStatus, 'ACTIVE')
  assert.deepEqual(enabled.TableDescription?.SSEDescription, { Status: 'UPDATING' })
  const managedKey = (await waitForActive(client, table)).SSEDescription?.KMSMasterKeyArn
  const managed = await createKeyTableWith('sse-managed', { SSESpecification: { Enabled: true } })
  assert.equal(managedKey, managed.SSEDescription?.KMSMasterKeyArn)
  const region = managedKey!.split(':')[3]!
  const account = managedKey!.split(':')[4]!

  const changed = await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/my-key' } }))
  assert.deepEqual(changed.TableDescription?.SSEDescription, { Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: managedKey })
  const aliasKey = (await waitForActive(client, table)).SSEDescription?.KMSMasterKeyArn
  assert.match(aliasKey ?? '', /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/)
  assert.notEqual(aliasKey, managedKey)
  const byAliasArn = await createKeyTableWith('sse-alias-arn', { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: `arn:aws:kms:${region}:${account}:alias/my-key` } })
  assert.equal(byAliasArn.SSEDescription?.KMSMasterKeyArn, aliasKey)

  const elsewhere = region === 'us-west-2' ? 'us-east-1' : 'us-west-2'
  const refused = await expectError(client.send(new UpdateTableCommand({
    TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: `arn:aws:kms:${elsewhere}:${account}:key/mrk-1234` },
  })), 'ValidationException')
  assert.match(refused.message, new RegExp(`^KMS validation error: com\\.amazonaws\\.services\\.kms\\.model\\.NotFoundException: Invalid arn ${elsewhere} \\(Service: AWSKMS; `))
  assert.equal((await waitForActive(client, table)).SSEDescription?.KMSMasterKeyArn, aliasKey)

  const toIa = await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' }))
  assert.equal(toIa.TableDescription?.TableClassSummary, undefined)
  assert.equal((await waitForActive(client, table)).TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS')
  const back = await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD' }))
  assert.equal(back.TableDescription?.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS')
  assert.equal((await waitForActive(client, table)).TableClassSummary?.TableClass, 'STANDARD')
})

async function createKeyTableWith(prefix: string, extra: Partial<CreateTableCommandInput>): Promise<TableDescription> {
  const tableName = uniqueTableName(prefix)
  return createTable(client, {
    TableName: tableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], ...extra,
  })
}

// DDB-TABLE-025, -058: a table created PROVISIONED has no BillingModeSummary, whether BillingMode
// was sent or not, and naming PROVISIONED again in UpdateTable adds none; one that was ever
// on-demand keeps the summary, with the time it last became so.
test('BillingModeSummary is absent on a table created PROVISIONED, until it goes on-demand', async () => {
  const throughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
  const created = await createKeyTableWith('billing', { BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput })
  assert.equal(created.BillingModeSummary, undefined)
  const table = created.TableName!
  await client.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }))
  assert.equal((await waitForActive(client, table)).BillingModeSummary, undefined)
  // The switch's answer shows only the mode (DDB-TABLE-060, -064); DescribeTable then the time too.
  const switched = await client.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST' }))
  assert.deepEqual(switched.TableDescription!.BillingModeSummary, { BillingMode: 'PAY_PER_REQUEST' })
  const onDemand = await waitForActive(client, table)
  assert.equal(onDemand.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')
  assert.ok(onDemand.BillingModeSummary?.LastUpdateToPayPerRequestDateTime instanceof Date)
  await client.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput }))
  const back = await waitForActive(client, table)
  assert.deepEqual(back.BillingModeSummary, { ...onDemand.BillingModeSummary, BillingMode: 'PROVISIONED' })
  // Capacity given to a table that had none is no increase (DDB-TABLE-055): the last one stays the 1 → 2 above.
  assert.deepEqual(back.ProvisionedThroughput?.LastIncreaseDateTime, onDemand.ProvisionedThroughput?.LastIncreaseDateTime)
  assert.ok(back.ProvisionedThroughput?.LastIncreaseDateTime instanceof Date)
  // CreateTable's answer shows only the mode too (DDB-TABLE-033).
  const { TableDescription: createdOnDemand } = await client.send(new CreateTableCommand({
    TableName: uniqueTableName('billing-answer'), BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }))
  assert.deepEqual(createdOnDemand!.BillingModeSummary, { BillingMode: 'PAY_PER_REQUEST' })
})

// DDB-TABLE-026, -177: TableClassSummary is there when a class was sent at create; UpdateTable
// TableClass=STANDARD on a table that never had one (so is STANDARD) changes nothing, and
// neither does asking for the class a table already has.
test('TableClass STANDARD on a table without a class, or the class it has, leaves TableClassSummary alone', localDiffers('it writes a TableClassSummary for STANDARD'), async () => {
  const standard = await createKeyTableWith('class-std', { TableClass: 'STANDARD' })
  assert.deepEqual(standard.TableClassSummary, { TableClass: 'STANDARD' })
  const table = await createKeyTable(client, 'class')
  await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD' }))
  assert.equal((await waitForActive(client, table)).TableClassSummary, undefined)
  await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' }))
  const infrequent = await waitForActive(client, table)
  assert.equal(infrequent.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS')
  await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' }))
  assert.deepEqual((await waitForActive(client, table)).TableClassSummary, infrequent.TableClassSummary)
})

// DDB-TABLE-038, -039, -128: OnDemandThroughput belongs to on-demand tables and its maxima are at
// least 1 at CreateTable, for the table and for each GSI.
test('CreateTable refuses OnDemandThroughput on a PROVISIONED table and maxima below 1', localDiffers('it accepts OnDemandThroughput on a PROVISIONED table'), async () => {
  const throughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
  const invalid = 'One or more parameter values were invalid: '
  const create = (extra: Partial<CreateTableCommandInput>) => createKeyTableWith('odt-create', extra)
  await expectError(create({ BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput, OnDemandThroughput: { MaxReadRequestUnits: 10 } }),
    'ValidationException', `${invalid}MaxReadRequestUnits for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.`)
  for (const limit of [0, -1, -2]) {
    await expectError(create({ OnDemandThroughput: { MaxReadRequestUnits: limit, MaxWriteRequestUnits: limit } }), 'ValidationException',
      `${invalid}Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range`)
  }
  const index = (extra: object) => ({
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }, { AttributeName: 'g', AttributeType: 'S' as const }],
    GlobalSecondaryIndexes: [{ IndexName: 'g-a', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const }, ...extra }],
  })
  await expectError(create({ BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput, ...index({ ProvisionedThroughput: throughput, OnDemandThroughput: { MaxReadRequestUnits: 10 } }) }),
    'ValidationException', `${invalid}MaxReadRequestUnits for OnDemandThroughput for index: g-a cannot be specified when table BillingMode is PROVISIONED.`)
  await expectError(create(index({ OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 } })),
    'ValidationException', `${invalid}Requested MaxReadRequestUnits for OnDemandThroughput for index : g-a is outside of valid range`)

  // UpdateTable's GSI Create and Update check them as CreateTable does (they were stored).
  const provisioned = (await create({ BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput, ...index({ ProvisionedThroughput: throughput }) })).TableName!
  const gsiCreate = (name: string, extra: object) => client.send(new UpdateTableCommand({
    TableName: name, AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'h-a', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ...extra } }],
  }))
  await expectError(gsiCreate(provisioned, { ProvisionedThroughput: throughput, OnDemandThroughput: { MaxReadRequestUnits: 10 } }),
    'ValidationException', `${invalid}MaxReadRequestUnits for OnDemandThroughput for index: h-a cannot be specified when table BillingMode is PROVISIONED.`)
  await expectError(client.send(new UpdateTableCommand({ TableName: provisioned, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'g-a', OnDemandThroughput: { MaxReadRequestUnits: 10 } } }] })),
    'ValidationException', `${invalid}MaxReadRequestUnits for OnDemandThroughput for index: g-a cannot be specified when table BillingMode is PROVISIONED.`)
  const onDemandTable = (await create({})).TableName!
  await expectError(gsiCreate(onDemandTable, { OnDemandThroughput: { MaxReadRequestUnits: 0 } }),
    'ValidationException', `${invalid}Requested MaxReadRequestUnits for OnDemandThroughput for index : h-a is outside of valid range`)
  assert.equal((await waitForActive(client, provisioned)).GlobalSecondaryIndexes?.[0]?.OnDemandThroughput, undefined)
})

// DDB-TABLE-051, -178, -182: UpdateTable merges OnDemandThroughput member by member; 0 or -2 is out
// of range, -1 takes a limit away (the member goes, and the struct with the last one).
test('UpdateTable OnDemandThroughput: merged, -1 clears a member, 0 is refused', localDiffers('it fails OnDemandThroughput updates with an unknown error'), async () => {
  const table = await createKeyTable(client, 'odt-update')
  const onDemand = async () => (await waitForActive(client, table)).OnDemandThroughput
  await client.send(new UpdateTableCommand({ TableName: table, OnDemandThroughput: { MaxReadRequestUnits: 1000, MaxWriteRequestUnits: 500 } }))
  await client.send(new UpdateTableCommand({ TableName: table, OnDemandThroughput: { MaxReadRequestUnits: 2000 } }))
  assert.deepEqual(await onDemand(), { MaxReadRequestUnits: 2000, MaxWriteRequestUnits: 500 })
  for (const [member, limit] of [['MaxWriteRequestUnits', 0], ['MaxReadRequestUnits', -2]] as const) {
    await expectError(client.send(new UpdateTableCommand({ TableName: table, OnDemandThroughput: { [member]: limit } })), 'ValidationException',
      `One or more parameter values were invalid: Requested ${member} for OnDemandThroughput for table is outside of valid range`)
  }
  // The answer shows a cleared maximum as the -1 that cleared it; DescribeTable leaves it out (DDB-TABLE-182).
  const answer = async (OnDemandThroughput: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number }) =>
    (await client.send(new UpdateTableCommand({ TableName: table, OnDemandThroughput }))).TableDescription!.OnDemandThroughput
  assert.deepEqual(await answer({ MaxReadRequestUnits: -1 }), { MaxReadRequestUnits: -1, MaxWriteRequestUnits: 500 })
  assert.deepEqual(await onDemand(), { MaxWriteRequestUnits: 500 })
  assert.deepEqual(await answer({ MaxWriteRequestUnits: -1 }), { MaxWriteRequestUnits: -1 })
  assert.equal(await onDemand(), undefined)
  assert.deepEqual(await answer({ MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 }), { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 })
  assert.equal(await onDemand(), undefined)
})

// DDB-TABLE-375, -161: a GSI update or delete naming an index the table does not have.
test('UpdateTable on a GSI the table does not have names the index and the table', localDiffers('its not-found message names neither index nor table'), async () => {
  const table = await createKeyTable(client, 'ghost-index')
  for (const update of [{ Delete: { IndexName: 'ghost' } }, { Update: { IndexName: 'ghost', OnDemandThroughput: { MaxReadRequestUnits: 5 } } }]) {
    await expectError(client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [update] })),
      'ResourceNotFoundException', `Requested resource not found: Index ghost for table ${table}`)
  }
})

// DDB-TABLE-302, -442: disabling a destination that is not ACTIVE (here never enabled) is refused
// in DynamoDB's words, which say "enable" and name KinesisStreamingDestination.
test('DisableKinesisStreamingDestination of a stream never enabled is refused in DynamoDB\'s words', localDiffers('it has no Kinesis streaming destinations'), async () => {
  const table = await createKeyTable(client, 'kinesis-off')
  await expectError(client.send(new DisableKinesisStreamingDestinationCommand({
    TableName: table, StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/never-enabled',
  })), 'ValidationException', 'Table is not in a valid state to enable Kinesis Streaming Destination: ' +
    'KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.')
})

// DDB-TABLE-205, -214, -070, -446: DeleteResourcePolicy on a table without a policy is a success
// with an empty answer; a missing table is named by its name for the policy operations and by its
// ARN (spelled "ResourceArn") for the tagging ones.
test('DeleteResourcePolicy without a policy succeeds; missing tables are named as DynamoDB names them', localDiffers('it has no resource policies'), async () => {
  const table = await createKeyTable(client, 'policy-none')
  const arn = (await waitForActive(client, table)).TableArn!
  const { $metadata: _metadata, ...answer } = await client.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }))
  assert.deepEqual(answer, {})
  await expectError(client.send(new GetResourcePolicyCommand({ ResourceArn: arn })), 'PolicyNotFoundException')
  const missing = `${arn}-missing`
  await expectError(client.send(new GetResourcePolicyCommand({ ResourceArn: missing })), 'ResourceNotFoundException',
    `Requested resource not found: Table: ${table}-missing not found`)
  await expectError(client.send(new ListTagsOfResourceCommand({ ResourceArn: missing })), 'ResourceNotFoundException',
    `Requested resource not found: ResourceArn: ${missing} not found`)
})

// TagResource and UntagResource refuse a bad key or value in DynamoDB's own words, not the generic
// constraint form, and more keys than a resource can hold (the same lab, DDB-TABLE-107).
test('TagResource and UntagResource word a bad tag as DynamoDB does', localDiffers('it has no tagging'), async () => {
  const table = await createKeyTable(client, 'tag-words')
  const ResourceArn = (await waitForActive(client, table)).TableArn!
  const tag = (Key: string, Value?: string) => client.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key, Value } as never] }))
  await expectError(tag('k'.repeat(129), 'v'), 'ValidationException', `The Tag Key provided is invalid, Key: ${'k'.repeat(129)}`)
  await expectError(tag('', 'v'), 'ValidationException', 'The Tag Key provided is invalid, Key: ')
  await expectError(tag('k', 'v'.repeat(257)), 'ValidationException', `The Tag Value provided is invalid, Value: ${'v'.repeat(257)}`)
  await expectError(tag('k'), 'ValidationException', 'The Tag Value provided is invalid, Value: null')
  await expectError(client.send(new UntagResourceCommand({ ResourceArn, TagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) })),
    'ValidationException', 'Number of Tags exceed the current limit for the provided ResourceArn')
  await expectError(client.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['k'.repeat(129)] })),
    'ValidationException', `The Tag Key provided is invalid, Key: ${'k'.repeat(129)}`)
})

// Deletion protection and a table's OnDemandThroughput change in place: the answer, and the table,
// stay ACTIVE (the same lab, DDB-TABLE-017 and DDB-TABLE-410); other changes pass through UPDATING.
test('UpdateTable of deletion protection or OnDemandThroughput answers ACTIVE', localDiffers('it fails OnDemandThroughput updates with an unknown error'), async () => {
  const table = await createKeyTable(client, 'in-place')
  await waitForActive(client, table)
  const protectedAnswer = await client.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: true }))
  assert.equal(protectedAnswer.TableDescription?.TableStatus, 'ACTIVE')
  assert.equal(protectedAnswer.TableDescription?.DeletionProtectionEnabled, true)
  const limited = await client.send(new UpdateTableCommand({ TableName: table, OnDemandThroughput: { MaxReadRequestUnits: 100 } }))
  assert.equal(limited.TableDescription?.TableStatus, 'ACTIVE')
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }))
  assert.deepEqual([Table?.TableStatus, Table?.OnDemandThroughput?.MaxReadRequestUnits], ['ACTIVE', 100])
  const streamed = await client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }))
  assert.equal(streamed.TableDescription?.TableStatus, 'UPDATING')
  await client.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }))
})

// An index's or a backup's ARN is refused by the tagging operations in DynamoDB's words for each
// (the same lab's catalogue, DDB-TABLE-071, DDB-BACKUP-013).
test('the tagging operations word an index or backup ARN as DynamoDB does', localDiffers('it has no tagging'), async () => {
  const table = await createKeyTable(client, 'tag-arns')
  const tableArn = (await waitForActive(client, table)).TableArn!
  const invalid = 'One or more parameter values were invalid: '
  const indexArn = `${tableArn}/index/byX`
  await expectError(client.send(new ListTagsOfResourceCommand({ ResourceArn: indexArn })), 'ValidationException',
    `${invalid}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${indexArn}`)
  await expectError(client.send(new TagResourceCommand({ ResourceArn: indexArn, Tags: [{ Key: 'k', Value: 'v' }] })), 'ValidationException',
    `${invalid}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${indexArn}`)
  const { BackupDetails } = await client.send(new CreateBackupCommand({ TableName: table, BackupName: 'tagged' }))
  await expectError(client.send(new ListTagsOfResourceCommand({ ResourceArn: BackupDetails!.BackupArn })), 'ValidationException',
    `${invalid}Provided Arn is not a DynamoDB resource arn: ${BackupDetails!.BackupArn}`)
})

// DDB-TABLE-032, -039, -061, -179 and Alternator's test_warm_throughput.py (run against DynamoDB):
// every table and global index has a WarmThroughput, 12,000/4,000 on demand and the capacity when
// provisioned, which only rises; CreateTable's answer shows it only when the request set it; a unit
// left out keeps its value; below the on-demand start, the capacity or the current value is refused.
test('WarmThroughput: its defaults, one unit at a time, and the values it refuses', localDiffers('it reports no WarmThroughput'), async () => {
  const warm = (read: number, write: number) => ({ ReadUnitsPerSecond: read, WriteUnitsPerSecond: write, Status: 'ACTIVE' })
  const onDemandName = uniqueTableName('warm')
  const created = await client.send(new CreateTableCommand({
    TableName: onDemandName, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  }))
  assert.equal(created.TableDescription!.WarmThroughput, undefined)
  const onDemand = await waitForActive(client, onDemandName)
  assert.deepEqual(onDemand.WarmThroughput, warm(12000, 4000))
  assert.deepEqual(onDemand.GlobalSecondaryIndexes![0]!.WarmThroughput, warm(12000, 4000))

  // The answer shows the change under way: the table ACTIVE, its warm throughput as it was, UPDATING (DDB-TABLE-179).
  const warming = (await client.send(new UpdateTableCommand({ TableName: onDemandName, WarmThroughput: { WriteUnitsPerSecond: 4100 } }))).TableDescription!
  assert.equal(warming.TableStatus, 'ACTIVE')
  assert.deepEqual(warming.WarmThroughput, { ...warm(12000, 4000), Status: 'UPDATING' })
  assert.deepEqual((await waitForActive(client, onDemandName)).WarmThroughput, warm(12000, 4100))
  await expectError(client.send(new UpdateTableCommand({ TableName: onDemandName, WarmThroughput: { ReadUnitsPerSecond: 1 } })),
    'ValidationException', 'One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is ' +
    'lower than initial throughput for OnDemand. See: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial')
  await expectError(client.send(new UpdateTableCommand({ TableName: onDemandName, WarmThroughput: { WriteUnitsPerSecond: 4050 } })),
    'ValidationException', 'One or more parameter values were invalid: Requested WriteUnitsPerSecond for WarmThroughput for table is ' +
    'lower than current WarmThroughput, decreasing WarmThroughput is not supported')

  // A global index has its own, set through GlobalSecondaryIndexUpdates and refused the same way.
  // The same for an index, which stays ACTIVE (DDB-TABLE-135).
  const indexWarming = (await client.send(new UpdateTableCommand({
    TableName: onDemandName, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', WarmThroughput: { ReadUnitsPerSecond: 12500 } } }],
  }))).TableDescription!
  assert.equal(indexWarming.TableStatus, 'ACTIVE')
  assert.equal(indexWarming.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE')
  assert.deepEqual(indexWarming.GlobalSecondaryIndexes![0]!.WarmThroughput, { ...warm(12000, 4000), Status: 'UPDATING' })
  const indexWarmed = await waitForActive(client, onDemandName)
  assert.deepEqual(indexWarmed.GlobalSecondaryIndexes![0]!.WarmThroughput, warm(12500, 4000))
  await expectError(client.send(new UpdateTableCommand({ TableName: onDemandName, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', WarmThroughput: { WriteUnitsPerSecond: 10 } } }] })),
    'ValidationException', 'One or more parameter values were invalid: Requested WriteUnitsPerSecond for WarmThroughput for index byG is ' +
    'lower than initial throughput for OnDemand. See: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial')

  const setAtCreate = await createKeyTableWith('warm-set', { WarmThroughput: { ReadUnitsPerSecond: 12240 } })
  assert.deepEqual(setAtCreate.WarmThroughput, warm(12240, 4000))
  await expectError(createKeyTableWith('warm-low', { WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 3999 } }),
    'ValidationException', /Requested WriteUnitsPerSecond for WarmThroughput for table is lower than initial throughput for OnDemand/)

  // Provisioned: the capacity, the highest ever, kept through a switch to on demand and back.
  const provisioned = await createKeyTableWith('warm-prov', { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 } })
  assert.deepEqual(provisioned.WarmThroughput, warm(5, 7))
  await expectError(createKeyTableWith('warm-prov-low', {
    ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 }, WarmThroughput: { ReadUnitsPerSecond: 5, WriteUnitsPerSecond: 10 },
  }), 'ValidationException', 'One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is ' +
    'lower than ReadCapacityUnits of ProvisionedThroughput')
  await client.send(new UpdateTableCommand({ TableName: provisioned.TableName, ProvisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 8 } }))
  await waitForActive(client, provisioned.TableName!)
  await client.send(new UpdateTableCommand({ TableName: provisioned.TableName, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } }))
  assert.deepEqual((await waitForActive(client, provisioned.TableName!)).WarmThroughput, warm(9, 8))
  await client.send(new UpdateTableCommand({ TableName: provisioned.TableName, BillingMode: 'PAY_PER_REQUEST' }))
  assert.deepEqual((await waitForActive(client, provisioned.TableName!)).WarmThroughput, warm(12000, 4000))
  await client.send(new UpdateTableCommand({ TableName: provisioned.TableName, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }))
  assert.deepEqual((await waitForActive(client, provisioned.TableName!)).WarmThroughput, warm(12000, 4000))
})

// An unknown TableClass has a message of its own in CreateTable and UpdateTable, not the enum
// constraint's (an API-quirks lab's error catalogue; Alternator's test_tableclass tests, run
// against DynamoDB), for a lower-case spelling too.
test('an unknown TableClass is refused in DynamoDB\'s words', localDiffers('it accepts an unknown TableClass'), async () => {
  const message = 'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].'
  await expectError(createKeyTableWith('class-bad', { TableClass: 'standard' as never }), 'ValidationException', message)
  const table = await createKeyTableWith('class-ok', { TableClass: 'STANDARD_INFREQUENT_ACCESS' })
  await expectError(client.send(new UpdateTableCommand({ TableName: table.TableName, TableClass: 'junk' as never })), 'ValidationException', message)
})

// A new GSI may not give an attribute another type than the table already knows it by; DynamoDB
// prints both schemas (Alternator's test_gsi_key_type_conflict_on_update, run against DynamoDB).
test('a new GSI that redefines a key attribute\'s type is refused, naming both schemas', localDiffers('its message is "invalid attribute, SchemaElement redefined should be of same type as previously defined"'), async () => {
  const table = await createKeyTableWith('redefine', {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'xyz', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'index1', KeySchema: [{ AttributeName: 'xyz', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  })
  await expectError(client.send(new UpdateTableCommand({
    TableName: table.TableName,
    AttributeDefinitions: [{ AttributeName: 'xyz', AttributeType: 'N' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'index2', KeySchema: [{ AttributeName: 'xyz', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  })), 'ValidationException', 'One or more parameter values were invalid: Attributes cannot be redefined. Please check that your ' +
    'attribute has the same type as previously defined. Existing schema: Schema:[SchemaElement: key{xyz:S:HASH}] ' +
    'New schema: Schema:[SchemaElement: key{xyz:N:HASH}]')
})

// DDB-TABLE-125 of the API-quirks lab, against AWS, 2026-10: AttributeDefinitions and an index's
// NonKeyAttributes come back sorted by name, whatever order the request gave; indexes keep theirs.
test('AttributeDefinitions and NonKeyAttributes are described sorted by name', localDiffers('it answers them in request order'), async () => {
  const definitions = ['z', 'a', 'm', 'sk', 'pk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }))
  const created = await createKeyTableWith('sorted', {
    BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: definitions,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [
      { IndexName: 'byZ', KeySchema: [{ AttributeName: 'z', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['c', 'a', 'b'] } },
      { IndexName: 'byA', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'm', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
  })
  assert.deepEqual(created.AttributeDefinitions?.map((definition) => definition.AttributeName), ['a', 'm', 'pk', 'sk', 'z'])
  const described = await waitForActive(client, created.TableName!)
  assert.deepEqual(described.AttributeDefinitions?.map((definition) => definition.AttributeName), ['a', 'm', 'pk', 'sk', 'z'])
  assert.deepEqual(described.GlobalSecondaryIndexes?.map((index) => index.IndexName), ['byZ', 'byA'])
  assert.deepEqual(described.GlobalSecondaryIndexes?.[0]?.Projection?.NonKeyAttributes, ['a', 'b', 'c'])
})

// DDB-TABLE-060, -184, -148: UpdateTable's answer to a capacity change shows the units and the
// decrease count the table (or index) had, with the new change's time; DescribeTable then shows
// the new ones. Four decreases a UTC day are free, then one an hour, refused in DynamoDB's words.
test('capacity changes answer what was; the fifth decrease of a day is refused', localDiffers('it neither echoes the old units nor limits decreases'), async (t) => {
  // Which UTC day it is, only to tell whether the count restarted at midnight during the test.
  const utcDay = () => Math.floor(Date.now() / 86_400_000)
  const dayAtStart = utcDay()
  const units = (read: number, write: number) => ({ ReadCapacityUnits: read, WriteCapacityUnits: write })
  const created = await createKeyTableWith('decreases', {
    ProvisionedThroughput: units(10, 10),
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' },
      ProvisionedThroughput: units(5, 5),
    }],
  })
  const table = created.TableName!
  const update = async (ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number }) => {
    const { TableDescription } = await client.send(new UpdateTableCommand({ TableName: table, ProvisionedThroughput }))
    await waitForActive(client, table)
    return TableDescription!.ProvisionedThroughput!
  }
  const first = await update(units(9, 9))
  assert.deepEqual([first.ReadCapacityUnits, first.WriteCapacityUnits, first.NumberOfDecreasesToday], [10, 10, 0])
  assert.ok(first.LastDecreaseDateTime instanceof Date, 'the answer has the new decrease\'s time')
  const described = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.ProvisionedThroughput!
  assert.deepEqual([described.ReadCapacityUnits, described.WriteCapacityUnits, described.NumberOfDecreasesToday], [9, 9, 1])
  const increased = await update(units(12, 9))
  assert.deepEqual([increased.ReadCapacityUnits, increased.WriteCapacityUnits, increased.NumberOfDecreasesToday], [9, 9, 1])
  assert.ok(increased.LastIncreaseDateTime instanceof Date)
  for (const write of [8, 7, 6]) await update(units(12, write))
  const refused = client.send(new UpdateTableCommand({ TableName: table, ProvisionedThroughput: units(12, 5) }))
  // Settled before the day is read again, so that every decrease, this one included, fell within
  // the two readings: the same day at both means the same day for all of them. Nothing is timed.
  await refused.catch(() => undefined)
  if (utcDay() !== dayAtStart) {
    t.skip('the UTC day changed during the test, which starts the count again')
    return
  }
  const spelled = '\\w+day, \\w+ \\d{1,2}, \\d{4} at \\d{1,2}:\\d\\d:\\d\\d [AP]M Coordinated Universal Time'
  await expectError(refused, 'LimitExceededException', new RegExp('^Subscriber limit exceeded: Provisioned throughput decreases are limited ' +
    'within a given UTC day\\. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once ' +
    `every 3600 seconds\\. Number of decreases today: 4\\. Last decrease at ${spelled}\\. Next decrease can be made at ${spelled}\\.$`))
  // An increase is still accepted.
  await update(units(13, 6))
  // An index's own capacity change answers the same way.
  const { TableDescription } = await client.send(new UpdateTableCommand({
    TableName: table, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: units(4, 4) } }],
  }))
  const updatingIndex = TableDescription!.GlobalSecondaryIndexes!.find((each) => each.IndexName === 'byG')!
  const index = updatingIndex.ProvisionedThroughput!
  assert.deepEqual([index.ReadCapacityUnits, index.WriteCapacityUnits, index.NumberOfDecreasesToday], [5, 5, 0])
  // The index's change is under way while the table stays ACTIVE (DDB-TABLE-148).
  assert.deepEqual([TableDescription!.TableStatus, updatingIndex.IndexStatus], ['ACTIVE', 'UPDATING'])
  await waitForActive(client, table)
  const after = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.GlobalSecondaryIndexes![0]!.ProvisionedThroughput!
  assert.deepEqual([after.ReadCapacityUnits, after.WriteCapacityUnits, after.NumberOfDecreasesToday], [4, 4, 1])
})
