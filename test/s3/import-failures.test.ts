/**
 * ImportTable when its input or S3 fails partway, through the real SDK against EddyDB reading a
 * real S3 server (moto): what was read before the failure is stored and counted alike, and what
 * cannot be an item is refused as PutItem refuses it.
 */
import { strict as assert } from 'node:assert'
import { execFileSync } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import { constants, gunzipSync } from 'node:zlib'
import { readFile } from 'node:fs/promises'
import { DescribeTableCommand, ImportTableCommand, PutItemCommand, type ImportTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { PutObjectCommandInput } from '@aws-sdk/client-s3'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import type { S3TestServer } from '../helpers/s3-server.js'
import { expectError } from '../helpers/errors.js'
import { errorLogPath } from '../../src/imports/error-log.js'
import { gzip, importTableInput, putObject, scanAll, waitForImport, zstd, withS3Server } from './helpers.js'

const bucket = 'import-failures'

describe('ImportTable failing partway', () => {
  let s3: S3TestServer
  let server: TestServer

  withS3Server(startTestServer, [bucket], (started, startedServer) => { s3 = started; server = startedServer })

  const put = (key: string, body: Buffer | string, extra: Partial<PutObjectCommandInput> = {}) => putObject(s3.client, bucket, key, body, extra)

  async function imported(tableName: string, prefix: string, extra: Partial<ImportTableCommandInput> = {}) {
    const started = await server.client.send(new ImportTableCommand(importTableInput(bucket, tableName, prefix, extra)))
    return waitForImport(server.client, started.ImportTableDescription!.ImportArn!)
  }

  const line = (pk: string, extra: Record<string, unknown> = {}) => JSON.stringify({ Item: { pk: { S: pk }, sk: { N: '1' }, ...extra } })
  const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => line(`${prefix}${n}`)).join('\n')

  // An object S3 lists but will not give (here one in GLACIER, which GetObject refuses; in the
  // probe, one deleted after the listing) fails the import with S3's code. The items read before
  // it were counted as imported, so they must be in the table: 1,500 is a stored batch of 1,000
  // and 500 not yet stored when S3 failed, 5 is only the unstored batch.
  for (const count of [1500, 5]) {
    test(`an S3 error after ${count} items are read keeps every one of them, as ImportedItemCount says`, async () => {
      const prefix = `s3-error-${count}/`
      await put(`${prefix}a.json`, lines('a', count))
      await put(`${prefix}b.json`, lines('b', 3), { StorageClass: 'GLACIER' })
      const tableName = uniqueTableName('imp-s3error')
      const done = await imported(tableName, prefix)
      assert.equal(done.ImportStatus, 'FAILED')
      assert.match(done.FailureCode!, /^S3/)
      assert.equal(done.ImportedItemCount, count)
      const table = (await server.client.send(new DescribeTableCommand({ TableName: tableName }))).Table!
      assert.equal(table.TableStatus, 'ACTIVE')
      assert.equal(table.ItemCount, count)
      assert.equal((await scanAll(server.client, tableName)).length, count)
    })
  }

  /** What a decoder gives of a cut-off object: gunzip flushing what it has, the zstd tool's output before its error. */
  function decodablePrefix(compression: 'GZIP' | 'ZSTD', cut: Buffer): Buffer {
    if (compression === 'GZIP') return gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH })
    try {
      return execFileSync('zstd', ['-q', '-d', '-c', '-'], { input: cut, stdio: ['pipe', 'pipe', 'ignore'] })
    } catch (error) {
      return (error as { stdout: Buffer }).stdout
    }
  }

  // docs/s3.md: an object cut off counts as one error, and the items before the bad bytes stay.
  // The decoder's last chunks before its error were once dropped: 0 of 203 whole lines kept for
  // a small gzip object, half of them for zstd, while ProcessedSizeBytes counted their bytes.
  for (const [compression, count] of [['GZIP', 300], ['GZIP', 5000], ['ZSTD', 5000]] as const) {
    test(`a cut-off ${compression} object of ${count} items keeps every whole line decoded before the cut`, async () => {
      const text = Array.from({ length: count }, (_, n) => line(`c${n}`, { v: { S: String(n * 7919) } })).join('\n') + '\n'
      const whole = compression === 'GZIP' ? gzip(text) : zstd(text)
      const cut = whole.subarray(0, Math.floor(whole.length * 0.7))
      const prefix = `cut-${compression}-${count}/`
      await put(`${prefix}data`, cut)
      const decoded = decodablePrefix(compression, cut)
      const wholeLines = decoded.toString().split('\n').length - 1
      assert.ok(wholeLines > 0 && wholeLines < count)
      const tableName = uniqueTableName('imp-cut')
      const done = await imported(tableName, prefix, { InputCompressionType: compression })
      assert.deepEqual([done.ImportStatus, done.FailureCode, done.ErrorCount], ['FAILED', 'ItemValidationError', 1])
      assert.equal(done.ImportedItemCount, wholeLines)
      assert.equal(done.ProcessedItemCount, wholeLines + 1)
      assert.equal(done.ProcessedSizeBytes, decoded.length)
      const keys = (await scanAll(server.client, tableName)).map((item: any) => Number(item.pk.S.slice(1))).sort((a, b) => a - b)
      assert.deepEqual(keys, Array.from({ length: wholeLines }, (_, n) => n))
      // The error names the line that could not be read: the one after the last whole line.
      const [logged] = await loggedPointers(done.ImportArn!)
      assert.equal(logged!.itemIndex, wholeLines)
    })
  }

  /** The entries of an import's error log (a file: the test server is in memory). */
  async function loggedEntries(importArn: string): Promise<Array<{ itemS3Pointer: { itemIndex: number }; errorMessages: string[] }>> {
    const text = await readFile(errorLogPath({ inMemory: true, dataDir: '' }, importArn), 'utf8')
    return text.trim().split('\n').map((each) => JSON.parse(each))
  }
  const loggedMessages = async (importArn: string) => (await loggedEntries(importArn)).map((entry) => entry.errorMessages[0]!)
  const loggedPointers = async (importArn: string) => (await loggedEntries(importArn)).map((entry) => entry.itemS3Pointer)

  // An attribute name may have up to 65,535 UTF-8 bytes, at the top level and in a nested map;
  // PutItem refuses more, so an import must too, or the table holds items nobody can write back.
  test('an attribute name of 65,536 bytes or more, nested too, is an item error as PutItem makes it', async () => {
    const tooLong = 'a'.repeat(65536)
    const tooLongInUtf8 = 'é'.repeat(32768)
    const key = (pk: string) => ({ pk: { S: pk }, sk: { N: '1' } })
    const longest = { ...key('longest'), ['b'.repeat(65535)]: { S: 'x' } }
    const topLevel = { ...key('top'), [tooLong]: { S: 'x' } }
    const nested = { ...key('nested'), m: { M: { ok: { S: 'y' }, [tooLongInUtf8]: { S: 'x' } } } }
    await put('names/a.json', JSON.stringify({ Item: longest }))
    await put('names/b.json', JSON.stringify({ Item: topLevel }))
    await put('names/c.json', JSON.stringify({ Item: nested }))
    const message = '1 validation error detected: Attribute name is too large, must be less than 65536 bytes'
    const tableName = uniqueTableName('imp-names')
    const done = await imported(tableName, 'names/')
    assert.deepEqual([done.ImportStatus, done.FailureCode, done.ImportedItemCount, done.ErrorCount], ['FAILED', 'ItemValidationError', 1, 2])
    assert.deepEqual(await loggedMessages(done.ImportArn!), [message, message])
    assert.deepEqual((await scanAll(server.client, tableName)).map((item: any) => item.pk.S), ['longest'])
    for (const Item of [topLevel, nested]) {
      await expectError(server.client.send(new PutItemCommand({ TableName: tableName, Item })), 'ValidationException', message)
    }
  })

  // A line with no line end is failed once it passes the splitter's bound (16 MiB), not read to
  // its end: the import's bytes stop near the bound, far short of the line, and the next object
  // is imported as usual.
  test('a 40 MB line without a line end is an item error, and the rest of it is not read', async () => {
    const lineBytes = 40 * 1024 * 1024
    const longLine = `{"Item":{"pk":{"S":"long"},"sk":{"N":"1"},"a":{"S":"${'a'.repeat(lineBytes)}"}}}`
    await put('long-line/a.json.gz', gzip(`${longLine}\n${line('after-long')}\n`))
    await put('long-line/b.json.gz', gzip(`${line('next-object')}\n`))
    const tableName = uniqueTableName('imp-longline')
    const done = await imported(tableName, 'long-line/', { InputCompressionType: 'GZIP' })
    assert.deepEqual([done.ImportStatus, done.FailureCode, done.ImportedItemCount, done.ErrorCount], ['FAILED', 'ItemValidationError', 1, 1])
    assert.deepEqual(await loggedMessages(done.ImportArn!), ['Item size has exceeded the maximum allowed size'])
    assert.ok(done.ProcessedSizeBytes! < lineBytes / 2, `read ${done.ProcessedSizeBytes} bytes of a ${lineBytes}-byte line`)
    assert.deepEqual((await scanAll(server.client, tableName)).map((item: any) => item.pk.S), ['next-object'])
  })
})
