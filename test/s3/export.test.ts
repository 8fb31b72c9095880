/**
 * ExportTableToPointInTime through the real SDK, writing to a real S3 server (moto): the layout
 * and manifests of spec §6 checked with an S3 client, full exports equal to the table at
 * ExportTime while writes go on, incremental exports' compacted lines, round trips through
 * ImportTable for both formats, and the errors DynamoDB gives.
 */
import { strict as assert } from 'node:assert'
import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { after, before, describe, test } from 'node:test'
import {
  CreateTableCommand, DeleteItemCommand, ExportTableToPointInTimeCommand, ImportTableCommand, ListExportsCommand,
  PutItemCommand, UpdateItemCommand, DescribeExportCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import type { S3TestServer } from '../helpers/s3-server.js'
import { uniqueTableName } from '../helpers/server.js'
import { waitForActive } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { enablePitr, startBackupTestServer, type BackupTestServer } from '../backups/helpers.js'
import { newExportableTable, objectKeys, objectText, scanAll, waitForExport, waitForImport, withS3Server } from './helpers.js'
import { itemFromIonLine } from '../../src/s3/ion-items.js'

const bucket = 'export-target'

/** One item of every attribute type, DynamoDB's extremes included. */
function everyType(pk: string): Record<string, AttributeValue> {
  return {
    pk: { S: pk },
    big: { N: '12345678901234567890123456789012345678' },
    tiny: { N: '-1.5E-130' },
    huge: { N: '9.9999999999999999999999999999999999999E+125' },
    bin: { B: Uint8Array.from([0, 1, 2, 255]) },
    ss: { SS: ['x', 'y', 'é'] },
    ns: { NS: ['1', '-2.5', '100'] },
    bs: { BS: [Uint8Array.from([1]), Uint8Array.from([2, 3])] },
    map: { M: { nested: { L: [{ S: '' }, { N: '0' }, { NULL: true }, { BOOL: false }, { M: { deep: { SS: ['q'] } } }] } } },
    empty: { S: '' },
    quote: { S: 'line\nbreak "quoted" \\ tab\t' },
    yes: { BOOL: true },
    nothing: { NULL: true },
  }
}

describe('ExportTableToPointInTime', () => {
  let s3: S3TestServer
  let server: BackupTestServer

  withS3Server(startBackupTestServer, [bucket], (started, startedServer) => { s3 = started; server = startedServer })

  const newTable = (prefix: string) => newExportableTable(server.client, prefix)

  async function importInto(exportPrefix: string, format: 'DYNAMODB_JSON' | 'ION'): Promise<string> {
    const name = uniqueTableName('exp-back')
    const started = await server.client.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: exportPrefix },
      InputFormat: format, InputCompressionType: 'GZIP',
      TableCreationParameters: {
        TableName: name, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    }))
    const done = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.equal(done.ImportStatus, 'COMPLETED', done.FailureMessage)
    return name
  }

  for (const format of ['DYNAMODB_JSON', 'ION'] as const) {
    test(`a full ${format} export equals the table at ExportTime while writes go on, and imports back identical`, async () => {
      const table = await newTable(`exp-${format.toLowerCase()}`)
      for (let index = 0; index < 30; index++) {
        await server.client.send(new PutItemCommand({ TableName: table.name, Item: everyType(`k${index}`) }))
      }
      server.clock.advance(1000)
      const exportTime = server.clock.now() / 1000
      const atExportTime = await scanAll(server.client, table.name)
      server.clock.advance(1000)
      // Writes after ExportTime: none of them may show in the export.
      await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'later' } } }))
      await server.client.send(new DeleteItemCommand({ TableName: table.name, Key: { pk: { S: 'k3' } } }))
      await server.client.send(new UpdateItemCommand({
        TableName: table.name, Key: { pk: { S: 'k4' } }, UpdateExpression: 'SET #e = :v', ExpressionAttributeNames: { '#e': 'empty' }, ExpressionAttributeValues: { ':v': { S: 'changed' } },
      }))
      const prefix = `full/${format}`
      const started = (await server.client.send(new ExportTableToPointInTimeCommand({
        TableArn: table.arn, S3Bucket: bucket, S3Prefix: prefix, ExportTime: new Date(exportTime * 1000), ExportFormat: format,
      }))).ExportDescription!
      assert.equal(started.ExportStatus, 'IN_PROGRESS')
      assert.equal(started.ExportFormat, format)
      assert.equal(started.ExportType, undefined)
      // S3's own encryption is named though the request asked for none, as AWS answers.
      assert.equal(started.S3SseAlgorithm, 'AES256')
      assert.ok(started.ClientToken)
      assert.match(started.ExportArn!, new RegExp(`^${table.arn}/export/\\d{14}-[0-9a-f]{8}$`))
      // Writes while the export runs do not show either.
      await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'during' } } }))
      const done = await waitForExport(server.client, started.ExportArn!)
      assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage)
      assert.equal(done.ItemCount, 30)
      assert.ok(done.BilledSizeBytes! > 0)
      const id = started.ExportArn!.split('/export/')[1]!
      const root = `${prefix}/AWSDynamoDB/${id}/`
      assert.equal(done.ExportManifest, `${root}manifest-summary.json`)
      assert.equal(done.S3SseAlgorithm, 'AES256')

      const keys = await objectKeys(s3.client, bucket, `${prefix}/`)
      const extension = format === 'ION' ? 'ion.gz' : 'json.gz'
      const dataKeys = keys.filter((key) => key.startsWith(`${root}data/`))
      assert.ok(dataKeys.length >= 1)
      for (const key of dataKeys) assert.match(key, new RegExp(`^${root}data/[a-z2-7]{26}\\.${extension.replace('.', '\\.')}$`))
      assert.deepEqual(keys.filter((key) => !dataKeys.includes(key)), [
        `${root}_started`, `${root}manifest-files.json`, `${root}manifest-files.md5`, `${root}manifest-summary.json`, `${root}manifest-summary.md5`,
      ])
      assert.equal((await objectText(s3.client, bucket, `${root}_started`)).length, 0)

      const summaryText = (await objectText(s3.client, bucket, `${root}manifest-summary.json`)).toString()
      const summary = JSON.parse(summaryText)
      assert.deepEqual(Object.keys(summary), ['version', 'exportArn', 'startTime', 'endTime', 'tableArn', 'tableId', 'exportTime',
        's3Bucket', 's3Prefix', 's3SseAlgorithm', 's3SseKmsKeyId', 'manifestFilesS3Key', 'billedSizeBytes', 'itemCount', 'outputFormat'])
      assert.equal(summary.version, '2020-06-30')
      assert.equal(summary.exportArn, started.ExportArn)
      assert.equal(summary.exportTime, new Date(Math.round(exportTime * 1000)).toISOString())
      assert.match(summary.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      assert.equal(summary.s3Prefix, prefix)
      assert.equal(summary.s3SseAlgorithm, 'AES256')
      assert.equal(summary.s3SseKmsKeyId, null)
      assert.equal(summary.manifestFilesS3Key, `${root}manifest-files.json`)
      assert.equal(summary.itemCount, 30)
      assert.equal(summary.outputFormat, format)
      assert.ok(!summaryText.endsWith('\n'))
      const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('base64')
      assert.equal((await objectText(s3.client, bucket, `${root}manifest-summary.md5`)).toString(), md5(summaryText))
      const filesText = (await objectText(s3.client, bucket, `${root}manifest-files.json`)).toString()
      assert.equal((await objectText(s3.client, bucket, `${root}manifest-files.md5`)).toString(), md5(filesText))
      assert.ok(filesText.endsWith('\n'))
      const entries = filesText.trim().split('\n').map((line) => JSON.parse(line))
      assert.deepEqual(entries.map((entry) => entry.dataFileS3Key).sort(), dataKeys)
      let lines: string[] = []
      for (const entry of entries) {
        assert.deepEqual(Object.keys(entry), ['itemCount', 'md5Checksum', 'etag', 'dataFileS3Key'])
        const data = await objectText(s3.client, bucket, entry.dataFileS3Key)
        assert.equal(entry.md5Checksum, md5(data))
        const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: entry.dataFileS3Key }))
        assert.equal(entry.etag, head.ETag!.replace(/"/g, ''))
        const fileLines = gunzipSync(data).toString().split('\n').filter(Boolean)
        assert.equal(fileLines.length, entry.itemCount)
        lines = lines.concat(fileLines)
      }
      if (format === 'DYNAMODB_JSON') {
        for (const line of lines) assert.match(line, /^\{"Item":\{.*\}\}$/)
      } else {
        for (const line of lines) assert.match(line, /^\$ion_1_0 \{Item:\{/)
        assert.deepEqual(itemFromIonLine(lines.find((line) => line.includes('"k0"'))!).big, { N: '12345678901234567890123456789012345678' })
      }
      const imported = await importInto(`${root}data/`, format)
      assert.deepEqual(await scanAll(server.client, imported), atExportTime)
    })
  }

  test('an incremental export holds each changed key once, compacted, in the shared data folder; full + incremental rebuilds the table', async () => {
    const table = await newTable('exp-incr')
    await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'a' }, v: { N: '1' } } }))
    await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'b' }, v: { N: '1' } } }))
    server.clock.advance(1000)
    const from = server.clock.now() / 1000
    const atFrom = await scanAll(server.client, table.name)
    server.clock.advance(1000)
    await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'c' }, v: everyType('c').map } }))
    await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'a' }, v: { N: '2' } } }))
    await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'a' }, v: { N: '3' }, w: { S: 'x' } } }))
    await server.client.send(new DeleteItemCommand({ TableName: table.name, Key: { pk: { S: 'b' } } }))
    await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'd' } } }))
    await server.client.send(new DeleteItemCommand({ TableName: table.name, Key: { pk: { S: 'd' } } }))
    server.clock.advance(20 * 60_000)
    const to = server.clock.now() / 1000
    const atTo = await scanAll(server.client, table.name)
    server.clock.advance(1000)
    await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'after' } } }))

    await expectError(server.client.send(new ExportTableToPointInTimeCommand({
      TableArn: table.arn, S3Bucket: bucket, ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: { ExportFromTime: new Date(from * 1000), ExportToTime: new Date((from + 60) * 1000) },
    })), 'InvalidExportTimeException', /at least 15 minutes/)

    const prefix = 'incr'
    server.clock.advance(1000 - (server.clock.now() % 1000) + 357)  // started between two seconds
    const started = (await server.client.send(new ExportTableToPointInTimeCommand({
      TableArn: table.arn, S3Bucket: bucket, S3Prefix: prefix, ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: { ExportFromTime: new Date(from * 1000), ExportToTime: new Date(to * 1000) },
    }))).ExportDescription!
    assert.equal(started.ExportType, 'INCREMENTAL_EXPORT')
    // An incremental export starts on a whole second, in its id too (the spec's AWS observations).
    assert.equal(started.StartTime!.getTime(), Math.floor(server.clock.now() / 1000) * 1000)
    assert.match(started.ExportArn!, new RegExp(`/export/${String(started.StartTime!.getTime()).padStart(14, '0')}-[0-9a-f]{8}$`))
    const done = await waitForExport(server.client, started.ExportArn!)
    assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage)
    assert.equal(done.ItemCount, 3)
    assert.equal(done.BilledSizeBytes, 10_000_000)
    const id = started.ExportArn!.split('/export/')[1]!
    const summary = JSON.parse((await objectText(s3.client, bucket, `${prefix}/AWSDynamoDB/${id}/manifest-summary.json`)).toString())
    assert.deepEqual(Object.keys(summary), ['version', 'exportArn', 'startTime', 'endTime', 'tableArn', 'tableId', 'exportFromTime', 'exportToTime',
      's3Bucket', 's3Prefix', 's3SseAlgorithm', 's3SseKmsKeyId', 'manifestFilesS3Key', 'billedSizeBytes', 'itemCount', 'outputFormat', 'outputView', 'exportType'])
    assert.equal(summary.version, '2023-08-01')
    assert.equal(summary.outputView, 'NEW_AND_OLD_IMAGES')
    const entries = (await objectText(s3.client, bucket, summary.manifestFilesS3Key)).toString().trim().split('\n').map((line) => JSON.parse(line))
    const records: any[] = []
    for (const entry of entries) {
      assert.match(entry.dataFileS3Key, /^incr\/AWSDynamoDB\/data\/[a-z2-7]{26}\.json\.gz$/)
      for (const line of gunzipSync(await objectText(s3.client, bucket, entry.dataFileS3Key)).toString().split('\n').filter(Boolean)) {
        records.push(JSON.parse(line))
      }
    }
    const byKey = new Map(records.map((record) => [record.Keys.pk.S, record]))
    assert.deepEqual([...byKey.keys()].sort(), ['a', 'b', 'c'])
    assert.deepEqual(Object.keys(byKey.get('a')), ['Metadata', 'Keys', 'OldImage', 'NewImage'])
    assert.deepEqual(byKey.get('a').OldImage, { pk: { S: 'a' }, v: { N: '1' } })
    assert.deepEqual(byKey.get('a').NewImage, { pk: { S: 'a' }, v: { N: '3' }, w: { S: 'x' } })
    assert.match(byKey.get('a').Metadata.WriteTimestampMicros.N, /^\d{16}$/)
    assert.deepEqual(Object.keys(byKey.get('b')), ['Metadata', 'Keys', 'OldImage'])
    assert.deepEqual(Object.keys(byKey.get('c')), ['Metadata', 'Keys', 'NewImage'])

    // A full export at `from`, imported, then the incremental records applied: the table at `to`.
    const full = (await server.client.send(new ExportTableToPointInTimeCommand({
      TableArn: table.arn, S3Bucket: bucket, S3Prefix: 'base', ExportTime: new Date(from * 1000),
    }))).ExportDescription!
    await waitForExport(server.client, full.ExportArn!)
    const rebuilt = await importInto(`base/AWSDynamoDB/${full.ExportArn!.split('/export/')[1]}/data/`, 'DYNAMODB_JSON')
    assert.deepEqual(await scanAll(server.client, rebuilt), atFrom)
    for (const record of records) {
      if (record.NewImage) await server.client.send(new PutItemCommand({ TableName: rebuilt, Item: unmarshalled(record.NewImage) }))
      else await server.client.send(new DeleteItemCommand({ TableName: rebuilt, Key: unmarshalled(record.Keys) }))
    }
    assert.deepEqual(await scanAll(server.client, rebuilt), atTo)

    const ion = (await server.client.send(new ExportTableToPointInTimeCommand({
      TableArn: table.arn, S3Bucket: bucket, S3Prefix: 'incr-ion', ExportType: 'INCREMENTAL_EXPORT', ExportFormat: 'ION',
      IncrementalExportSpecification: { ExportFromTime: new Date(from * 1000), ExportToTime: new Date(to * 1000), ExportViewType: 'NEW_IMAGE' },
    }))).ExportDescription!
    const ionDone = await waitForExport(server.client, ion.ExportArn!)
    assert.equal(ionDone.ItemCount, 3)
    const ionKeys = (await objectKeys(s3.client, bucket, 'incr-ion/AWSDynamoDB/data/'))
    const ionLines = gunzipSync(await objectText(s3.client, bucket, ionKeys[0]!)).toString().trim().split('\n')
    const deleted = ionLines.find((line) => line.includes('"b"'))!
    assert.match(deleted, /^\$ion_1_0 \{Metadata:\{WriteTimestampMicros:\d+(\.|d\d+)\},Keys:\{"pk":"b"\}\}$/)
  })

  /** Every record of an export's data files (DynamoDB JSON), parsed. */
  async function exportedRecords(exportArn: string, prefix: string): Promise<any[]> {
    const summaryKey = `${prefix}/AWSDynamoDB/${exportArn.split('/export/')[1]}/manifest-summary.json`
    const summary = JSON.parse((await objectText(s3.client, bucket, summaryKey)).toString())
    const records: any[] = []
    for (const line of (await objectText(s3.client, bucket, summary.manifestFilesS3Key)).toString().trim().split('\n')) {
      const data = gunzipSync(await objectText(s3.client, bucket, JSON.parse(line).dataFileS3Key)).toString()
      records.push(...data.split('\n').filter(Boolean).map((each) => JSON.parse(each)))
    }
    return records
  }

  // DynamoDB's "Filtering a table export": Query's key condition, Scan's filter, a projection;
  // an incremental export filters each changed key's latest image (the old one if deleted).
  // An export asked for without ExportTime holds every write acknowledged before it, also after
  // the clock stepped back: it reads the table's log through its last sequence then (once, the
  // changes its time found there, which left out the writes made after the step).
  test('an export without ExportTime after the clock stepped back holds every acknowledged write', async () => {
    const table = await newTable('exp-step')
    for (const pk of ['a', 'b', 'c']) {
      server.clock.advance(200_000)
      await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: pk } } }))
    }
    server.clock.stepBack(5 * 60_000)
    try {
      await server.client.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'after-step' } } }))
      const started = await server.client.send(new ExportTableToPointInTimeCommand({ TableArn: table.arn, S3Bucket: bucket, S3Prefix: 'step' }))
      const done = await waitForExport(server.client, started.ExportDescription!.ExportArn!)
      assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage)
      assert.equal(done.ItemCount, 4)
    } finally {
      server.clock.advance(5 * 60_000)
    }
  })

  test('a filtered export writes only the items its key condition and filter select, projected', async () => {
    const name = uniqueTableName('exp-filter')
    await server.client.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }))
    const arn = (await waitForActive(server.client, name)).TableArn!
    await enablePitr(server.client, name)
    const item = (pk: string, sk: number, color: string) => ({ pk: { S: pk }, sk: { N: String(sk) }, color: { S: color }, size: { N: String(sk * 10) } })
    for (const each of [item('p1', 1, 'red'), item('p1', 2, 'blue'), item('p1', 3, 'red'), item('p2', 1, 'red')]) {
      await server.client.send(new PutItemCommand({ TableName: name, Item: each }))
    }
    server.clock.advance(1000)
    const from = server.clock.now() / 1000
    server.clock.advance(1000)

    const FilterSpecification = {
      KeyConditionExpression: 'pk = :p AND sk >= :s', FilterExpression: '#c = :red', ProjectionExpression: 'pk, sk, #c',
      ExpressionAttributeNames: { '#c': 'color' }, ExpressionAttributeValues: { ':p': { S: 'p1' }, ':s': { N: '2' }, ':red': { S: 'red' } },
    }
    const started = (await server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket, S3Prefix: 'filtered', FilterSpecification }))).ExportDescription!
    assert.deepEqual(started.FilterSpecification, FilterSpecification)
    const done = await waitForExport(server.client, started.ExportArn!)
    assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage)
    assert.equal(done.ItemCount, 1)
    assert.deepEqual(await exportedRecords(done.ExportArn!, 'filtered'), [{ Item: { pk: { S: 'p1' }, sk: { N: '3' }, color: { S: 'red' } } }])

    // Checked as Query checks them.
    const refused = (spec: object, message: string | RegExp) => expectError(server.client.send(new ExportTableToPointInTimeCommand({
      TableArn: arn, S3Bucket: bucket, FilterSpecification: spec })), 'ValidationException', message)
    await refused({ KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :s', ExpressionAttributeValues: { ':p': { S: 'p1' }, ':s': { N: '1' } } },
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk')
    await refused({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } },
      'One or more parameter values were invalid: Condition parameter type does not match schema type')
    await refused({ FilterExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' }, ':unused': { S: 'x' } } },
      /Value provided in ExpressionAttributeValues unused in expressions: keys: \{:unused\}/)

    // Incremental: p2/1 turned blue (left out), p1/1 deleted while red (in, by its old image), p3/1 new and red (in).
    await server.client.send(new PutItemCommand({ TableName: name, Item: item('p2', 1, 'blue') }))
    await server.client.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'p1' }, sk: { N: '1' } } }))
    await server.client.send(new PutItemCommand({ TableName: name, Item: item('p3', 1, 'red') }))
    server.clock.advance(20 * 60_000)
    const to = server.clock.now() / 1000
    const incremental = (await server.client.send(new ExportTableToPointInTimeCommand({
      TableArn: arn, S3Bucket: bucket, S3Prefix: 'filtered-incr', ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: { ExportFromTime: new Date(from * 1000), ExportToTime: new Date(to * 1000) },
      FilterSpecification: { FilterExpression: 'color = :red', ProjectionExpression: 'pk, sk', ExpressionAttributeValues: { ':red': { S: 'red' } } },
    }))).ExportDescription!
    const incrementalDone = await waitForExport(server.client, incremental.ExportArn!)
    assert.equal(incrementalDone.ItemCount, 2)
    const records = (await exportedRecords(incremental.ExportArn!, 'filtered-incr')).sort((a, b) => (a.Keys.pk.S < b.Keys.pk.S ? -1 : 1))
    assert.deepEqual(records.map((record) => [record.Keys, record.OldImage, record.NewImage]), [
      [{ pk: { S: 'p1' }, sk: { N: '1' } }, { pk: { S: 'p1' }, sk: { N: '1' } }, undefined],
      [{ pk: { S: 'p3' }, sk: { N: '1' } }, undefined, { pk: { S: 'p3' }, sk: { N: '1' } }],
    ])
  })

  test('errors: PITR off, a name for an ARN, an unknown table, a time outside the window, ClientToken conflicts, a missing bucket', async () => {
    const name = uniqueTableName('exp-err')
    await server.client.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }))
    const arn = (await waitForActive(server.client, name)).TableArn!
    await expectError(server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket })), 'PointInTimeRecoveryUnavailableException')
    await expectError(server.client.send(new ExportTableToPointInTimeCommand({ TableArn: name, S3Bucket: bucket })), 'ValidationException', 'Invalid Request: Table ARN is invalid.')
    await expectError(server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket, S3SseAlgorithm: 'AES256', S3SseKmsKeyId: 'key' })),
      'ValidationException', 'Invalid Request: KMS Key Id is not supported for this encryption type')
    await expectError(server.client.send(new ListExportsCommand({ TableArn: name })), 'ValidationException', 'tableArn is not a valid ARN')
    await expectError(server.client.send(new ListExportsCommand({ NextToken: 'abc' })), 'ValidationException', 'Invalid Request: Provided nextToken is invalid: abc')
    await expectError(server.client.send(new ExportTableToPointInTimeCommand({ TableArn: `${arn}-gone`, S3Bucket: bucket })), 'TableNotFoundException',
      `Table not found: ${arn}-gone`)
    await expectError(server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: '' })), 'ValidationException', /s3Bucket/)
    await enablePitr(server.client, name)
    await expectError(server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket, ExportTime: new Date(-1000) })),
      'InvalidExportTimeException', /ExportTime/)

    const first = (await server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket, ClientToken: 'tok' }))).ExportDescription!
    const again = (await server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket, ClientToken: 'tok' }))).ExportDescription!
    assert.equal(again.ExportArn, first.ExportArn)
    await expectError(server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket, ClientToken: 'tok', ExportFormat: 'ION' })),
      'ExportConflictException')

    const missing = (await server.client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'no-such-export-bucket' }))).ExportDescription!
    assert.equal(missing.ExportStatus, 'IN_PROGRESS')
    const failed = await waitForExport(server.client, missing.ExportArn!)
    assert.equal(failed.ExportStatus, 'FAILED')
    assert.equal(failed.FailureCode, 'S3NoSuchBucket')
    assert.match(failed.FailureMessage!, /bucket does not exist/)

    const listed = await server.client.send(new ListExportsCommand({ TableArn: arn }))
    assert.deepEqual(listed.ExportSummaries!.map((each) => each.ExportArn), [missing.ExportArn, first.ExportArn])
    assert.deepEqual(listed.ExportSummaries!.map((each) => each.ExportType), ['FULL_EXPORT', 'FULL_EXPORT'])
    const paged = await server.client.send(new ListExportsCommand({ TableArn: arn, MaxResults: 1 }))
    const rest = await server.client.send(new ListExportsCommand({ TableArn: arn, MaxResults: 1, NextToken: paged.NextToken }))
    assert.equal(rest.ExportSummaries![0]!.ExportArn, first.ExportArn)
    await expectError(server.client.send(new ListExportsCommand({ NextToken: 'garbage' })), 'ValidationException', 'Invalid Request: Provided nextToken is invalid: garbage')
    await expectError(server.client.send(new DescribeExportCommand({ ExportArn: `${arn}/backup/01700000000000-00000000` })), 'ValidationException', /Export ARN/)
    await expectError(server.client.send(new DescribeExportCommand({ ExportArn: `${arn}/export/01700000000000-00000000` })), 'ExportNotFoundException')
    // Another partition, service, region or account is not this account's to read; not an ARN at
    // all is invalid (Alternator's test_describe_export_incorrect_arn_1 to _5, run against DynamoDB).
    const exportOf = `${arn}/export/01700000000000-00000000`
    for (const [from, to] of [['arn:aws:', 'arn:qwerty:'], [':dynamodb:', ':qwerty:'], [':us-east-1:', ':qwerty:'], [':000000000000:', ':qwerty:']]) {
      await expectError(server.client.send(new DescribeExportCommand({ ExportArn: exportOf.replace(from!, to!) })), 'AccessDeniedException', 'Access is denied')
    }
    await expectError(server.client.send(new DescribeExportCommand({ ExportArn: exportOf.replace('arn:', 'qwerty:') })), 'ValidationException', 'Invalid Export ARN')
  })
})

/** Wire AttributeValues as the SDK wants them (B as bytes). */
function unmarshalled(item: Record<string, any>): Record<string, AttributeValue> {
  const convert = (value: any): any => {
    if ('B' in value) return { B: Buffer.from(value.B, 'base64') }
    if ('BS' in value) return { BS: value.BS.map((each: string) => Buffer.from(each, 'base64')) }
    if ('M' in value) return { M: unmarshalled(value.M) }
    if ('L' in value) return { L: value.L.map(convert) }
    return value
  }
  const result: Record<string, AttributeValue> = {}
  for (const [name, value] of Object.entries(item)) result[name] = convert(value)
  return result
}
