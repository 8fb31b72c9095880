/**
 * The console's backup, data-movement and replication pages in a real browser (headless
 * Chromium, playwright-core) against a real server: turn on point-in-time recovery and restore
 * a table as of a chosen second, take an on-demand backup and restore it, export a table to a
 * directory and import the export into a new table, add a replica and watch its lag charted.
 * Every effect is also checked through the AWS SDK. Waits are bounded polling, never timing checks.
 *
 * With EDDYDB_CONSOLE_SCREENSHOTS=docs/console the run also writes the screenshots
 * docs/console.md shows.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient, GetItemCommand, ListBackupsCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import type { Browser, Page } from 'playwright-core'
import { startServer, type RunningServer } from '../../src/server.js'
import { createTable, waitForActive } from '../helpers/tables.js'
import { browserSkipReason, launchChromium, openConsolePage, screenshotDirectory, screenshotOf } from './browser.js'

const skip = browserSkipReason

let server: RunningServer
let browser: Browser
let page: Page
let client: DynamoDBClient
let exportDirectory: string
let pageErrors: string[] = []

before(async () => {
  if (skip) return
  exportDirectory = mkdtempSync(join(tmpdir(), 'eddydb-console-exports-'))
  server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
  await createTable(client, { TableName: 'Orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })
  browser = await launchChromium()
  const opened = await openConsolePage(browser)
  page = opened.page
  pageErrors = opened.errors
})

after(async () => {
  await browser?.close()
  client?.destroy()
  await server?.close()
  if (exportDirectory) rmSync(exportDirectory, { recursive: true, force: true })
})

const screenshot = (name: string) => screenshotOf(page, name, true)

/** Opens a console page afresh (a hash change alone would keep the last page's forms and messages). */
async function open(path: string): Promise<void> {
  await page.goto('about:blank')
  await page.goto(`${server.url}/console/#/${path}`)
}

const itemState = async (table: string, id: string) =>
  (await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))).Item?.state?.S

/** The table page shows the table's items once it is ACTIVE: reload until its row appears. */
async function seeItemInConsole(table: string, text: string): Promise<void> {
  await waitForActive(client, table) // restores and imports copy in the background
  await open(`tables/${table}/items`)
  await page.locator('tbody tr', { hasText: text }).waitFor()
}

test('turn on point-in-time recovery and restore the table as of a chosen second', { skip }, async () => {
  await open('tables/Orders/backups')
  await page.getByRole('button', { name: 'Turn on point-in-time recovery' }).click()
  await page.getByText('Point-in-time recovery is on.').waitFor()
  await page.getByText('Restorable window').waitFor()

  await client.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'o-1' }, state: { S: 'placed' } } }))
  // The restore form picks whole seconds: the first whole second after the first write, with
  // the second write after it.
  const restoreSecond = Math.ceil(Date.now() / 1000) + 1
  while (Date.now() < restoreSecond * 1000 + 20) await page.waitForTimeout(50)
  await client.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'o-1' }, state: { S: 'shipped' } } }))

  const form = page.getByRole('form', { name: 'Restore to a point in time' })
  await page.getByRole('button', { name: 'Refresh' }).click() // the window's end moves up to now
  await form.getByLabel('New table name').fill('Orders-as-placed')
  const localTime = await page.evaluate((seconds) => {
    const date = new Date(seconds * 1000)
    const pad = (value: number) => String(value).padStart(2, '0')
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  }, restoreSecond)
  await form.getByLabel('Restore time (your local time)').fill(localTime)
  await screenshot('pitr')
  await form.getByRole('button', { name: 'Restore' }).click()
  await form.getByRole('status').filter({ hasText: 'Restoring into Orders-as-placed' }).waitFor()

  await seeItemInConsole('Orders-as-placed', 'placed')
  assert.equal(await itemState('Orders-as-placed', 'o-1'), 'placed', 'the restore shows the item as it was at the chosen second')
  assert.equal(await itemState('Orders', 'o-1'), 'shipped')
  await page.getByRole('link', { name: 'Tables', exact: true }).first().click()
  await page.locator('tbody tr', { hasText: 'Orders-as-placed' }).filter({ hasText: 'ACTIVE' }).waitFor()
})

// The form holds whole seconds; its default (the latest restorable second, rounded down) must not
// fall before the window opens, as it would right after PITR is turned on.
test('right after point-in-time recovery is turned on, Restore with the form\'s defaults works', { skip }, async () => {
  await createTable(client, { TableName: 'Fresh', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })
  await open('tables/Fresh/backups')
  await page.getByRole('button', { name: 'Turn on point-in-time recovery' }).click()
  await page.getByText('Point-in-time recovery is on.').waitFor()
  const form = page.getByRole('form', { name: 'Restore to a point in time' })
  await form.getByRole('button', { name: 'Restore' }).click()
  await form.getByRole('status').filter({ hasText: 'Restoring into Fresh-restored' }).waitFor()
  assert.equal(await form.getByRole('alert').count(), 0)
  await waitForActive(client, 'Fresh-restored')
})

test('a restore time outside the window shows DynamoDB\'s error', { skip }, async () => {
  await open('tables/Orders/backups')
  const form = page.getByRole('form', { name: 'Restore to a point in time' })
  await form.getByLabel('New table name').fill('Orders-too-late')
  const tomorrow = await page.evaluate(() => {
    const date = new Date(Date.now() + 86_400_000)
    const pad = (value: number) => String(value).padStart(2, '0')
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  })
  await form.getByLabel('Restore time (your local time)').fill(tomorrow)
  await form.getByRole('button', { name: 'Restore' }).click()
  await form.getByRole('alert').filter({ hasText: 'InvalidRestoreTimeException' }).waitFor()
})

test('create an on-demand backup, restore it into a new table, delete it', { skip }, async () => {
  await open('tables/Orders/backups')
  await page.getByLabel('Backup name').fill('orders-nightly')
  await page.getByRole('button', { name: 'Create backup' }).click()
  const backups = page.getByRole('table', { name: 'Backups' })
  await backups.locator('tbody tr', { hasText: 'orders-nightly' }).filter({ hasText: 'AVAILABLE' }).waitFor()
  await client.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'o-2' }, state: { S: 'after the backup' } } }))

  await page.getByRole('button', { name: 'Restore backup orders-nightly' }).click()
  const dialog = page.getByRole('dialog', { name: 'Restore backup orders-nightly' })
  await dialog.getByLabel('New table name').fill('Orders-from-backup')
  await dialog.getByRole('button', { name: 'Restore' }).click()
  await page.getByRole('status').filter({ hasText: 'Restoring into Orders-from-backup' }).waitFor()
  await screenshot('backups')

  await seeItemInConsole('Orders-from-backup', 'shipped')
  const { Items } = await client.send(new ScanCommand({ TableName: 'Orders-from-backup' }))
  assert.deepEqual(Items!.map((item) => item.id!.S), ['o-1'], 'the item written after the backup is not in it')

  await open('tables/Orders/backups')
  await page.getByRole('button', { name: 'Delete backup orders-nightly' }).click()
  await page.getByRole('dialog', { name: 'Delete backup orders-nightly?' }).getByRole('button', { name: 'Delete backup' }).click()
  await page.getByText('No backups of Orders yet.').waitFor()
  const { BackupSummaries } = await client.send(new ListBackupsCommand({ TableName: 'Orders' }))
  assert.deepEqual(BackupSummaries, [])
})

test('export the table to a directory, then import the export into a new table', { skip }, async () => {
  await open('tables/Orders/backups')
  const exportForm = page.getByRole('form', { name: 'Export to S3' })
  await exportForm.getByLabel('S3 bucket').fill(`file://${exportDirectory}`)
  await exportForm.getByRole('button', { name: 'Export' }).click()
  await exportForm.getByRole('status').filter({ hasText: 'started' }).waitFor()
  const exported = page.getByRole('table', { name: 'Exports' }).locator('tbody tr').filter({ hasText: 'COMPLETED' })
  await exported.waitFor()
  assert.equal((await exported.locator('td').nth(3).innerText()).trim(), '2', 'both items exported')
  const exportId = (await exported.locator('td').first().innerText()).trim()

  await page.getByRole('link', { name: 'Backups & data' }).click()
  const importForm = page.getByRole('form', { name: 'Import from S3' })
  await importForm.getByLabel('S3 bucket').fill(`file://${exportDirectory}`)
  await importForm.getByLabel('Key prefix').fill(`AWSDynamoDB/${exportId}/data/`)
  await importForm.getByLabel('New table name').fill('Orders-imported')
  await importForm.getByLabel('Partition key').fill('id')
  await importForm.getByRole('button', { name: 'Import' }).click()
  const imported = page.getByRole('table', { name: 'Imports' }).locator('tbody tr', { hasText: 'Orders-imported' }).filter({ hasText: 'COMPLETED' })
  await imported.waitFor()
  assert.equal((await imported.locator('td').nth(5).innerText()).trim(), '2', 'both items imported')
  await page.getByRole('table', { name: 'Exports' }).locator('tbody tr', { hasText: exportId }).waitFor()
  await screenshot('data')
  assert.equal(await itemState('Orders-imported', 'o-2'), 'after the backup')
})

test('add a replica and see its replication lag charted', { skip }, async () => {
  await createTable(client, {
    TableName: 'Profiles', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })
  await open('tables/Profiles/replicas')
  await page.getByText('Profiles has no replicas').waitFor()
  await page.getByLabel('Replica region').fill('eu-west-1')
  await page.getByRole('button', { name: 'Add replica' }).click()
  await page.getByRole('table', { name: 'Replicas' }).locator('tbody tr', { hasText: 'eu-west-1' }).filter({ hasText: 'ACTIVE' }).waitFor()

  for (let index = 0; index < 5; index++) {
    await client.send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { S: `user-${index}` } } }))
  }
  const pair = page.getByRole('table', { name: 'Replica pairs' }).locator('tbody tr').filter({ hasText: 'us-east-1' }).filter({ hasText: 'eu-west-1' }).first()
  await pair.waitFor()
  await page.waitForFunction(() => Number(document.querySelector('figure.chart')?.getAttribute('data-series')) >= 1, undefined, { polling: 200 })
  for (let attempt = 0; attempt < 600; attempt++) {
    const cells = await page.getByRole('table', { name: 'Replica pairs' }).locator('tbody tr')
      .filter({ has: page.locator('td:nth-child(1)', { hasText: 'us-east-1' }) }).first().locator('td').allInnerTexts()
    if (Number(cells[4]) >= 5 && cells[2] !== '—') break
    await page.waitForTimeout(100)
  }
  const cells = await page.getByRole('table', { name: 'Replica pairs' }).locator('tbody tr')
    .filter({ has: page.locator('td:nth-child(1)', { hasText: 'us-east-1' }) }).first().locator('td').allInnerTexts()
  assert.equal(cells[1], 'eu-west-1')
  assert.ok(Number(cells[4]) >= 5, `the five writes replicated: ${cells.join(' | ')}`)
  assert.ok(Number(cells[2]) >= 0, `a lag is shown: ${cells.join(' | ')}`)
  const west = new DynamoDBClient({ endpoint: server.url, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
  try {
    assert.equal((await west.send(new GetItemCommand({ TableName: 'Profiles', Key: { id: { S: 'user-4' } } }))).Item?.id?.S, 'user-4')
  } finally {
    west.destroy()
  }
  assert.ok(await page.locator('figure.chart', { hasText: 'Replication lag' }).locator('canvas').count() > 0, 'uPlot drew the lag chart')
  if (screenshotDirectory) {
    // For the picture only: writes over a few dozen readings, so the lines have a shape.
    for (let index = 0; index < 60; index++) {
      await client.send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { S: `user-${index % 10}` }, visits: { N: String(index) } } }))
      await page.waitForTimeout(150)
    }
  }
  await screenshot('replicas')
})

test('the backups tab is readable at phone size', { skip }, async () => {
  await page.setViewportSize({ width: 390, height: 844 })
  await open('tables/Orders/backups')
  await page.getByRole('form', { name: 'Export to S3' }).waitFor()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px too wide); wide tables scroll in their own box`)
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})
