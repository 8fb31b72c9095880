/**
 * The first hour of an operator: each mistake below is answered by the real CLI with a non-zero
 * exit and one line naming the problem and what to do, never a stack trace or the whole usage
 * text. And one server per data directory: a second `eddydb serve` on a directory in use refuses
 * to start, while a server killed with SIGKILL leaves nothing behind that stops the next one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cliMissingReason, killHard, runCli, startCli, type CliRun, type CliServer } from '../helpers/cli.js'

const scratch = mkdtempSync(join(tmpdir(), 'eddydb-mistakes-'))
test.after(() => rmSync(scratch, { recursive: true, force: true }))

/**
 * Exit 1, and stderr is exactly one `eddydb: ...` line matching `pattern` (plus, for usage
 * errors, the hint naming the help that lists the options: `usage` is that command, or true for
 * serve's).
 */
function assertOneLineError(run: CliRun, pattern: RegExp, usage: boolean | string = false): void {
  assert.equal(run.code, 1, run.stderr)
  const lines = run.stderr.trimEnd().split('\n')
  assert.match(lines[0]!, pattern, run.stderr)
  const help = typeof usage === 'string' ? `eddydb ${usage} --help` : 'eddydb --help'
  assert.deepEqual(lines.slice(1), usage ? [`Run '${help}' for the options.`] : [], run.stderr)
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
}

// The lock is an OS file lock held by the process: a second server is refused with the
// holder's pid, and after kill -9 of the holder the lock is gone with it.
test('a second server on a data directory in use refuses to start; kill -9 frees the directory', { skip: cliMissingReason, timeout: 60_000 }, async () => {
  const dataDir = join(scratch, 'shared-data')
  const first = await startCli(['--port', '0', '--data-dir', dataDir])
  try {
    const second = await runCli(['serve', '--port', '0', '--data-dir', dataDir])
    assertOneLineError(second, new RegExp(`^eddydb: data directory ${dataDir} is in use by process ${first.process.pid}; `))
  } finally {
    await killHard(first.process)
  }
  const third = await startCli(['--port', '0', '--data-dir', dataDir])
  await killHard(third.process)
})

/** Sends SIGTERM and resolves with the exit code. */
async function stopGracefully(server: CliServer): Promise<number | null> {
  // An answer shows the server past its start, where it handles SIGTERM (as npm-start.test.ts).
  assert.equal((await fetch(server.url)).status, 200)
  return new Promise((resolve) => { server.process.once('exit', (code) => resolve(code)); server.process.kill('SIGTERM') })
}

test('a clean stop removes eddydb.pid, unless it names another process by then', { skip: cliMissingReason, timeout: 60_000 }, async () => {
  const dataDir = join(scratch, 'pid-data')
  const pidFile = join(dataDir, 'eddydb.pid')
  const first = await startCli(['--port', '0', '--data-dir', dataDir])
  assert.equal(readFileSync(pidFile, 'utf8').trim(), String(first.process.pid))
  assert.equal(await stopGracefully(first), 0)
  assert.equal(existsSync(pidFile), false, 'the pid file outlived a clean stop')
  // Rewritten by someone else (the lock, not the file, decides who holds the directory): kept.
  const second = await startCli(['--port', '0', '--data-dir', dataDir])
  writeFileSync(pidFile, '1\n')
  assert.equal(await stopGracefully(second), 0)
  assert.equal(readFileSync(pidFile, 'utf8'), '1\n')
})

test('an unknown key in the config file is named, with the closest valid one', { skip: cliMissingReason }, async () => {
  const file = join(scratch, 'typo.json')
  writeFileSync(file, JSON.stringify({ prot: 8001, inMemory: true }))
  assertOneLineError(await runCli(['serve', '--config', file]), /^eddydb: .*typo\.json: unknown key "prot" \(did you mean port\?\)$/, true)
})

// Unknown variables are not refused (other tools may share the prefix), but each is named at start.
test('an unknown EDDYDB_ environment variable is named in a warning, with the closest setting', { skip: cliMissingReason, timeout: 60_000 }, async () => {
  const server = await startCli(['--port', '0', '--in-memory'], {
    env: { ...process.env, EDDYDB_PROT: '8001', EDDYDB_DATADIR: '/tmp/x', EDDYDB_TEST_ANYTHING: '1', EDDYDB_LOG_LEVEL: 'info' },
  })
  try {
    const warnings = server.stderr().split('\n').filter((line) => line.includes('is not an EddyDB setting'))
      .map((line) => JSON.parse(line) as { level: string; message: string; variable: string })
    assert.deepEqual(warnings.map((entry) => [entry.level, entry.variable, entry.message]), [
      ['warn', 'EDDYDB_DATADIR', 'environment variable EDDYDB_DATADIR is not an EddyDB setting and is ignored (did you mean EDDYDB_DATA_DIR?)'],
      ['warn', 'EDDYDB_PROT', 'environment variable EDDYDB_PROT is not an EddyDB setting and is ignored (did you mean EDDYDB_PORT?)'],
    ])
  } finally {
    await killHard(server.process)
  }
})

test('every flag can be set in the file under its documented key (DAX and TLS included)', { skip: cliMissingReason }, async () => {
  const file = join(scratch, 'dax-tls.json')
  writeFileSync(file, JSON.stringify({ inMemory: true, port: 0, dax: true, daxTlsCert: './missing.crt', daxTlsKey: './missing.key' }))
  // The TLS files are read at startup and resolved next to the config file.
  assertOneLineError(await runCli(['serve', '--config', file]), new RegExp(`^eddydb: cannot read the TLS certificate ${join(scratch, 'missing.crt')}: no such file or directory$`), true)
})

test('a flag that needs a value never swallows the next flag', { skip: cliMissingReason }, async () => {
  assertOneLineError(await runCli(['serve', '--data-dir', '--in-memory']), /^eddydb: --data-dir needs a value$/, true)
  assertOneLineError(await runCli(['serve', '--port']), /^eddydb: --port needs a value$/, true)
  assertOneLineError(await runCli(['dax', '--upstream', '--port', '8111']), /^eddydb: --upstream needs a value$/, 'dax')
})

test('two storage options at one level are a usage error, whichever they are', { skip: cliMissingReason }, async () => {
  const url = 'postgresql://eddydb:secret@127.0.0.1:1/eddydb'
  assertOneLineError(await runCli(['serve', '--in-memory', '--data-dir', join(scratch, 'both')]), /^eddydb: --data-dir and --in-memory each choose where the data lives; give one$/, true)
  assertOneLineError(await runCli(['serve', '--in-memory', '--storage-url', url]), /^eddydb: --in-memory and --storage-url each choose where the data lives; give one$/, true)
  assertOneLineError(await runCli(['serve', '--port', '0'], { env: { ...process.env, EDDYDB_DATA_DIR: join(scratch, 'both'), EDDYDB_STORAGE_URL: url } }),
    /^eddydb: EDDYDB_DATA_DIR and EDDYDB_STORAGE_URL each choose where the data lives; give one$/, true)
})

test('a usage error is one line and a hint, not the usage text', { skip: cliMissingReason }, async () => {
  assertOneLineError(await runCli(['serve', '--prot', '8001']), /^eddydb: unknown option --prot \(did you mean --port\?\)$/, true)
  assertOneLineError(await runCli(['stauts']), /^eddydb: unknown command stauts \(did you mean status\?\)$/, true)
})

test('values that would start a server no client can use are refused, naming the option', { skip: cliMissingReason }, async () => {
  assertOneLineError(await runCli(['serve', '--in-memory', '--account-id', 'abc/def']),
    /^eddydb: --account-id must be an account id of 12 digits, got "abc\/def"$/, true)
  assertOneLineError(await runCli(['serve', '--in-memory'], { env: { ...process.env, EDDYDB_ACCOUNT_ID: '123' } }),
    /^eddydb: EDDYDB_ACCOUNT_ID must be an account id of 12 digits, got "123"$/, true)
  assertOneLineError(await runCli(['serve', '--in-memory', '--max-connections', '0']),
    /^eddydb: --max-connections must be a positive integer, got "0"$/, true)
  for (const endpoint of ['notaurl', 'file://relative/dir']) {
    assertOneLineError(await runCli(['serve', '--in-memory', '--s3-endpoint', endpoint]),
      new RegExp(`^eddydb: --s3-endpoint must be an http:\\/\\/ or https:\\/\\/ URL, or file:\\/\\/\\/dir, got "${endpoint}"$`), true)
  }
})

test('a TLS certificate and key that do not load name both files', { skip: cliMissingReason }, async () => {
  const cert = join(scratch, 'not-pem.crt')
  const key = join(scratch, 'not-pem.key')
  writeFileSync(cert, 'not a certificate')
  writeFileSync(key, 'not a key')
  assertOneLineError(await runCli(['serve', '--in-memory', '--port', '0', '--tls-cert', cert, '--tls-key', key]),
    new RegExp(`^eddydb: --tls-cert ${cert} and --tls-key ${key} do not load: `))
})

test('a port in use names the port and the flag that changes it', { skip: cliMissingReason }, async () => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  const port = (blocker.address() as { port: number }).port
  try {
    assertOneLineError(await runCli(['serve', '--in-memory', '--port', String(port)]),
      new RegExp(`^eddydb: port ${port} on 127\\.0\\.0\\.1 is already in use .*; choose another with --port$`))
  } finally {
    blocker.close()
  }
})

// Tests run as root here, which ignores permissions: a path under a regular file cannot be a
// directory for anyone.
test('a data directory that cannot be created names the path', { skip: cliMissingReason }, async () => {
  const file = join(scratch, 'a-file')
  writeFileSync(file, '')
  const dataDir = join(file, 'data')
  assertOneLineError(await runCli(['serve', '--port', '0', '--data-dir', dataDir]), new RegExp(`^eddydb: data directory ${dataDir} cannot be created: `))
})

test('a region file that is not a database names the file and the directory', { skip: cliMissingReason }, async () => {
  const dataDir = join(scratch, 'corrupt')
  mkdirSync(dataDir)
  writeFileSync(join(dataDir, 'us-east-1.sqlite3'), 'not a database, just text that is long enough to be read as a header')
  assertOneLineError(await runCli(['serve', '--port', '0', '--data-dir', dataDir]),
    new RegExp(`^eddydb: cannot open the data file of us-east-1 in ${dataDir}: file is not a database$`))
})

const isRoot = process.getuid?.() === 0
test('a data directory without write permission names the path', { skip: cliMissingReason ?? (isRoot ? 'root ignores directory permissions' : undefined) }, async () => {
  const dataDir = join(scratch, 'read-only')
  mkdirSync(dataDir)
  chmodSync(dataDir, 0o500)
  try {
    assertOneLineError(await runCli(['serve', '--port', '0', '--data-dir', dataDir]), new RegExp(`^eddydb: data directory ${dataDir} is not writable: `))
  } finally {
    chmodSync(dataDir, 0o700)
  }
})

// SQLite would open a file it may not write read-only and fail every write later.
test('a region file without write permission is refused at start, naming the file', { skip: cliMissingReason ?? (isRoot ? 'root ignores file permissions' : undefined) }, async () => {
  const dataDir = join(scratch, 'read-only-file')
  const first = await startCli(['--port', '0', '--data-dir', dataDir])
  assert.equal(await stopGracefully(first), 0)
  const file = join(dataDir, 'us-east-1.sqlite3')
  chmodSync(file, 0o444)
  try {
    assertOneLineError(await runCli(['serve', '--port', '0', '--data-dir', dataDir]),
      new RegExp(`^eddydb: cannot open the data file of us-east-1 in ${dataDir}: ${file} is not writable \\(EACCES\\); fix its permissions$`))
  } finally {
    chmodSync(file, 0o644)
  }
})

test('a trigger function whose module does not exist is refused at startup', { skip: cliMissingReason }, async () => {
  const file = join(scratch, 'functions.json')
  writeFileSync(file, JSON.stringify({ inMemory: true, functions: { welcome: { module: './handlers/welcom.mjs' } } }))
  assertOneLineError(await runCli(['serve', '--config', file, '--port', '0']),
    new RegExp(`^eddydb: function welcome: module ${join(scratch, 'handlers', 'welcom.mjs')} does not exist$`))
  writeFileSync(file, JSON.stringify({ inMemory: true, functions: { welcome: { module: './functions.json', handlr: 'main' } } }))
  assertOneLineError(await runCli(['serve', '--config', file, '--port', '0']), /^eddydb: functions\.welcome: unknown key "handlr" \(did you mean handler\?\)$/)
  writeFileSync(file, JSON.stringify({ inMemory: true, functions: { report: { command: ['no-such-program-eddydb'] } } }))
  assertOneLineError(await runCli(['serve', '--config', file, '--port', '0']), /^eddydb: function report: command no-such-program-eddydb is not on the PATH$/)
})

test('a default region that is not a region is refused, unless configured', { skip: cliMissingReason }, async () => {
  assertOneLineError(await runCli(['serve', '--in-memory', '--port', '0', '--default-region', 'us-east1']),
    /^eddydb: --default-region us-east1 is not an AWS region; fix the name, or accept it with --regions us-east1$/)
})

test('--version answers without starting anything', { skip: cliMissingReason }, async () => {
  const run = await runCli(['--version'])
  assert.equal(run.code, 0)
  assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/)
})
