/**
 * Starting and stopping like a service, as the README shows: `npm start -- --port N` passes the
 * flags through, and a SIGTERM sent to npm reaches the server (the start script `exec`s node), which
 * stops gracefully; `npx eddydb` in the checkout runs the CLI; and the package `npm pack` makes
 * (which `npm install -g eddydb-x.y.z.tgz` installs) carries the `eddydb` command. The global
 * install itself is not run here: it would build better-sqlite3 or fetch its prebuilt binary.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cliMissingReason } from '../helpers/cli.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
// No registry traffic: everything these commands need is in the checkout.
const offline = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' }

test('npm start -- --port passes flags through, and SIGTERM to npm stops the server gracefully', { skip: cliMissingReason, timeout: 60_000 }, async () => {
  const child = spawn(npm, ['start', '--', '--port', '0', '--in-memory', '--log-level', 'info'], { cwd: root, env: offline, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stdout!.resume()
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const url = /"message":"listening","url":"([^"]+)"/.exec(stderr)?.[1]
      if (url) resolve(url)
    })
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${stderr}`)))
  })
  const url = await listening
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.equal((await fetch(url)).status, 200)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
  assert.match(stderr, /"message":"stopped"/, 'the server closed its storage and logged "stopped"')
})

// npx links the checkout into its own cache and, on that first link, runs the package's `prepare`
// script, which recompiles dist/ while other test files load modules from it (a child once read an
// empty, half-written module). Here it gets a cache of its own and no scripts: the link and the
// bin are what is tested, not a second build.
test('npx eddydb runs the CLI of the checkout', { skip: cliMissingReason, timeout: 60_000 }, () => {
  const cache = mkdtempSync(join(tmpdir(), 'eddydb-npx-cache-'))
  try {
    const env = { ...offline, npm_config_cache: cache, npm_config_ignore_scripts: 'true' }
    const run = spawnSync(npx, ['eddydb', '--version'], { cwd: root, env, encoding: 'utf8' })
    assert.equal(run.status, 0, run.stderr)
    assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/)
  } finally {
    rmSync(cache, { recursive: true, force: true })
  }
})

test('the packed package carries the eddydb command and the compiled server, not the tests', { skip: cliMissingReason, timeout: 60_000 }, () => {
  const run = spawnSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, env: offline, encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  const [packed] = JSON.parse(run.stdout) as { files: { path: string }[] }[]
  const files = packed!.files.map((file) => file.path)
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }
  assert.ok(files.includes(manifest.bin.eddydb!), `${manifest.bin.eddydb} is packed`)
  assert.ok(files.includes('dist/src/server.js'))
  // Without it the CommonJS bundle would be loaded as an ES module (the package is "type": "module").
  assert.ok(files.includes('dist/bundle/package.json'), 'the bundle\'s package.json is packed')
  assert.deepEqual(files.filter((file) => file.startsWith('dist/test/')), [])
})
