import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ConfigError, defaultConfig, loadConfig, settings } from './config.js'

test('defaults apply when nothing is set', () => {
  assert.deepEqual(loadConfig([], {}), defaultConfig)
})

test('a flag beats the environment, which beats the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eddydb-config-'))
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify({ port: 7000, host: '0.0.0.0', logLevel: 'warn' }))
  const config = loadConfig(['--port', '9000', '--config', file], { EDDYDB_HOST: '127.0.0.2' })
  assert.equal(config.port, 9000)
  assert.equal(config.host, '127.0.0.2')
  assert.equal(config.logLevel, 'warn')
})

test('boolean flags take no value and --flag=value works', () => {
  const config = loadConfig(['--shared-regions', '--data-dir=/tmp/x'], {})
  assert.equal(config.sharedRegions, true)
  assert.equal(config.dataDir, '/tmp/x')
})

test('storage options given together at one level are a usage error naming both', () => {
  const url = 'postgresql://eddydb@127.0.0.1:5432/eddydb'
  assert.throws(() => loadConfig(['--in-memory', '--data-dir', '/tmp/x'], {}),
    { name: 'ConfigError', message: '--data-dir and --in-memory each choose where the data lives; give one' })
  assert.throws(() => loadConfig(['--storage-url', url, '--in-memory'], {}), /^ConfigError: --in-memory and --storage-url each/)
  assert.throws(() => loadConfig([], { EDDYDB_DATA_DIR: '/tmp/x', EDDYDB_STORAGE_URL: url }), /EDDYDB_DATA_DIR and EDDYDB_STORAGE_URL each/)
  const dir = mkdtempSync(join(tmpdir(), 'eddydb-config-'))
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify({ inMemory: true, storageUrl: url }))
  assert.throws(() => loadConfig(['--config', file], {}), { message: `${file}: "inMemory" and "storageUrl" each choose where the data lives; give one` })
  // inMemory false chooses nothing, so it goes with any storage.
  assert.equal(loadConfig(['--in-memory=false', '--storage-url', url], {}).storageUrl, url)
})

test('a storage chosen at a higher level replaces one chosen lower, the other options with it', () => {
  const url = 'postgresql://eddydb@127.0.0.1:5432/eddydb'
  const dir = mkdtempSync(join(tmpdir(), 'eddydb-config-'))
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify({ storageUrl: url }))
  const inMemory = loadConfig(['--in-memory', '--config', file], { EDDYDB_DATA_DIR: '/tmp/x' })
  assert.deepEqual([inMemory.inMemory, inMemory.dataDir, inMemory.storageUrl], [true, defaultConfig.dataDir, undefined])
  const fromEnvironment = loadConfig(['--config', file], { EDDYDB_DATA_DIR: '/tmp/x' })
  assert.deepEqual([fromEnvironment.inMemory, fromEnvironment.dataDir, fromEnvironment.storageUrl], [false, '/tmp/x', undefined])
})

test('bad settings are reported, not ignored', () => {
  assert.throws(() => loadConfig(['--port', 'eighty'], {}), ConfigError)
  assert.throws(() => loadConfig(['--nope'], {}), ConfigError)
  assert.throws(() => loadConfig([], { EDDYDB_LOG_LEVEL: 'loud' }), ConfigError)
  assert.throws(() => loadConfig(['--durability', 'disk'], {}), /process or power/)
})

test('durability is process unless power is asked for', () => {
  assert.equal(loadConfig([], {}).durability, 'process')
  assert.equal(loadConfig([], { EDDYDB_DURABILITY: 'power' }).durability, 'power')
  assert.equal(loadConfig(['--durability', 'process'], { EDDYDB_DURABILITY: 'power' }).durability, 'process')
})

test('relative paths of functions resolve next to the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eddydb-config-'))
  const file = join(dir, 'eddydb.json')
  writeFileSync(file, JSON.stringify({ functions: {
    welcome: { module: './handlers/welcome.mjs', handler: 'handler' },
    hook: { url: 'http://127.0.0.1:9/' },
    failures: { file: '/abs/failures.jsonl' },
  } }))
  const { functions } = loadConfig(['--config', file], {}) as { functions: Record<string, Record<string, string>> }
  assert.equal(functions.welcome!.module, join(dir, 'handlers', 'welcome.mjs'))
  assert.equal(functions.hook!.url, 'http://127.0.0.1:9/')
  assert.equal(functions.failures!.file, '/abs/failures.jsonl')
})

test('every flag can be set in the config file under its key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eddydb-config-'))
  const file = join(dir, 'all.json')
  const sample: Record<string, unknown> = {
    port: 8001, portOrOff: 'off', number: 5, count: 0, positiveCount: 3, string: 'x', path: 'p', boolean: true, logLevel: 'warn',
    durability: 'power', list: ['moon-1'], accountId: '123456789012', httpUrl: 'http://127.0.0.1:9', httpOrFileUrl: 'file:///srv/buckets',
  }
  // The three storage settings exclude one another, so each goes in a file of its own.
  const storageKeys: string[] = ['dataDir', 'inMemory', 'storageUrl']
  for (const storageKey of storageKeys) {
    const given = settings.filter((setting) => !storageKeys.includes(setting.key) || setting.key === storageKey)
    writeFileSync(file, JSON.stringify(Object.fromEntries(given.map((setting) => [setting.key, sample[setting.kind]]))))
    const config = loadConfig(['--config', file], {}) as unknown as Record<string, unknown>
    for (const setting of given) {
      const expected = setting.kind === 'path' ? join(dir, 'p') : sample[setting.kind]
      assert.deepEqual(config[setting.key], expected, setting.key)
    }
  }
})

test('an unknown file key is named with the closest valid one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eddydb-config-'))
  const file = join(dir, 'typo.json')
  writeFileSync(file, JSON.stringify({ dataDirectory: './data' }))
  assert.throws(() => loadConfig(['--config', file], {}), { name: 'ConfigError', message: `${file}: unknown key "dataDirectory" (did you mean dataDir?)` })
})

test('a flag that needs a value does not take the next flag as its value', () => {
  assert.throws(() => loadConfig(['--data-dir', '--in-memory'], {}), { message: '--data-dir needs a value' })
  assert.throws(() => loadConfig(['--config', '--port', '1'], {}), { message: '--config needs a value' })
  // An explicit --flag=value may start with dashes.
  assert.equal(loadConfig(['--data-dir=--odd'], {}).dataDir, '--odd')
})

test('environment variables reach the DAX and region settings too', () => {
  const config = loadConfig([], { EDDYDB_DAX: 'true', EDDYDB_DAX_PORT: 'off', EDDYDB_REGIONS: 'moon-1, mars-2', EDDYDB_SHARED_REGIONS: '1' })
  assert.equal(config.dax, true)
  assert.equal(config.daxPort, 'off')
  assert.deepEqual(config.regions, ['moon-1', 'mars-2'])
  assert.equal(config.sharedRegions, true)
})
