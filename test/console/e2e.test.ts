/**
 * The console in a real browser (headless Chromium from Debian, driven by playwright-core)
 * against a real server: what a new user does, checked on screen and, where it matters, through
 * the AWS SDK. Every wait is bounded polling for something to appear, never a timing check.
 *
 * With EDDYDB_CONSOLE_SCREENSHOTS=docs/console the run also writes the screenshots
 * docs/console.md shows.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { Browser, Page } from 'playwright-core'
import { startServer, type RunningServer } from '../../src/server.js'
import { defaultConfig } from '../../src/config.js'
import { embeddedDaxFlags, startEmbeddedDax } from '../../src/cli/dax.js'
import { createLogger } from '../../src/log.js'
import { daxNodeSource } from '../../src/metrics/dax-source.js'
import type { RunningDaxNode } from '../../src/dax/node-api.js'
import { browserSkipReason, launchChromium, openConsolePage, screenshotDirectory, screenshotOf, waitBoundMs } from './browser.js'

const skip = browserSkipReason

let server: RunningServer
let browser: Browser
let page: Page
let client: DynamoDBClient
/** A DAX node in front of the server's tables, as `eddydb serve --dax` starts it: its hit rates are charted. */
let dax: RunningDaxNode
let daxClient: DynamoDBClient
let pageErrors: string[] = []

before(async () => {
  if (skip) return
  server = await startServer({
    port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent',
    // A trigger function that always fails: the console must show its error.
    functions: { 'always-fails': { command: ['sh', '-c', 'echo "order service unavailable" >&2; exit 3'], timeoutSeconds: 10 } },
  })
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
  const daxFlags = embeddedDaxFlags({ ...defaultConfig, dax: true, daxPort: 'off', daxHttpPort: 0 })!
  dax = await startEmbeddedDax(server, daxFlags, { region: 'us-east-1', log: createLogger('silent') })
  server.metrics.addSource(daxNodeSource(dax))
  daxClient = new DynamoDBClient({ endpoint: `http://127.0.0.1:${dax.httpPort}`, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
  browser = await launchChromium()
  const opened = await openConsolePage(browser)
  page = opened.page
  pageErrors = opened.errors
  await page.goto(`${server.url}/console/`)
})

after(async () => {
  await browser?.close()
  client?.destroy()
  daxClient?.destroy()
  await dax?.close()
  await server?.close()
})

const screenshot = (name: string) => screenshotOf(page, name)

const row = (text: string) => page.locator('tbody tr', { hasText: text })

test('create a table with a sort key, a stream and a global index', { skip }, async () => {
  await page.getByRole('link', { name: 'Create table' }).click()
  await page.getByLabel('Table name').fill('Music')
  await page.getByLabel('Partition key', { exact: true }).fill('artist')
  await page.getByLabel('Sort key (optional)').fill('song')
  await page.getByRole('button', { name: 'Add global index' }).click()
  await page.getByLabel('GSI name').fill('byYear')
  await page.locator('.index-row').getByLabel('Partition key').fill('year')
  await page.locator('.index-row').getByLabel('Type').first().selectOption('N')
  await page.getByLabel('Stream').selectOption('NEW_AND_OLD_IMAGES')
  await page.getByLabel('TTL attribute (optional)').fill('expiresAt')
  await screenshot('create-table')
  await page.getByRole('button', { name: 'Create table' }).click()
  await page.getByRole('heading', { name: 'Tables / Music' }).waitFor()
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Music' }))
  assert.equal(Table!.StreamSpecification?.StreamViewType, 'NEW_AND_OLD_IMAGES')
  assert.deepEqual(Table!.GlobalSecondaryIndexes!.map((index) => index.IndexName), ['byYear'])
  assert.deepEqual(Table!.KeySchema, [{ AttributeName: 'artist', KeyType: 'HASH' }, { AttributeName: 'song', KeyType: 'RANGE' }])
})

test('add an item with the form, then edit it as DynamoDB JSON', { skip }, async () => {
  await page.getByRole('button', { name: 'Create item' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create item' })
  await dialog.getByLabel('Value of artist').fill('Arca')
  await dialog.getByLabel('Value of song').fill('Nonbinary')
  await dialog.getByRole('button', { name: 'Add attribute' }).click()
  await dialog.getByLabel('Attribute name').last().fill('year')
  await dialog.getByLabel('Type').last().selectOption('N')
  await dialog.getByLabel('Value of year').fill('2019')
  await dialog.getByRole('button', { name: 'Create item' }).click()
  await row('Nonbinary').waitFor()
  assert.match(await row('Nonbinary').innerText(), /2019/)

  await page.getByRole('button', { name: 'Edit item Arca / Nonbinary' }).click()
  const editor = page.getByRole('dialog', { name: 'Edit item' })
  await editor.getByRole('button', { name: 'DynamoDB JSON' }).click()
  const text = editor.getByLabel('Item (DynamoDB JSON)')
  const json = JSON.parse(await text.inputValue())
  assert.deepEqual(json.year, { N: '2019' })
  await text.fill(JSON.stringify({ ...json, year: { N: '2020' }, genres: { SS: ['electronic', 'experimental'] } }, null, 2))
  await screenshot('edit-item')
  await editor.getByRole('button', { name: 'Save changes' }).click()
  await page.getByText('Item saved').waitFor()
  await row('Nonbinary').filter({ hasText: '2020' }).waitFor()
  const { Item } = await client.send(new GetItemCommand({ TableName: 'Music', Key: { artist: { S: 'Arca' }, song: { S: 'Nonbinary' } } }))
  assert.deepEqual(Item!.year, { N: '2020' })
  assert.deepEqual(Item!.genres!.SS!.sort(), ['electronic', 'experimental'])
})

test('query by key, and on the global index', { skip }, async () => {
  await client.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: 'Arca' }, song: { S: 'Time' }, year: { N: '2020' } } }))
  await client.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: 'Björk' }, song: { S: 'Joga' }, year: { N: '1997' } } }))
  await page.getByRole('button', { name: 'Query' }).click()
  await page.getByLabel('artist (partition key)').fill('Arca')
  await page.getByLabel('song (sort key)').selectOption('begins_with')
  await page.getByLabel('Sort key value').fill('Ti')
  await page.getByRole('button', { name: 'Run' }).click()
  await page.getByText('1 item returned').waitFor()
  await row('Time').waitFor()
  assert.equal(await row('Nonbinary').count(), 0)
  await screenshot('items-query')

  await page.getByLabel('Table or index').selectOption('byYear')
  await page.getByLabel('year (partition key)').fill('1997')
  await page.getByRole('button', { name: 'Run' }).click()
  await row('Joga').waitFor()
  await page.getByText('1 item returned').waitFor()
})

test('a stream record appears in the live tail', { skip }, async () => {
  await page.getByRole('link', { name: 'Stream', exact: true }).click()
  await page.getByText('Waiting for changes').waitFor()
  // The tail starts at LATEST once it has its shard iterators: keep writing until one shows.
  const record = page.locator('.stream-record', { hasText: 'Ladytron' })
  for (let attempt = 1; attempt <= 60 && await record.count() === 0; attempt++) {
    await client.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: 'Ladytron' }, song: { S: `Seventeen ${attempt}` } } }))
    await record.first().waitFor({ timeout: 1000 }).catch(() => {})
  }
  assert.ok(await record.count() > 0, 'a record of the write appears')
  assert.match(await record.first().innerText(), /INSERT/)
  await screenshot('stream-tail')
})

test('a trigger whose function fails shows its error; it can be disabled and enabled', { skip }, async () => {
  await page.getByRole('link', { name: 'Streams & triggers' }).click()
  const form = page.getByRole('form', { name: 'Create trigger' })
  await form.getByLabel('Function name').fill('always-fails')
  await form.getByLabel('Table stream').selectOption('Music')
  await form.getByLabel('Start from').selectOption('TRIM_HORIZON')
  await form.getByRole('button', { name: 'Create trigger' }).click()
  const trigger = page.getByRole('table', { name: 'Triggers' }).locator('tbody tr', { hasText: 'always-fails' })
  await trigger.filter({ hasText: 'PROBLEM: Function call failed' }).waitFor()
  await trigger.locator('summary').click()
  await trigger.locator('pre', { hasText: 'order service unavailable' }).waitFor()
  await screenshot('triggers')
  await trigger.getByRole('button', { name: 'Disable' }).click()
  await trigger.filter({ hasText: 'Disabled' }).waitFor()
  await trigger.getByRole('button', { name: 'Enable' }).click()
  await trigger.filter({ hasText: 'Enabled' }).waitFor()
})

test('run a PartiQL statement; it goes into the history', { skip }, async () => {
  await page.getByRole('link', { name: 'PartiQL' }).click()
  const statement = `SELECT * FROM "Music" WHERE artist = 'Björk'`
  await page.getByRole('textbox', { name: 'Statement' }).fill(statement)
  await page.getByRole('textbox', { name: 'Statement' }).press('Control+Enter')
  const results = page.getByRole('table', { name: 'Statement results' })
  await results.locator('tbody tr', { hasText: 'Joga' }).waitFor()
  assert.equal(await results.locator('tbody tr').count(), 1)
  await page.getByRole('list', { name: 'Statement history' }).getByText(statement).waitFor()
  await page.getByRole('textbox', { name: 'Statement' }).fill(`SELECT * FROM "NoSuchTable"`)
  await page.getByRole('button', { name: 'Run' }).click()
  await page.getByRole('alert').filter({ hasText: 'ResourceNotFoundException' }).waitFor()
  await page.getByRole('textbox', { name: 'Statement' }).fill(statement)
  await page.getByRole('button', { name: 'Run' }).click()
  await results.waitFor()
  await screenshot('partiql')
})

// A next page belongs to the statement as it was run: editing the text in between does not
// send the new text with the old NextToken (which DynamoDB refuses).
test('PartiQL\'s Next page follows the statement as it was run, not as edited since', { skip }, async () => {
  // Four items of about 390 KB: a page stops at 1 MB, so the SELECT has a second page.
  await client.send(new CreateTableCommand({
    TableName: 'BigRows', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }))
  for (let index = 0; index < 4; index++) {
    await client.send(new PutItemCommand({ TableName: 'BigRows', Item: { id: { S: `row-${index}` }, blob: { S: 'x'.repeat(390_000) } } }))
  }
  await page.getByRole('link', { name: 'PartiQL' }).click()
  const editor = page.getByRole('textbox', { name: 'Statement' })
  await editor.fill(`SELECT id FROM "BigRows"`)
  await page.getByRole('button', { name: 'Run' }).click()
  const results = page.getByRole('table', { name: 'Statement results' })
  await page.getByRole('button', { name: 'Next page' }).waitFor()
  const firstPage = await results.locator('tbody tr').count()
  assert.ok(firstPage > 0 && firstPage < 4, `the first page holds ${firstPage} of 4 items`)
  await editor.fill(`SELECT * FROM "Music"`)
  await page.getByRole('button', { name: 'Next page' }).click()
  await page.getByText(/ · page 2$/).waitFor()
  assert.equal(await page.getByRole('alert').count(), 0, 'no error: the next page was asked for with the statement that was run')
  assert.ok(await results.locator('tbody tr', { hasText: 'row-' }).count() > 0)
  // A 390 KB value in the results is cut off, as in the items grid: the page stays as wide as the window.
  await editor.fill(`SELECT * FROM "BigRows"`)
  await page.getByRole('button', { name: 'Run' }).click()
  await page.getByText(/ · page 1$/).waitFor()
  await results.locator('tbody tr', { hasText: 'row-' }).first().waitFor()
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }))
  assert.ok(widths.page <= widths.window, `the page is ${widths.page} px wide in a ${widths.window} px window`)
})

// The skip link moves focus to the content and stays on the page (the hash router read "#main"
// as a page: "Not found"). A region kept from an earlier visit that the server does not know
// opens the console in the default region, not on a sign-in form the server does not need.
test('the skip link keeps the page; a mistyped region kept from before is forgotten', { skip }, async () => {
  await page.getByRole('link', { name: 'Metrics' }).click()
  await page.keyboard.press('Tab')
  await page.getByRole('link', { name: 'Skip to content' }).press('Enter')
  assert.match(page.url(), /#\/metrics$/)
  assert.equal(await page.getByText('Not found').count(), 0)
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
  await page.evaluate(() => localStorage.setItem('eddydb.console.region', 'us east 1'))
  await page.goto(`${server.url}/console/#/tables`)
  await page.reload()
  await page.getByRole('heading', { name: /Tables/ }).first().waitFor()
  assert.equal(await page.getByText('Sign in').count(), 0)
  assert.equal(await page.evaluate(() => localStorage.getItem('eddydb.console.region')), null)
})

test('the request-rate chart updates as requests are made', { skip }, async () => {
  await page.getByRole('link', { name: 'Metrics' }).click()
  const chart = page.locator('figure.chart', { hasText: 'Requests per second' })
  await chart.waitFor()
  const points = async () => Number(await chart.getAttribute('data-points'))
  const before = await points()
  const puts = page.getByRole('table', { name: 'Operations' }).locator('tbody tr', { hasText: 'PutItem' })
  const putCount = async () => Number((await puts.locator('td').nth(1).innerText()).trim())
  await puts.waitFor()
  const putsBefore = await putCount()
  await client.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: 'Metric' }, song: { S: 'Help I\'m Alive' } } }))
  await page.waitForFunction(([selector, count]) => Number(document.querySelector(selector)?.getAttribute('data-points')) > count,
    ['figure.chart[data-points]', before] as const, { timeout: waitBoundMs, polling: 200 })
  for (let attempt = 0; attempt < 300 && await putCount() <= putsBefore; attempt++) await page.waitForTimeout(200)
  assert.equal(await putCount(), putsBefore + 1)
  assert.ok(await points() > before)
  assert.ok(await chart.locator('canvas').count() > 0, 'uPlot drew the chart')

  // Reads through the DAX node: a miss, then hits; its hit rate is charted and its counters listed.
  for (let i = 0; i < 3; i++) await daxClient.send(new GetItemCommand({ TableName: 'Music', Key: { artist: { S: 'Metric' }, song: { S: 'Help I\'m Alive' } } }))
  await page.locator('figure.chart', { hasText: 'DAX cache hit rate' }).waitFor()
  const node = page.getByRole('table', { name: 'DAX nodes' }).locator('tbody tr', { hasText: dax.options.nodeId })
  await node.waitFor()
  for (let attempt = 0; attempt < 300 && (await node.locator('td').nth(1).innerText()).trim() !== '2'; attempt++) await page.waitForTimeout(200)
  assert.deepEqual([await node.locator('td').nth(1).innerText(), await node.locator('td').nth(2).innerText()], ['2', '1'], 'item cache hits and misses')
  if (screenshotDirectory) {
    // For the picture only: some traffic over a few dozen readings, so the lines have a shape.
    for (let i = 0; i < 150; i++) {
      await client.send(new GetItemCommand({ TableName: 'Music', Key: { artist: { S: 'Metric' }, song: { S: 'x' } } }))
      await daxClient.send(new GetItemCommand({ TableName: 'Music', Key: { artist: { S: 'Metric' }, song: { S: `x${i % 4}` } } }))
      if (i % 3 === 0) await client.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: 'Load' }, song: { S: `s${i % 10}` } } }))
      await page.waitForTimeout(100)
    }
  }
  await screenshot('metrics')
})

test('delete a selection of items, and a protected table is not deleted', { skip }, async () => {
  await page.goto(`${server.url}/console/#/tables/Music/items`)
  await row('Nonbinary').waitFor()
  await page.getByLabel('Select item Arca / Nonbinary').check()
  await page.getByLabel('Select item Arca / Time').check()
  await page.getByRole('button', { name: 'Delete selected (2)' }).click()
  await page.getByRole('dialog', { name: 'Delete 2 items?' }).getByRole('button', { name: 'Delete' }).click()
  await page.getByText('Deleted 2 items').waitFor()
  // The message may show before the list is drawn again: wait for the row to go.
  await row('Nonbinary').waitFor({ state: 'detached' })
  const { Item } = await client.send(new GetItemCommand({ TableName: 'Music', Key: { artist: { S: 'Arca' }, song: { S: 'Time' } } }))
  assert.equal(Item, undefined)

  await client.send(new CreateTableCommand({
    TableName: 'Ledger', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true,
  }))
  await page.getByRole('link', { name: 'Tables' }).first().click()
  await row('Ledger').filter({ hasText: 'protected' }).waitFor()
  await screenshot('tables')
  await page.getByRole('button', { name: 'Delete table Ledger' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete table Ledger?' })
  await dialog.getByRole('button', { name: 'Delete table' }).click()
  await dialog.getByRole('alert').filter({ hasText: /deletion protection/i }).waitFor()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await row('Ledger').waitFor()
  assert.equal((await client.send(new DescribeTableCommand({ TableName: 'Ledger' }))).Table!.TableStatus, 'ACTIVE')
})

test('a first session with the form only: create a table, add an item, query it, edit it, delete it', { skip }, async () => {
  await page.getByRole('link', { name: 'Tables' }).first().click()
  await page.getByRole('link', { name: 'Create table' }).click()
  await page.getByLabel('Table name').fill('Notes')
  await page.getByLabel('Partition key', { exact: true }).fill('id')
  await page.getByLabel('Table name').press('Enter') // submits the form, as a keyboard user would
  await page.getByRole('heading', { name: 'Tables / Notes' }).waitFor()
  await page.getByText('No items match.').waitFor()

  await page.getByRole('button', { name: 'Create item' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create item' })
  await dialog.getByLabel('Value of id').fill('note-1')
  await dialog.getByRole('button', { name: 'Add attribute' }).click()
  await dialog.getByLabel('Attribute name').last().fill('text')
  await dialog.getByLabel('Value of text').fill('buy milk')
  await dialog.getByRole('button', { name: 'Create item' }).click()
  await row('note-1').filter({ hasText: 'buy milk' }).waitFor()

  await page.getByRole('button', { name: 'Query' }).click()
  await page.getByLabel('id (partition key)').fill('note-1')
  await page.getByRole('button', { name: 'Run' }).click()
  await page.getByText('1 item returned').waitFor()

  await page.getByRole('button', { name: 'note-1', exact: true }).click() // the key cell opens the item
  const editor = page.getByRole('dialog', { name: 'Edit item' })
  await editor.getByLabel('Value of text').fill('buy oat milk')
  await editor.getByRole('button', { name: 'Save changes' }).click()
  await row('note-1').filter({ hasText: 'buy oat milk' }).waitFor()

  await page.getByRole('button', { name: 'Delete item note-1' }).click()
  await page.getByRole('dialog', { name: 'Delete item?' }).getByRole('button', { name: 'Delete', exact: true }).click()
  await page.getByText('Deleted 1 item').waitFor()
  await page.getByText('No items match.').waitFor()
  const { Item } = await client.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'note-1' } } }))
  assert.equal(Item, undefined)
})

// An attribute has one type in every key: a numeric sort key indexed with the index's default
// type (String) is the user's mistake to hear about, not one to settle by keeping the last type.
test('a key attribute given two types is refused before anything is created', { skip }, async () => {
  await page.getByRole('link', { name: 'Tables', exact: true }).first().click()
  await page.getByRole('link', { name: 'Create table' }).click()
  await page.getByLabel('Table name').fill('Events')
  await page.getByLabel('Partition key', { exact: true }).fill('device')
  await page.getByLabel('Sort key (optional)').fill('ts')
  await page.locator('select[name="sortType"]').selectOption('N')
  await page.getByRole('button', { name: 'Add global index' }).click()
  await page.getByLabel('GSI name').fill('byTs')
  await page.locator('.index-row').getByLabel('Partition key').fill('ts')
  await page.getByRole('button', { name: 'Create table' }).click()
  await page.getByRole('alert').filter({ hasText: 'ts is a Number in one key and a String in another' }).waitFor()
  await assert.rejects(client.send(new DescribeTableCommand({ TableName: 'Events' })), { name: 'ResourceNotFoundException' })
  await page.locator('.index-row').getByLabel('Type').first().selectOption('N')
  await page.getByRole('button', { name: 'Create table' }).click()
  await page.getByRole('heading', { name: 'Tables / Events' }).waitFor()
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Events' }))
  assert.deepEqual(Table!.AttributeDefinitions!.find((definition) => definition.AttributeName === 'ts'), { AttributeName: 'ts', AttributeType: 'N' })
})

test('readable at phone size', { skip }, async () => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${server.url}/console/#/tables/Music/items`)
  await row('Joga').waitFor()
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(await overflow() <= 0, `the page does not scroll sideways (${await overflow()}px too wide); wide tables scroll in their own box`)
  await screenshot('phone-items')
  // The tables list too: its many columns scroll inside their box, hidden headings included.
  await page.goto(`${server.url}/console/#/tables`)
  await page.locator('tbody tr', { hasText: 'Music' }).waitFor()
  assert.ok(await overflow() <= 0, `the tables page does not scroll sideways (${await overflow()}px too wide)`)
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})
