import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ConfigError, defaultConfig, loadConfig } from './config.js'

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
  const config = loadConfig(['--in-memory', '--data-dir=/tmp/x'], {})
  assert.equal(config.inMemory, true)
  assert.equal(config.dataDir, '/tmp/x')
})

test('bad settings are reported, not ignored', () => {
  assert.throws(() => loadConfig(['--port', 'eighty'], {}), ConfigError)
  assert.throws(() => loadConfig(['--nope'], {}), ConfigError)
  assert.throws(() => loadConfig([], { EDDYDB_LOG_LEVEL: 'loud' }), ConfigError)
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
