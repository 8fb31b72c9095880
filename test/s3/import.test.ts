/**
 * ImportTable through the real SDK against EddyDB, reading from a real S3 server (moto): CSV,
 * DynamoDB JSON and Ion, plain, gzip and zstd, with deliberate bad lines; the table's lifecycle;
 * the errors DynamoDB gives.
 */
import { strict as assert } from 'node:assert'
import { readFile } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net'
import {
  BatchWriteItemCommand, DescribeTableCommand, GetItemCommand, ImportTableCommand, ListImportsCommand, DescribeImportCommand, PutItemCommand,
  QueryCommand, ScanCommand, SearchVectorsCommand, type ImportTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import type { S3TestServer } from '../helpers/s3-server.js'
import { expectError } from '../helpers/errors.js'
import { sendRaw } from '../helpers/raw.js'
import { errorLogPath, importLogGroup } from '../../src/imports/error-log.js'
import { CloudWatchLogsClient } from '../../src/imports/cloudwatch-logs.js'
import { gzip, importTableInput, putObject, scanAll, waitForImport, zstd, withS3Server } from './helpers.js'

const bucket = 'import-source'

describe('ImportTable', () => {
  let s3: S3TestServer
  let server: TestServer

  withS3Server(startTestServer, [bucket], (started, startedServer) => { s3 = started; server = startedServer })

  const put = (key: string, body: Buffer | string) => putObject(s3.client, bucket, key, body)
  const request = (tableName: string, prefix: string, extra: Partial<ImportTableCommandInput> = {}) => importTableInput(bucket, tableName, prefix, extra)

  test('a table imported with a vector index: an item whose vector does not fit is an error, the others searchable', async () => {
    const item = (n: number, vector: number[]) => JSON.stringify({ Item: { pk: { S: `v${n}` }, sk: { N: String(n) }, vec: { L: vector.map((value) => ({ N: String(value) })) } } })
    // A bad item ends its object, as any bad line does; it is the whole of the second object here.
    await put('vectors/a.json', [item(1, [1, 0, 0]), item(3, [0, 1, 0])].join('\n'))
    await put('vectors/b.json', item(2, [0, 1]))
    const tableName = uniqueTableName('imp-vector')
    const input = request(tableName, 'vectors/')
    input.TableCreationParameters!.VectorIndexes = [{
      IndexName: 'by-vec', VectorAttribute: { AttributeName: 'vec' }, Dimensions: 3, DistanceFunction: 'COSINE', Projection: { ProjectionType: 'ALL' },
    }]
    const started = await server.client.send(new ImportTableCommand(input))
    const done = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.deepEqual([done.ImportStatus, done.FailureCode, done.ImportedItemCount, done.ErrorCount], ['FAILED', 'ItemValidationError', 2, 1])
    assert.deepEqual(done.TableCreationParameters!.VectorIndexes!.map((index) => index.IndexName), ['by-vec'])
    const found = await server.client.send(new SearchVectorsCommand({ TableName: tableName, IndexName: 'by-vec', SearchVector: [{ N: '1' }, { N: '0' }, { N: '0' }], TopK: 5 }))
    assert.deepEqual(found.SearchResults!.map((hit) => [hit.Item!.pk!.S, hit.Score]), [['v1', 0], ['v3', 1]])
  })

  test('DynamoDB JSON, gzip and zstd: items land, bad lines are counted and logged, the rest of their object is skipped', async () => {
    const good = (n: number) => JSON.stringify({ Item: { pk: { S: `p${n}` }, sk: { N: String(n) }, big: { N: '12345678901234567890123456789012345678' } } })
    await put('json1/a.json.gz', gzip([good(1), '', good(2), '   ', good(3)].join('\n') + '\n'))
    await put('json1/b.json.zst', zstd([good(4), '{"Item":{"pk":{"S":"x"}}}', good(5)].join('\n')))
    await put('json1/c.json.gz', gzip([good(6), 'not json', good(7)].join('\n')))
    const gzipTable = uniqueTableName('imp-json')
    // One compression per import, as DynamoDB requires: the zstd object is read in its own import.
    const started = await server.client.send(new ImportTableCommand(request(gzipTable, 'json1/a', { InputCompressionType: 'GZIP' })))
    const description = started.ImportTableDescription!
    assert.equal(description.ImportStatus, 'IN_PROGRESS')
    assert.match(description.ImportArn!, /\/import\/\d{14}-[0-9a-f]{8}$/)
    assert.equal(description.ProcessedItemCount, 0)
    assert.ok(description.ClientToken)
    assert.equal(description.CloudWatchLogGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws-dynamodb/imports:*')
    const finished = await waitForImport(server.client, description.ImportArn!)
    assert.equal(finished.ImportStatus, 'COMPLETED')
    assert.equal(finished.ImportedItemCount, 3)
    assert.equal(finished.ErrorCount, 0)
    assert.equal(finished.ProcessedSizeBytes, [good(1), '', good(2), '   ', good(3)].join('\n').length + 1)
    const table = (await server.client.send(new DescribeTableCommand({ TableName: gzipTable }))).Table!
    assert.equal(table.TableStatus, 'ACTIVE')
    assert.equal(table.TableId, description.TableId)
    const items = await scanAll(server.client, gzipTable)
    assert.deepEqual(items.map((item: any) => item.pk.S), ['p1', 'p2', 'p3'])

    const zstdTable = uniqueTableName('imp-zstd')
    const zstdImport = await server.client.send(new ImportTableCommand(request(zstdTable, 'json1/b', { InputCompressionType: 'ZSTD' })))
    const zstdDone = await waitForImport(server.client, zstdImport.ImportTableDescription!.ImportArn!)
    assert.equal(zstdDone.ImportStatus, 'FAILED')
    assert.equal(zstdDone.FailureCode, 'ItemValidationError')
    assert.equal(zstdDone.ImportedItemCount, 1)
    assert.equal(zstdDone.ErrorCount, 1)
    assert.equal(zstdDone.ProcessedItemCount, 2)
    assert.deepEqual((await scanAll(server.client, zstdTable)).map((item: any) => item.pk.S), ['p4'])
    const log = (await readFile(errorLogPath({ inMemory: true, dataDir: '' }, zstdDone.ImportArn!), 'utf8')).trim().split('\n').map((line) => JSON.parse(line))
    assert.deepEqual(log, [{
      itemS3Pointer: { bucket, key: 'json1/b.json.zst', itemIndex: 1 },
      importArn: zstdDone.ImportArn,
      errorMessages: ['One or more parameter values were invalid: Missing the key sk in the item'],
    }])
    assert.equal((await server.client.send(new DescribeTableCommand({ TableName: zstdTable }))).Table!.TableStatus, 'ACTIVE')
  })

  // moto's AWS-verified test_import_table_single_file_with_multiple_items: DynamoDB reads items
  // written back to back on one line as items.
  // An object that is not the declared compression is the import's error, not the server's: a
  // decoder's error once reached no listener and killed the process, again at every restart.
  test('an object that is not the declared compression, or is cut off, is an error of the import', async () => {
    const good = (n: number) => JSON.stringify({ Item: { pk: { S: `c${n}` }, sk: { N: String(n) } } })
    await put('badzip/a.json.gz', gzip([good(1), good(2)].join('\n')))
    await put('badzip/b.json.gz', [good(3), good(4)].join('\n'))
    const gzipTable = uniqueTableName('imp-badgzip')
    const gzipImport = await server.client.send(new ImportTableCommand(request(gzipTable, 'badzip/', { InputCompressionType: 'GZIP' })))
    const gzipDone = await waitForImport(server.client, gzipImport.ImportTableDescription!.ImportArn!)
    assert.deepEqual([gzipDone.ImportStatus, gzipDone.FailureCode, gzipDone.ImportedItemCount, gzipDone.ErrorCount], ['FAILED', 'ItemValidationError', 2, 1])
    assert.deepEqual((await scanAll(server.client, gzipTable)).map((item) => (item.pk as { S: string }).S).sort(), ['c1', 'c2'])

    const whole = zstd([good(5), good(6)].join('\n'))
    await put('cutzstd/a.json.zst', whole.subarray(0, whole.length - 4))
    const zstdImport = await server.client.send(new ImportTableCommand(request(uniqueTableName('imp-cutzstd'), 'cutzstd/', { InputCompressionType: 'ZSTD' })))
    const zstdDone = await waitForImport(server.client, zstdImport.ImportTableDescription!.ImportArn!)
    assert.deepEqual([zstdDone.ImportStatus, zstdDone.FailureCode, zstdDone.ErrorCount], ['FAILED', 'ItemValidationError', 1])
    assert.equal((await server.client.send(new DescribeTableCommand({ TableName: gzipTable }))).Table!.TableStatus, 'ACTIVE')
  })

  test('DynamoDB JSON objects back to back on one line are imported as items', async () => {
    const item = (n: number) => JSON.stringify({ Item: { pk: { S: `m${n}` }, sk: { N: String(n) } } })
    await put('json-run/a.json', [item(0), item(1), [item(2), item(3), item(4)].join('')].join('\n'))
    const tableName = uniqueTableName('imp-run')
    const started = await server.client.send(new ImportTableCommand(request(tableName, 'json-run/')))
    const finished = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.equal(finished.ImportStatus, 'COMPLETED')
    assert.equal(finished.ProcessedItemCount, 5)
    assert.equal(finished.ImportedItemCount, 5)
    assert.equal(finished.ErrorCount, 0)
    assert.deepEqual((await scanAll(server.client, tableName)).map((each: any) => each.pk.S).sort(), ['m0', 'm1', 'm2', 'm3', 'm4'])
  })

  test('CSV with a header per file, a custom delimiter and a HeaderList; key columns typed, the rest strings', async () => {
    await put('csv1/one.csv', 'pk,sk,name,count\np1,1,"Smith, J",7\np2,2,,8\n')
    await put('csv1/two.csv', 'sk,pk,name\n3,p3,"say ""hi"""\nbad,p4,x\n4,p5,never read\n')
    const tableName = uniqueTableName('imp-csv')
    const started = await server.client.send(new ImportTableCommand(request(tableName, 'csv1/', { InputFormat: 'CSV' })))
    const done = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.equal(done.ImportedItemCount, 3)
    assert.equal(done.ErrorCount, 1)
    assert.deepEqual(await scanAll(server.client, tableName), [
      { count: { S: '7' }, name: { S: 'Smith, J' }, pk: { S: 'p1' }, sk: { N: '1' } },
      { count: { S: '8' }, pk: { S: 'p2' }, sk: { N: '2' } },
      { name: { S: 'say "hi"' }, pk: { S: 'p3' }, sk: { N: '3' } },
    ])

    await put('csv2/rows.csv.gz', gzip('a|1|x\nb|2|y\n'))
    const headerTable = uniqueTableName('imp-csv-h')
    const withHeader = await server.client.send(new ImportTableCommand(request(headerTable, 'csv2/', {
      InputFormat: 'CSV', InputCompressionType: 'GZIP',
      InputFormatOptions: { Csv: { Delimiter: '|', HeaderList: ['pk', 'sk', 'v'] } },
    })))
    const headerDone = await waitForImport(server.client, withHeader.ImportTableDescription!.ImportArn!)
    assert.equal(headerDone.ImportStatus, 'COMPLETED')
    assert.equal((await scanAll(server.client, headerTable)).length, 2)
  })

  test('Ion with every type, gzip, and a GSI built from the imported items', async () => {
    const line = '$ion_1_0 {Item:{pk:"i1",sk:6d2,s:"text",n:1.5d-130,b:{{aGVsbG8=}},t:true,z:null,' +
      'm:{inner:[1,"two",{{AA==}}]},ss:$dynamodb_SS::["a","b"],ns:$dynamodb_NS::[1,2.5],bs:$dynamodb_BS::[{{AQ==}}],g:"gk"}}'
    await put('ion1/data.ion.gz', gzip(`${line}\n$ion_1_0 {Item:{pk:"i2",sk:2000.}}\n$ion_1_0 {Item:{pk:"i3",sk:2017-01-01T}}\n`))
    const tableName = uniqueTableName('imp-ion')
    const base = request(tableName, 'ion1/', { InputFormat: 'ION', InputCompressionType: 'GZIP' })
    base.TableCreationParameters!.AttributeDefinitions!.push({ AttributeName: 'g', AttributeType: 'S' })
    base.TableCreationParameters!.GlobalSecondaryIndexes = [{
      IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
    }]
    const started = await server.client.send(new ImportTableCommand(base))
    const done = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.equal(done.ImportedItemCount, 2)
    assert.equal(done.ErrorCount, 1)
    const items = await scanAll(server.client, tableName)
    assert.deepEqual(items[0], {
      b: { B: { bytes: 'aGVsbG8=' } }, bs: { BS: ['AQ=='] }, g: { S: 'gk' },
      m: { M: { inner: { L: [{ N: '1' }, { S: 'two' }, { B: { bytes: 'AA==' } }] } } },
      n: { N: `0.${'0'.repeat(129)}15` }, ns: { NS: ['1', '2.5'] }, pk: { S: 'i1' }, sk: { N: '600' }, s: { S: 'text' },
      ss: { SS: ['a', 'b'] }, t: { BOOL: true }, z: { NULL: true },
    })
    assert.deepEqual(items[1], { pk: { S: 'i2' }, sk: { N: '2000' } })
    const table = (await server.client.send(new DescribeTableCommand({ TableName: tableName }))).Table!
    assert.equal(table.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE')
    assert.equal(table.GlobalSecondaryIndexes![0]!.ItemCount, 1)
  })

  test('a key imported again in a later batch is overwritten, its old GSI row replaced', async () => {
    // Imports load new keys in bulk; a key an earlier batch (1000 lines) wrote goes through the
    // write path, which drops the index row of its old value. The last line for a key wins.
    const line = (n: number, g: string) => JSON.stringify({ Item: { pk: { S: `p${n}` }, sk: { N: '1' }, g: { S: g } } })
    const lines = Array.from({ length: 2250 }, (_, n) => line(n, 'first'))
    lines.push(line(7, 'second'), line(1300, 'second'))
    await put('again/data.json', lines.join('\n'))
    const tableName = uniqueTableName('imp-again')
    const base = request(tableName, 'again/')
    base.TableCreationParameters!.AttributeDefinitions!.push({ AttributeName: 'g', AttributeType: 'S' })
    base.TableCreationParameters!.GlobalSecondaryIndexes = [{
      IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' },
    }]
    const started = await server.client.send(new ImportTableCommand(base))
    const done = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.equal(done.ImportStatus, 'COMPLETED')
    assert.equal(done.ImportedItemCount, 2252)
    const table = (await server.client.send(new DescribeTableCommand({ TableName: tableName }))).Table!
    assert.equal(table.ItemCount, 2250)
    assert.equal(table.GlobalSecondaryIndexes![0]!.ItemCount, 2250)
    const { Items } = await server.client.send(new QueryCommand({
      TableName: tableName, IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'second' } },
    }))
    assert.deepEqual(Items!.map((item) => item.pk!.S).sort(), ['p1300', 'p7'])
  })

  test('a missing bucket fails the import and leaves no table; an existing table is ResourceInUseException', async () => {
    const tableName = uniqueTableName('imp-nobucket')
    const started = await server.client.send(new ImportTableCommand({
      ...request(tableName, ''), S3BucketSource: { S3Bucket: 'no-such-bucket-here' },
    }))
    const done = await waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
    assert.equal(done.ImportStatus, 'FAILED')
    assert.equal(done.FailureCode, 'S3NoSuchBucket')
    assert.match(done.FailureMessage!, /bucket does not exist/)
    await expectError(server.client.send(new DescribeTableCommand({ TableName: tableName })), 'ResourceNotFoundException')

    await put('empty/none.json', '')
    const kept = uniqueTableName('imp-exists')
    const first = await server.client.send(new ImportTableCommand(request(kept, 'empty/', { ClientToken: 'token-1' })))
    await waitForImport(server.client, first.ImportTableDescription!.ImportArn!)
    await expectError(server.client.send(new ImportTableCommand(request(kept, 'empty/'))), 'ResourceInUseException', `Table already exists: ${kept}`)
  })

  test('with --cloudwatch-logs-endpoint the error log goes to CloudWatch Logs (moto), stream <importId>/error, in the import\'s region', async () => {
    const logged = await startTestServer({ ...s3.settings, cloudWatchLogsEndpoint: s3.endpoint })
    try {
      await put('cw/a.json', '{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}\n{"Item":{"pk":{"N":"1"},"sk":{"N":"2"}}}\n')
      const started = await logged.client.send(new ImportTableCommand(request(uniqueTableName('imp-cw'), 'cw/')))
      const done = await waitForImport(logged.client, started.ImportTableDescription!.ImportArn!)
      assert.equal(done.ErrorCount, 1)
      const logs = (region: string) => new CloudWatchLogsClient({ ...s3.settings, cloudWatchLogsEndpoint: s3.endpoint }, region)
      const errorStream = (importArn: string) => ({ logGroupName: importLogGroup, logStreamName: `${importArn.split('/import/')[1]}/error`, startFromHead: true })
      const events = await logs('us-east-1').call('GetLogEvents', errorStream(done.ImportArn!))
      assert.deepEqual(events.events.map((event: { message: string }) => JSON.parse(event.message)), [{
        itemS3Pointer: { bucket, key: 'cw/a.json', itemIndex: 1 },
        importArn: done.ImportArn,
        errorMessages: ['One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N'],
      }])

      // An import in another region logs there, as its CloudWatchLogGroupArn says, not in the
      // S3 settings' region (us-east-1 here), where it once went.
      const europe = logged.newClient({ region: 'eu-west-1' })
      const inEurope = await europe.send(new ImportTableCommand(request(uniqueTableName('imp-cw-eu'), 'cw/')))
      const europeDone = await waitForImport(europe, inEurope.ImportTableDescription!.ImportArn!)
      assert.equal(europeDone.CloudWatchLogGroupArn, 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws-dynamodb/imports:*')
      const europeEvents = await logs('eu-west-1').call('GetLogEvents', errorStream(europeDone.ImportArn!))
      assert.equal(europeEvents.events.length, 1)
      await assert.rejects(logs('us-east-1').call('GetLogEvents', errorStream(europeDone.ImportArn!)), { type: 'ResourceNotFoundException' })
    } finally {
      await logged.close()
    }
  })

  test('validation: CSV options with another format, bad enums; DescribeImport and ListImports', async () => {
    await expectError(server.client.send(new ImportTableCommand(request(uniqueTableName('imp-v'), 'x', {
      InputFormatOptions: { Csv: { Delimiter: ',' } },
    }))), 'ValidationException', /InputFormatOptions/)
    // A header name is printable ASCII without the double quote or the comma (the API's pattern).
    for (const name of ['a,b', 'a"b', 'é', 'tab\there']) {
      await expectError(server.client.send(new ImportTableCommand(request(uniqueTableName('imp-v'), 'x', {
        InputFormat: 'CSV', InputFormatOptions: { Csv: { HeaderList: ['pk', name] } },
      }))), 'ValidationException', /inputFormatOptions\.csv\.headerList.*regular expression pattern/)
    }
    await expectError(server.client.send(new ImportTableCommand(request(uniqueTableName('imp-v'), 'x', {
      InputCompressionType: 'LZ4' as any,
    }))), 'ValidationException', /inputCompressionType/)
    await expectError(server.client.send(new DescribeImportCommand({
      ImportArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/abc/import/01700000000000-00000000',
    })), 'ImportNotFoundException')
    await expectError(server.client.send(new DescribeImportCommand({
      ImportArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/abcdefgh/export/01700000000000-00000000',
    })), 'ValidationException', 'Invalid Import ARN')
    const all = await server.client.send(new ListImportsCommand({}))
    assert.ok(all.ImportSummaryList!.length >= 5)
    const first = await server.client.send(new ListImportsCommand({ PageSize: 2 }))
    assert.equal(first.ImportSummaryList!.length, 2)
    const second = await server.client.send(new ListImportsCommand({ PageSize: 2, NextToken: first.NextToken }))
    assert.notEqual(second.ImportSummaryList![0]!.ImportArn, first.ImportSummaryList![1]!.ImportArn)
    assert.ok(second.ImportSummaryList![0]!.ImportArn! < first.ImportSummaryList![1]!.ImportArn!)
    await expectError(server.client.send(new ListImportsCommand({ PageSize: 26 })), 'ValidationException')
    // The SDKs always send a ClientToken; DynamoDB refuses a request without one (Alternator's
    // test_client_token_required, run against DynamoDB).
    const { ClientToken: _token, ...withoutToken } = request(uniqueTableName('imp-v'), 'x')
    const refused = await sendRaw(server.endpoint, { target: 'ImportTable', body: JSON.stringify(withoutToken) })
    assert.equal(refused.json?.__type, 'com.amazon.coral.validate#ValidationException')
    assert.equal(refused.json?.message, "1 validation error detected: Value null at 'clientToken' failed to satisfy constraint: Member must not be null")
  })
})

// While an import fills its table, the table is CREATING and closed to the data plane, as a
// table being restored is: the import stores rows without reading them first, so a write in
// between once collided with it and lost the rest of its batch. The S3 endpoint here accepts
// connections and never answers, so the import stays at its start for as long as the test looks.
describe('a table being imported', () => {
  let silent: Server
  let server: TestServer
  const sockets = new Set<Socket>()

  before(async () => {
    silent = createNetServer((socket) => { sockets.add(socket) })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as AddressInfo
    server = await startTestServer({ s3Endpoint: `http://127.0.0.1:${port}`, s3AccessKeyId: 'x', s3SecretAccessKey: 'x', s3Region: 'us-east-1' })
  })
  after(async () => {
    // Refused from now on, so that the import's retries fail and it ends.
    silent.close()
    for (const socket of sockets) socket.destroy()
    await server?.close()
  })

  test('refuses item reads and writes until the import ends', async () => {
    const TableName = uniqueTableName('imp-closed')
    await server.client.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'never-answers' }, InputFormat: 'DYNAMODB_JSON',
      TableCreationParameters: {
        TableName, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
      },
    }))
    assert.equal((await server.client.send(new DescribeTableCommand({ TableName }))).Table!.TableStatus, 'CREATING')
    const item = { pk: { S: 'early' } }
    await expectError(server.client.send(new PutItemCommand({ TableName, Item: item })), 'ResourceNotFoundException', 'Requested resource not found')
    await expectError(server.client.send(new GetItemCommand({ TableName, Key: item })), 'ResourceNotFoundException', 'Requested resource not found')
    await expectError(server.client.send(new ScanCommand({ TableName })), 'ResourceNotFoundException', 'Requested resource not found')
    await expectError(server.client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: item } }] } })),
      'ResourceNotFoundException')
  })
})
