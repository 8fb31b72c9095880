/**
 * An attribute named `__proto__` through exports and imports, against a real S3 server (moto).
 * It is an ordinary DynamoDB attribute name, but assigned into a plain JavaScript object it sets
 * the object's prototype instead: ION and CSV imports refused such an item (and abandoned the
 * rest of its object), and incremental exports dropped it from their images (JSON) or failed
 * (ION). The items are written and read as raw JSON, because the SDK's own marshalling builds
 * plain objects too.
 */
import { strict as assert } from 'node:assert'
import { gunzipSync } from 'node:zlib'
import { after, before, describe, test } from 'node:test'
import { ExportTableToPointInTimeCommand, ImportTableCommand, type ImportTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { S3TestServer } from '../helpers/s3-server.js'
import { uniqueTableName } from '../helpers/server.js'
import { sendRaw } from '../helpers/raw.js'
import { startBackupTestServer, type BackupTestServer } from '../backups/helpers.js'
import { newExportableTable, objectText, putObject, waitForExport, waitForImport, withS3Server } from './helpers.js'

const bucket = 'proto-attributes'

/** JSON with every map's keys sorted: equal items print alike, whatever their attributes' order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>
    return `{${Object.keys(object).sort().map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

describe('attributes named __proto__ in exports and imports', () => {
  let s3: S3TestServer
  let server: BackupTestServer

  withS3Server(startBackupTestServer, [bucket], (started, startedServer) => { s3 = started; server = startedServer })

  const newTable = (prefix: string) => newExportableTable(server.client, prefix)

  /** PutItem of an item given as DynamoDB JSON text. */
  async function putRaw(tableName: string, itemJson: string): Promise<void> {
    const reply = await sendRaw(server.endpoint, { target: 'PutItem', body: `{"TableName":${JSON.stringify(tableName)},"Item":${itemJson}}` })
    assert.equal(reply.status, 200, reply.body.toString())
  }

  /** Every item of a table, each as canonical JSON, sorted. */
  async function scanned(tableName: string): Promise<string[]> {
    const reply = await sendRaw(server.endpoint, { target: 'Scan', body: JSON.stringify({ TableName: tableName }) })
    assert.equal(reply.status, 200, reply.body.toString())
    return (JSON.parse(reply.body.toString()).Items as unknown[]).map(canonical).sort()
  }

  async function imported(prefix: string, format: ImportTableCommandInput['InputFormat'], compression: 'GZIP' | 'NONE'): Promise<string> {
    const name = uniqueTableName('proto-back')
    const started = await server.client.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: prefix }, InputFormat: format, InputCompressionType: compression,
      TableCreationParameters: {
        TableName: name, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    }))
    const done = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.deepEqual([done.ImportStatus, done.ErrorCount], ['COMPLETED', 0], done.FailureMessage)
    return name
  }

  /** The lines of an export's data files, from its manifest. */
  async function exportedLines(exportArn: string, prefix: string): Promise<string[]> {
    const summaryKey = `${prefix}/AWSDynamoDB/${exportArn.split('/export/')[1]}/manifest-summary.json`
    const summary = JSON.parse((await objectText(s3.client, bucket, summaryKey)).toString())
    const lines: string[] = []
    for (const entry of (await objectText(s3.client, bucket, summary.manifestFilesS3Key)).toString().trim().split('\n')) {
      lines.push(...gunzipSync(await objectText(s3.client, bucket, JSON.parse(entry).dataFileS3Key)).toString().split('\n').filter(Boolean))
    }
    return lines
  }

  // The probe's p1_roundtrip: the ION import lost the item and the one after it in its file.
  test('an ION export of items with __proto__, top-level and nested in a map, imports back exactly', async () => {
    const table = await newTable('proto-ion')
    await putRaw(table.name, '{"pk":{"S":"a"},"__proto__":{"S":"top"},"m":{"M":{"__proto__":{"S":"nested"},"x":{"N":"1"}}}}')
    await putRaw(table.name, '{"pk":{"S":"b"},"__proto__":{"M":{"__proto__":{"L":[{"S":"deep"}]}}}}')
    await putRaw(table.name, '{"pk":{"S":"c"},"v":{"S":"plain"}}')
    const source = await scanned(table.name)
    assert.equal(source.filter((item) => item.includes('"__proto__"')).length, 2)
    server.clock.advance(1000)
    const started = (await server.client.send(new ExportTableToPointInTimeCommand({
      TableArn: table.arn, S3Bucket: bucket, S3Prefix: 'proto-ion', ExportFormat: 'ION',
    }))).ExportDescription!
    const done = await waitForExport(server.client, started.ExportArn!)
    assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage)
    const back = await imported(`proto-ion/AWSDynamoDB/${started.ExportArn!.split('/export/')[1]}/data/`, 'ION', 'GZIP')
    assert.deepEqual(await scanned(back), source)
  })

  test('a CSV import keeps a __proto__ header column as an attribute', async () => {
    await putObject(s3.client, bucket, 'proto-csv/a.csv', 'pk,__proto__,v\na,p,1\nb,,2\n')
    const back = await imported('proto-csv/', 'CSV', 'NONE')
    assert.deepEqual(await scanned(back), [
      canonical(JSON.parse('{"pk":{"S":"a"},"__proto__":{"S":"p"},"v":{"S":"1"}}')),
      canonical(JSON.parse('{"pk":{"S":"b"},"v":{"S":"2"}}')),
    ])
  })

  // The window is moved on the test's clock, as export.test.ts's incremental exports do.
  test('an incremental export, DYNAMODB_JSON and ION, keeps __proto__ in both images of a changed item', async () => {
    const table = await newTable('proto-incr')
    await putRaw(table.name, '{"pk":{"S":"pre"},"__proto__":{"S":"p"},"v":{"N":"1"}}')
    server.clock.advance(1000)
    const from = server.clock.now() / 1000
    server.clock.advance(1000)
    await putRaw(table.name, '{"pk":{"S":"pre"},"__proto__":{"S":"q"},"m":{"M":{"__proto__":{"N":"7"}}},"v":{"N":"2"}}')
    server.clock.advance(20 * 60_000)
    const to = server.clock.now() / 1000
    server.clock.advance(1000)
    const oldImage = '{"pk":{"S":"pre"},"__proto__":{"S":"p"},"v":{"N":"1"}}'
    const newImage = '{"pk":{"S":"pre"},"__proto__":{"S":"q"},"m":{"M":{"__proto__":{"N":"7"}}},"v":{"N":"2"}}'

    const exportedOnly = async (format: 'DYNAMODB_JSON' | 'ION'): Promise<string> => {
      const prefix = `proto-incr-${format}`
      const started = (await server.client.send(new ExportTableToPointInTimeCommand({
        TableArn: table.arn, S3Bucket: bucket, S3Prefix: prefix, ExportType: 'INCREMENTAL_EXPORT', ExportFormat: format,
        IncrementalExportSpecification: { ExportFromTime: new Date(from * 1000), ExportToTime: new Date(to * 1000), ExportViewType: 'NEW_AND_OLD_IMAGES' },
      }))).ExportDescription!
      const done = await waitForExport(server.client, started.ExportArn!)
      assert.deepEqual([done.ExportStatus, done.ItemCount], ['COMPLETED', 1], done.FailureMessage)
      const lines = await exportedLines(started.ExportArn!, prefix)
      assert.equal(lines.length, 1)
      return lines[0]!
    }

    const record = JSON.parse(await exportedOnly('DYNAMODB_JSON'))
    assert.equal(canonical(record.OldImage), canonical(JSON.parse(oldImage)))
    assert.equal(canonical(record.NewImage), canonical(JSON.parse(newImage)))

    const ionLine = await exportedOnly('ION')
    assert.match(ionLine, /^\$ion_1_0 \{Metadata:\{WriteTimestampMicros:\d+(\.|d\d+)\},Keys:\{"pk":"pre"\},/)
    assert.ok(ionLine.endsWith('OldImage:{"__proto__":"p","pk":"pre","v":1.},NewImage:{"__proto__":"q","m":{"__proto__":7.},"pk":"pre","v":2.}}'), ionLine)
  })
})
