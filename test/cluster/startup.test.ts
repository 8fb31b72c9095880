/**
 * Starting a node with a storage URL: a URL that is not PostgreSQL's is refused in one line
 * naming the flag (its password not echoed), so is a pool too small to serve, and --help names
 * what the default is.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cliMissingReason, runCli } from '../helpers/cli.js'

test('a storage URL that is not postgresql:// is one line naming the flag, without the password', { skip: cliMissingReason }, async () => {
  const run = await runCli(['serve', '--port', '0', '--storage-url', 'mysql://user:secret@db.internal/eddydb'])
  assert.notEqual(run.code, 0)
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
  assert.match(run.stderr, /--storage-url must be a PostgreSQL URL \(postgresql:\/\/user@host:5432\/database\), not mysql:\/\/user@db\.internal\/eddydb/)
  assert.doesNotMatch(run.stderr, /secret|\n\s+at /)
})

test('a storage pool of fewer than 2 connections is refused in one line naming the flag', { skip: cliMissingReason }, async () => {
  const run = await runCli(['serve', '--port', '0', '--in-memory', '--storage-pool-size', '1'])
  assert.notEqual(run.code, 0)
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
  assert.match(run.stderr, /--storage-pool-size must be at least 2 \(one connection for transactions, one for reads\), not 1/)
})

test('serve --help names the default of --storage-url', { skip: cliMissingReason }, async () => {
  const run = await runCli(['serve', '--help'])
  const line = run.stdout.split('\n').findIndex((text) => text.includes('--storage-url'))
  assert.ok(line >= 0, run.stdout)
  const help = run.stdout.split('\n')[line + 1]!
  assert.match(help, /default none \(the data directory\)/)
  assert.doesNotMatch(help, /default undefined/)
})
