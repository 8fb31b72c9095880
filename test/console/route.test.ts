/**
 * The console's static route: the page, its modules and the vendored libraries are served by
 * the server itself with the right types; nothing outside the listed files is reachable; the
 * --console setting turns it off, and it is off by default on a non-loopback address.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, type RunningServer } from '../../src/server.js'
import { consoleEnabled } from '../../src/console/route.js'
import { loadConfig } from '../../src/config.js'

let server: RunningServer

before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
})

after(() => server.close())

test('the page, its modules and the vendored libraries are served with their types', async () => {
  const page = await fetch(`${server.url}/console/`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type')!, /^text\/html/)
  const html = await page.text()
  assert.match(html, /"preact": "\.\/vendor\/preact\.mjs"/)
  assert.doesNotMatch(html, /https?:\/\//, 'no asset comes from another origin')
  for (const [path, type] of [['app.js', 'text/javascript'], ['style.css', 'text/css'], ['vendor/preact.mjs', 'text/javascript'],
    ['vendor/hooks.mjs', 'text/javascript'], ['vendor/htm.mjs', 'text/javascript'], ['vendor/uPlot.esm.js', 'text/javascript'],
    ['vendor/uPlot.min.css', 'text/css'], ['pages/items.js', 'text/javascript']]) {
    const reply = await fetch(`${server.url}/console/${path}`)
    assert.equal(reply.status, 200, path)
    assert.match(reply.headers.get('content-type')!, new RegExp(`^${type}`), path)
    const text = await reply.text()
    assert.ok(text.length > 0, path)
    // The browser imports these: the packages' ES module builds, not their CommonJS ones.
    if (/^vendor\/.*js$/.test(path)) assert.match(text, /(^|[;}])export ?(\{|default|function|const|class)/m, path)
  }
})

test('/console redirects to /console/; other paths under it are 404s', async () => {
  const bare = await fetch(`${server.url}/console`, { redirect: 'manual' })
  assert.equal(bare.status, 302)
  assert.equal(bare.headers.get('location'), '/console/')
  for (const path of ['/console/nope.js', '/console/%2e%2e/package.json', '/console/..%2fpackage.json', '/consolex', '/console/vendor/preact.js']) {
    const reply = await fetch(`${server.url}${path}`)
    assert.equal(reply.status, 404, path)
    await reply.text()
  }
  const post = await fetch(`${server.url}/console/`, { method: 'POST', body: '{}' })
  assert.equal(post.status, 405)
})

test('--console off serves no console; the default depends on the address', async () => {
  const off = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', console: false })
  try {
    const reply = await fetch(`${off.url}/console/`)
    assert.equal(reply.status, 404)
    assert.match(await reply.text(), /Nothing is served at/)
  } finally {
    await off.close()
  }
  assert.equal(consoleEnabled(undefined, '127.0.0.1'), true)
  assert.equal(consoleEnabled(undefined, '::1'), true)
  assert.equal(consoleEnabled(undefined, '0.0.0.0'), false)
  assert.equal(consoleEnabled(true, '0.0.0.0'), true)
  assert.equal(loadConfig(['--console', 'off'], {}).console, false)
  assert.equal(loadConfig(['--console=on'], {}).console, true)
  assert.equal(loadConfig([], { EDDYDB_CONSOLE: 'off' }).console, false)
  assert.equal(loadConfig([], {}).console, undefined)
  assert.throws(() => loadConfig(['--console', 'maybe'], {}), /--console must be on or off, got "maybe"/)
})
