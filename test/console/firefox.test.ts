/**
 * The console in Firefox (Debian's firefox-esr over WebDriver BiDi, see firefox.ts): a new user's
 * first session — create a table, add an item, find it with a query, edit it, delete it — checked
 * on screen and through the AWS SDK, with no uncaught error in the page. The Chromium suite
 * (e2e.test.ts) covers every page; this one shows the same code runs in the other engine.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../../src/server.js'
import { firefoxSkipReason, openFirefoxPage, until, type FirefoxPage } from './firefox.js'

const skip = firefoxSkipReason

let server: RunningServer
let page: FirefoxPage
let client: DynamoDBClient

before(async () => {
  if (skip) return
  server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
  page = await openFirefoxPage()
  await page.navigate(`${server.url}/console/`)
})

after(async () => {
  await page?.close()
  client?.destroy()
  await server?.close()
})

/**
 * Runs one user action in the page and lets the page render, as separate user events are: the
 * console's components read their state from the last render.
 */
const act = (step: string) => page.evaluate(`(async () => {
  const user = window.__user; ${step}
  await new Promise((resolve) => setTimeout(resolve, 0))
  return true
})()`)
const sees = (text: string) => until(page, `window.__user.shows(${JSON.stringify(text)})`, text)
const seesRow = (...texts: string[]) => until(page, `window.__user.rowWith(...${JSON.stringify(texts)}) !== null`, `a row with ${texts.join(', ')}`)
const seesDialog = (name: string) => until(page, `window.__user.dialog(${JSON.stringify(name)}) !== null`, `the dialog ${name}`)

test('a first session in Firefox: create a table, add an item, query it, edit it, delete it', { skip }, async () => {
  await sees('Create table')
  await act(`user.click('Create table')`)
  await until(page, `window.__user.labelled('Table name') !== null`, 'the create-table form')
  await act(`user.fill('Table name', 'Notes')`)
  await act(`user.fill('Partition key', 'id')`)
  await act(`user.submit('Table name')`)
  await sees('Tables / Notes')
  await sees('No items match.')
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Notes' }))
  assert.deepEqual(Table!.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }])

  await act(`user.click('Create item')`)
  await seesDialog('Create item')
  await act(`user.fill('Value of id', 'note-1', user.dialog('Create item'))`)
  await act(`user.click('Add attribute', user.dialog('Create item'))`)
  await until(page, `window.__user.labelled('Value of new attribute', window.__user.dialog('Create item')) !== null`, 'a new attribute row')
  await act(`user.fill('Attribute name', 'text', user.dialog('Create item'))`)
  await until(page, `window.__user.labelled('Value of text', window.__user.dialog('Create item')) !== null`, 'the value field of text')
  await act(`user.fill('Value of text', 'buy milk', user.dialog('Create item'))`)
  await act(`user.click('Create item', user.dialog('Create item'))`)
  await seesRow('note-1', 'buy milk')

  await act(`user.click('Query')`)
  await until(page, `window.__user.labelled('id (partition key)') !== null`, 'the query form')
  await act(`user.fill('id (partition key)', 'note-1')`)
  await act(`user.click('Run')`)
  await sees('1 item returned')

  await act(`user.click('note-1')`) // the key cell opens the item
  await seesDialog('Edit item')
  await act(`user.fill('Value of text', 'buy oat milk', user.dialog('Edit item'))`)
  await act(`user.click('Save changes', user.dialog('Edit item'))`)
  await seesRow('note-1', 'buy oat milk')
  const edited = await client.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'note-1' } } }))
  assert.deepEqual(edited.Item, { id: { S: 'note-1' }, text: { S: 'buy oat milk' } })

  await act(`user.click('Delete item note-1')`)
  await seesDialog('Delete item?')
  await act(`user.click('Delete', user.dialog('Delete item?'))`)
  await sees('Deleted 1 item')
  await sees('No items match.')
  const deleted = await client.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'note-1' } } }))
  assert.equal(deleted.Item, undefined)
  assert.deepEqual(await page.evaluate('window.__errors'), [], 'no uncaught errors in the page')
})
