/**
 * StartBulkPutItems, DescribeBulkOperation, ListBulkOperations and CancelBulkOperation through the
 * real SDK against EddyDB, reading from and reporting to a real S3 server (moto): records put into
 * an existing table as PutItem puts them (indexes, conditions), bad records and false conditions
 * reported, the ClientToken, cancellation, and the refusals.
 */
import { strict as assert } from 'node:assert'
import { after, before, describe, test } from 'node:test'
import {
  CancelBulkOperationCommand, DescribeBulkOperationCommand, GetItemCommand, ListBulkOperationsCommand, PutItemCommand, QueryCommand,
  StartBulkPutItemsCommand, UpdateTableCommand, type StartBulkPutItemsCommandInput,
} from '@aws-sdk/client-dynamodb'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import type { S3TestServer } from '../helpers/s3-server.js'
import { expectError } from '../helpers/errors.js'
import { jobsOf } from '../../src/backups/jobs.js'
import { gzip, objectKeys, objectText, waitForBulkOperation, withS3Server } from './helpers.js'

const source = 'bulk-source'
const reports = 'bulk-reports'

describe('bulk put items', () => {
  let s3: S3TestServer
  let server: TestServer

  withS3Server(startTestServer, [source, reports], (started, startedServer) => { s3 = started; server = startedServer })

  const put = (key: string, body: Buffer | string) => s3.client.send(new PutObjectCommand({ Bucket: source, Key: key, Body: body }))
  const line = (record: object) => JSON.stringify(record)

  async function indexedTable(prefix: string): Promise<string> {
    const TableName = uniqueTableName(prefix)
    await createTable(server.client, {
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    })
    return TableName
  }

  function request(TableName: string, prefix: string, extra: Partial<StartBulkPutItemsCommandInput> = {}): StartBulkPutItemsCommandInput {
    return {
      TableName,
      InputS3Configuration: { S3Bucket: source, S3KeyPrefix: prefix, InputFormat: 'DYNAMODB_JSON' },
      OutputS3Configuration: { S3Bucket: reports, S3KeyPrefix: prefix, OutputType: ['ERROR', 'CONDITION_CHECK_FAILURE'] },
      ...extra,
    }
  }

  const finished = (arn: string) => waitForBulkOperation(server.client, arn)

  const jsonLines = (text: Buffer) => text.toString('utf8').split('\n').filter((each) => each !== '').map((each) => JSON.parse(each))

  test('puts the records into the existing table, reports bad ones and false conditions, and counts them', async () => {
    const TableName = await indexedTable('bulk-put')
    await server.client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'kept' }, color: { S: 'red' }, v: { N: '1' } } }))
    await put('run1/a.json', [
      line({ Item: { pk: { S: 'a' }, color: { S: 'blue' } } }),
      '',
      line({ Item: { color: { S: 'green' } } }),
      line({ Item: { pk: { S: 'kept' }, color: { S: 'blue' }, v: { N: '2' } }, ConditionExpression: 'attribute_not_exists(pk)' }),
      line({ Item: { pk: { S: 'b' }, color: { S: 'blue' }, v: { N: '3' } }, ConditionExpression: 'attribute_not_exists(#v) OR #v < :max', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':max': { N: '9' } } }),
    ].join('\n'))
    await put('run1/b.json', `${line({ Item: { pk: { S: 'c' }, color: { S: 'blue' } } })}\nnot json\n`)

    const started = (await server.client.send(new StartBulkPutItemsCommand({ ...request(TableName, 'run1/'), ClientToken: 'run1' }))).BulkOperationDescription!
    assert.equal(started.BulkOperationStatus, 'IN_PROGRESS')
    assert.match(started.BulkOperationArn!, new RegExp(`:table/${TableName}/bulk-operation/\\d{14}-[0-9a-f]{8}$`))
    assert.equal(started.PerformanceTier, 'STANDARD')
    const done = await finished(started.BulkOperationArn!)
    assert.deepEqual([done.BulkOperationStatus, done.ProcessedItemCount, done.FailedItemCount], ['COMPLETED_WITH_ERRORS', 6, 2])
    assert.ok(done.EndTime instanceof Date)
    assert.ok(done.TotalInputBytes! > 0 && done.ProcessedInputBytes! > 0)

    // The good records are in the table and its index; the false condition left the item as it was.
    const blue = await server.client.send(new QueryCommand({ TableName, IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'blue' } } }))
    assert.deepEqual(blue.Items!.map((item) => item.pk!.S).sort(), ['a', 'b', 'c'])
    const kept = await server.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'kept' } } }))
    assert.equal(kept.Item?.v?.N, '1')

    // The report: each bad record with its error, each false condition with the item it met.
    const prefix = `run1/${done.BulkOperationArn!.split('/').pop()}/`
    assert.deepEqual(await objectKeys(s3.client, reports, prefix), [`${prefix}condition-check-failures.json`, `${prefix}errors.json`, `${prefix}manifest.json`])
    const errors = jsonLines(await objectText(s3.client, reports, `${prefix}errors.json`))
    assert.deepEqual(errors.map((error) => [error.objectKey, error.lineNumber, error.errorCode]),
      [['run1/a.json', 3, 'ValidationException'], ['run1/b.json', 2, 'ValidationException']])
    assert.match(errors[0].errorMessage, /missing the key pk/i)
    const failures = jsonLines(await objectText(s3.client, reports, `${prefix}condition-check-failures.json`))
    assert.deepEqual(failures, [{
      objectKey: 'run1/a.json', lineNumber: 4,
      Item: { pk: { S: 'kept' }, color: { S: 'blue' }, v: { N: '2' } },
      ExistingItem: { pk: { S: 'kept' }, color: { S: 'red' }, v: { N: '1' } },
    }])

    // The ClientToken names this operation again; with other parameters it is refused.
    const again = await server.client.send(new StartBulkPutItemsCommand({ ...request(TableName, 'run1/'), ClientToken: 'run1' }))
    assert.equal(again.BulkOperationDescription!.BulkOperationArn, done.BulkOperationArn)
    await expectError(server.client.send(new StartBulkPutItemsCommand({ ...request(TableName, 'other/'), ClientToken: 'run1' })),
      'IdempotentParameterMismatchException')

    const listed = await server.client.send(new ListBulkOperationsCommand({ MaxResults: 25 }))
    assert.ok(listed.BulkOperationsSummaryList!.some((each) => each.BulkOperationArn === done.BulkOperationArn && each.BulkOperationStatus === 'COMPLETED_WITH_ERRORS'))
  })

  test('reads gzipped Ion items; COMPLETED when every record is put', async () => {
    const TableName = await indexedTable('bulk-ion')
    await put('ion/items.ion.gz', gzip('$ion_1_0 {Item:{pk:"i1",color:"teal",n:5.}}\n{Item:{pk:"i2",color:"teal"}}\n'))
    const started = await server.client.send(new StartBulkPutItemsCommand({
      ...request(TableName, 'ion/'), InputS3Configuration: { S3Bucket: source, S3KeyPrefix: 'ion/', InputFormat: 'ION', InputCompressionType: 'GZIP' },
    }))
    const done = await finished(started.BulkOperationDescription!.BulkOperationArn!)
    assert.deepEqual([done.BulkOperationStatus, done.ProcessedItemCount, done.FailedItemCount], ['COMPLETED', 2, 0])
    const item = await server.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'i1' } } }))
    assert.deepEqual(item.Item, { pk: { S: 'i1' }, color: { S: 'teal' }, n: { N: '5' } })
  })

  test('keeps replicas from being added while it runs, and is cancelled between records', async () => {
    const TableName = await indexedTable('bulk-cancel')
    await put('cancel/a.json', Array.from({ length: 50 }, (_, index) => line({ Item: { pk: { S: `k${index}` }, color: { S: 'x' } } })).join('\n'))
    const release = jobsOf(await server.running!.regions.get('us-east-1')).hold()
    const started = await server.client.send(new StartBulkPutItemsCommand(request(TableName, 'cancel/')))
    const arn = started.BulkOperationDescription!.BulkOperationArn!
    // A table with a bulk put under way takes no replica, as DynamoDB documents.
    await expectError(server.client.send(new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] })),
      'ValidationException', `Cannot add a replica to table ${TableName} while a bulk put items operation is in progress on it`)
    const cancelling = await server.client.send(new CancelBulkOperationCommand({ BulkOperationArn: arn }))
    assert.deepEqual([cancelling.BulkOperationArn, cancelling.BulkOperationStatus], [arn, 'CANCELLING'])
    release()
    const done = await finished(arn)
    assert.deepEqual([done.BulkOperationStatus, done.ProcessedItemCount], ['CANCELLED', 0])
    await expectError(server.client.send(new CancelBulkOperationCommand({ BulkOperationArn: arn })), 'ValidationException',
      `Bulk operation ${arn} cannot be cancelled: its status is CANCELLED`)
  })

  test('refuses what DynamoDB refuses', async () => {
    const TableName = await indexedTable('bulk-refusals')
    await expectError(server.client.send(new StartBulkPutItemsCommand(request(uniqueTableName('missing'), 'x/'))), 'ResourceNotFoundException')
    await expectError(server.client.send(new StartBulkPutItemsCommand({ ...request(TableName, 'x/'), MaxWriteRequestUnits: 1000 })),
      'ValidationException', /Member must have value greater than or equal to 1024/)
    await expectError(server.client.send(new StartBulkPutItemsCommand({ ...request(TableName, 'x/'), OutputS3Configuration: { S3Bucket: reports, OutputType: [] } })),
      'ValidationException', /outputType/)
    await server.client.send(new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await expectError(server.client.send(new StartBulkPutItemsCommand(request(TableName, 'x/'))), 'ValidationException',
      `Bulk put items does not support global tables: table ${TableName} is part of one`)
    const unknown = `arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}/bulk-operation/00000000000000-00000000`
    await expectError(server.client.send(new DescribeBulkOperationCommand({ BulkOperationArn: unknown })), 'ResourceNotFoundException')
  })
})
