/**
 * A data directory whose disk fills up. Writes that no longer fit fail with DynamoDB's
 * InternalServerError (HTTP 500) and the server stays up; every write acknowledged before the
 * disk filled is still there, whole, and survives SIGKILL and a restart once space is freed, when
 * writes succeed again. The disk is a real one: a 12 MiB tmpfs this test mounts and removes, so it
 * runs as root only (as .ci/run does) and is skipped where mounting is not allowed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { cliMissingReason, killHard, startCli } from '../helpers/cli.js'

const diskMiB = 12
/** Each item is this many bytes of payload: the disk holds a hundred or so. */
const payloadBytes = 60_000
/** Bounded: the disk is full long before this many puts. */
const putsMax = 1000
/** Failures in a row that show the disk is full, not a passing hiccup. */
const failuresInARow = 20

const newClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })

/** Mounts a tmpfs of `mebibytes` on a new directory; undefined where this process may not mount. */
function mountSmallDisk(mebibytes: number): string | undefined {
  if (process.getuid?.() !== 0) return undefined
  const mountPoint = mkdtempSync(join(tmpdir(), 'eddydb-disk-full-'))
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${mebibytes}m`, 'tmpfs', mountPoint])
  if (mounted.status === 0) return mountPoint
  rmSync(mountPoint, { recursive: true, force: true })
  return undefined
}

function resizeDisk(mountPoint: string, mebibytes: number): void {
  const resized = spawnSync('mount', ['-o', `remount,size=${mebibytes}m`, mountPoint])
  assert.equal(resized.status, 0, `remount failed: ${resized.stderr}`)
}

function removeDisk(mountPoint: string): void {
  spawnSync('umount', [mountPoint])
  rmSync(mountPoint, { recursive: true, force: true })
}

/** Every item of the table, by pk. */
async function scanAll(client: DynamoDBClient, table: string): Promise<Map<string, string>> {
  const items = new Map<string, string>()
  let startKey: Record<string, never> | undefined
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }))
    for (const item of page.Items ?? []) items.set(item.pk!.S!, item.payload!.S!)
    startKey = page.LastEvaluatedKey as typeof startKey
  } while (startKey)
  return items
}

const probe = cliMissingReason === undefined ? mountSmallDisk(1) : undefined
if (probe) removeDisk(probe)
const skipReason = cliMissingReason ?? (probe ? undefined : 'mounting a tmpfs needs root and a system that allows it')

test('a full disk fails writes with InternalServerError, loses nothing acknowledged, and recovers', { skip: skipReason, timeout: 120_000 }, async () => {
  const disk = mountSmallDisk(diskMiB)
  assert.ok(disk, 'the tmpfs could be mounted a moment ago')
  try {
    const dataDir = join(disk, 'data')
    const first = await startCli(['--port', '0', '--data-dir', dataDir])
    const client = newClient(first.url)
    const table = await createKeyTable(client, 'full')
    const acknowledged: string[] = []
    const failures: Array<{ name: string; status: number | undefined }> = []
    let inARow = 0
    for (let index = 0; index < putsMax && inARow < failuresInARow; index++) {
      const id = `item-${index}`
      try {
        await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: id }, payload: { S: id.padEnd(payloadBytes, '.') } } }))
        acknowledged.push(id)
        inARow = 0
      } catch (error) {
        const failure = error as { name: string; $metadata?: { httpStatusCode?: number } }
        failures.push({ name: failure.name, status: failure.$metadata?.httpStatusCode })
        inARow++
      }
    }
    assert.equal(inARow, failuresInARow, 'the disk never filled up')
    assert.ok(acknowledged.length > 0, 'no write fit on the disk')
    assert.deepEqual(new Set(failures.map(({ name, status }) => `${name} ${status}`)), new Set(['InternalServerError 500']))
    // Still serving: reads and the control plane answer while the disk is full.
    assert.ok((await client.send(new ListTablesCommand({}))).TableNames?.includes(table))
    const whileFull = await scanAll(client, table)
    for (const id of acknowledged) assert.equal(whileFull.get(id), id.padEnd(payloadBytes, '.'), `${id} is missing or not whole`)

    resizeDisk(disk, diskMiB * 4)
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'after' }, payload: { S: 'after' } } }))
    client.destroy()
    await killHard(first.process)

    const second = await startCli(['--port', '0', '--data-dir', dataDir])
    const reader = newClient(second.url)
    try {
      const afterRestart = await scanAll(reader, table)
      const missing = [...acknowledged, 'after'].filter((id) => !afterRestart.has(id))
      assert.deepEqual(missing, [], `${missing.length} acknowledged writes were lost`)
      for (const [id, payload] of afterRestart) {
        if (id !== 'after') assert.equal(payload, id.padEnd(payloadBytes, '.'), `${id} is not whole`)
      }
    } finally {
      reader.destroy()
      await killHard(second.process)
    }
  } finally {
    removeDisk(disk)
  }
})
