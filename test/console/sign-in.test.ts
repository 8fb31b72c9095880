/**
 * The console against a server started with --credentials, in a real browser: it asks for an
 * access key and secret, signs every request with them (SigV4 in the browser, WebCrypto), and can
 * then do only what that key may do. A wrong secret is refused with the server's own error and
 * the form stays; a key whose policy allows only reading table descriptions lists the tables but
 * sees AccessDeniedException when it scans one.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import type { RunningServer } from '../../src/server.js'
import { createTable } from '../helpers/tables.js'
import { clientFor, operator, startSecureServer } from '../security/helpers.js'
import { browserSkipReason, launchChromium, openConsolePage, screenshotOf } from './browser.js'

const skip = browserSkipReason

/** May describe tables, nothing else. */
const describer = {
  accessKeyId: 'AKIDDESCRIBER', secretAccessKey: 'describer-secret',
  policies: [{
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['dynamodb:ListTables', 'dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive'], Resource: '*' }],
  }],
}

let server: RunningServer
let browser: Browser
let page: Page
let pageErrors: string[] = []

before(async () => {
  if (skip) return
  server = await startSecureServer({}, {
    [operator.accessKeyId]: { secretAccessKey: operator.secretAccessKey },
    [describer.accessKeyId]: { secretAccessKey: describer.secretAccessKey, policies: describer.policies },
  })
  const client = clientFor(server, operator)
  await createTable(client, { TableName: 'Invoices', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })
  client.destroy()
  browser = await launchChromium()
  const opened = await openConsolePage(browser)
  page = opened.page
  pageErrors = opened.errors
})

after(async () => {
  await browser?.close()
  await server?.close()
})

async function signIn(accessKeyId: string, secretAccessKey: string, submit: 'click' | 'Enter' = 'click'): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' })
  await form.getByLabel('Access key ID').fill(accessKeyId)
  await form.getByLabel('Secret access key').fill(secretAccessKey)
  if (submit === 'Enter') await form.getByLabel('Secret access key').press('Enter')
  else await form.getByRole('button', { name: 'Sign in' }).click()
}

test('the console asks for a key; a wrong secret is refused and the form stays', { skip }, async () => {
  await page.goto(`${server.url}/console/`)
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count(), 0, 'nothing but the form before signing in')
  await signIn(operator.accessKeyId, 'not-the-secret')
  await page.getByRole('alert').filter({ hasText: 'InvalidSignatureException' }).waitFor()
  assert.match(await page.getByRole('alert').innerText(), /signature we calculated does not match/)
  await page.getByRole('form', { name: 'Sign in' }).waitFor()
  await screenshotOf(page, 'sign-in')
  assert.equal(await page.evaluate(() => sessionStorage.getItem('eddydb.console.credentials')), null, 'a refused key is not kept')

  await signIn('AKIDNOBODY', 'whatever')
  await page.getByRole('alert').filter({ hasText: 'UnrecognizedClientException' }).waitFor()
})

test('signed in with a configured key, the console lists the tables; signing out asks again', { skip }, async () => {
  await signIn(operator.accessKeyId, operator.secretAccessKey, 'Enter') // as a keyboard user would
  await page.locator('tbody tr', { hasText: 'Invoices' }).waitFor()
  await page.getByText(operator.accessKeyId).waitFor()
  // The operator key may read the server's status and metrics, signed like every other request.
  await page.getByRole('link', { name: 'Metrics' }).click()
  await page.getByRole('table', { name: 'Operations' }).locator('tbody tr', { hasText: 'ListTables' }).waitFor()
  // The key lasts for the tab's session: a reload stays signed in.
  await page.reload()
  await page.getByRole('table', { name: 'Operations' }).waitFor()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  assert.equal(await page.evaluate(() => sessionStorage.getItem('eddydb.console.credentials')), null)
})

test('a key limited by its policy sees the tables but is denied what the policy does not allow', { skip }, async () => {
  await signIn(describer.accessKeyId, describer.secretAccessKey)
  await page.getByRole('link', { name: 'Tables', exact: true }).first().click()
  await page.locator('tbody tr', { hasText: 'Invoices' }).waitFor()
  await page.getByRole('link', { name: 'Invoices' }).click()
  await page.getByRole('alert').filter({ hasText: 'AccessDeniedException' }).waitFor()
  assert.match(await page.getByRole('alert').first().innerText(), /not authorized to perform: dynamodb:Scan/)
  await page.getByRole('button', { name: 'Sign out' }).click()
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})
