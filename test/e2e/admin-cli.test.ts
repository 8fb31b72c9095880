/**
 * The admin commands against a running server, through its public API: `eddydb tables` lists
 * and describes tables, `--wait` follows a GSI backfill until the index is ACTIVE, `eddydb status`
 * shows what the server runs, and a server that is not there is one line saying so.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { cliMissingReason, killHard, runCli, startCli, type CliRun, type CliServer } from '../helpers/cli.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { progressBar } from '../../src/cli/progress.js'
import { postgresSkipReason, startPostgres } from '../helpers/postgres.js'

let server: CliServer
let client: DynamoDBClient
const itemCount = 500

before(async () => {
  if (cliMissingReason) return
  server = await startCli(['--in-memory', '--port', '0'])
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
})

const scratch = mkdtempSync(join(tmpdir(), 'eddydb-admin-cli-'))

after(async () => {
  rmSync(scratch, { recursive: true, force: true })
  client?.destroy()
  if (server) await killHard(server.process)
})

test('tables and status on an empty server', { skip: cliMissingReason }, async () => {
  const tables = await runCli(['tables', '--endpoint', server.url])
  assert.equal(tables.code, 0, tables.stderr)
  assert.equal(tables.stdout, `no tables in us-east-1 at ${server.url}\n`)
  const status = await runCli(['status', '--endpoint', server.url])
  assert.equal(status.code, 0, status.stderr)
  assert.match(status.stdout, new RegExp(`^EddyDB \\d+\\.\\d+\\.\\d+ \\(pid ${server.process.pid}\\) at ${server.url}`))
  assert.match(status.stdout, /\n {2}data: in memory\n/)
})

test('every command against a running server prints its own help, not serve\'s', { skip: cliMissingReason }, async () => {
  for (const [args, command] of [[['status', '--help'], 'status'], [['help', 'status'], 'status'], [['tables', '--help'], 'tables'], [['help', 'tables'], 'tables']] as const) {
    const run = await runCli([...args])
    assert.equal(run.code, 0, run.stderr)
    assert.ok(run.stdout.startsWith(`Usage: eddydb ${command} `), `${args.join(' ')}: ${run.stdout.slice(0, 80)}`)
    for (const option of ['--endpoint', '--region', '--json']) assert.ok(run.stdout.includes(option), `${args.join(' ')} lists ${option}`)
    assert.ok(!run.stdout.includes('--data-dir'), `${args.join(' ')} lists serve's options`)
  }
  assert.match((await runCli(['tables', '--help'])).stdout, /--wait/)
  // The transfer and backup commands print their own section and the common options.
  for (const [command, shows] of [['export', 'eddydb export TABLE'], ['import', 'eddydb import TABLE'], ['backup', 'eddydb backup create'],
    ['restore', 'eddydb restore SOURCE'], ['scan', 'eddydb scan TABLE']] as const) {
    const run = await runCli([command, '--help'])
    assert.equal(run.code, 0, run.stderr)
    assert.ok(run.stdout.includes(shows) && run.stdout.includes('--endpoint'), `${command} --help: ${run.stdout.slice(0, 80)}`)
    assert.ok(!run.stdout.includes('--data-dir'), `${command} --help lists serve's options`)
  }
  // Without a command, help is still everything.
  assert.match((await runCli(['help'])).stdout, /^Usage: eddydb \[serve\] \[options\]/)
})

test('a GSI backfill is followed to ACTIVE; tables and status describe the result', { skip: cliMissingReason, timeout: 60_000 }, async () => {
  await client.send(new CreateTableCommand({
    TableName: 'users', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }))
  for (let start = 0; start < itemCount; start += 25) {
    const puts = Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { id: { S: `u${start + offset}` }, country: { S: offset % 2 ? 'GB' : 'US' } } } }))
    await client.send(new BatchWriteItemCommand({ RequestItems: { users: puts } }))
  }
  await client.send(new UpdateTableCommand({
    TableName: 'users',
    AttributeDefinitions: [{ AttributeName: 'country', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-country', KeySchema: [{ AttributeName: 'country', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  }))
  const waited = await runCli(['tables', 'users', '--wait', '--endpoint', server.url])
  assert.equal(waited.code, 0, waited.stderr)
  // Described once the index is ACTIVE (progress lines, if the backfill outlasted a look, are on stderr).
  assert.match(waited.stdout, new RegExp(`^users: ACTIVE, ${itemCount} items`))
  assert.match(waited.stdout, /\n {2}key: id \(HASH\)\n/)
  assert.match(waited.stdout, /\n {2}GSI by-country: ACTIVE, key country \(HASH\), KEYS_ONLY\n/)
  assert.match(waited.stderr, /^(users\/by-country backfill.*\n)*$/)

  const listed = await runCli(['tables', '--endpoint', server.url])
  assert.equal(listed.code, 0, listed.stderr)
  assert.match(listed.stdout, new RegExp(`^TABLE\\s+STATUS\\s+ITEMS\\s+INDEXES\\s+STREAM\\nusers\\s+ACTIVE\\s+${itemCount}\\s+1\\s+-\\n$`))
  const status = await runCli(['status', '--endpoint', server.url])
  assert.match(status.stdout, new RegExp(`table users: ACTIVE, ${itemCount} items\\n {6}GSI by-country: ACTIVE\\n`))
})

test('a table that does not exist, and a server that is not there, are one line each', { skip: cliMissingReason }, async () => {
  const missing = await runCli(['tables', 'nope', '--endpoint', server.url])
  assert.equal(missing.code, 1)
  assert.equal(missing.stderr, 'eddydb: ResourceNotFoundException: Requested resource not found: Table: nope not found\n')
  const closed = `http://127.0.0.1:${await closedPort()}`
  for (const command of ['status', 'tables']) {
    const nobody = await runCli([command, '--endpoint', closed])
    assert.equal(nobody.code, 1)
    assert.equal(nobody.stderr, `eddydb: no server answers at ${closed} (ECONNREFUSED); start one with \`eddydb serve\`, or point --endpoint at it\n`)
  }
})

// A PostgreSQL node has no data directory: status and the startup log name the database
// (the URL's user, host and database), never the password.
test('status and the startup log of a PostgreSQL node name its database without the password',
  { skip: cliMissingReason ?? postgresSkipReason(), timeout: 120_000 }, async () => {
    const cluster = await startPostgres()
    try {
      const shown = await cluster.createDatabase('status_storage')
      const withPassword = shown.replace('postgresql://eddydb@', 'postgresql://eddydb:secret@')
      const node = await startCli(['--port', '0', '--storage-url', withPassword])
      try {
        const status = await runCli(['status', '--endpoint', node.url])
        assert.equal(status.code, 0, status.stderr)
        assert.ok(status.stdout.includes(`\n  data: PostgreSQL at ${shown}\n`), status.stdout)
        const listening = node.stderr().split('\n').map((line) => JSON.parse(line || '{}') as Record<string, unknown>)
          .find((entry) => entry.message === 'listening')
        assert.deepEqual(listening?.storage, { kind: 'postgresql', url: shown })
        assert.doesNotMatch(status.stdout + node.stderr(), /secret/)
      } finally {
        await killHard(node.process)
      }
    } finally {
      await cluster.stop()
    }
  })

/** Keys of a server run with --credentials: the operator's (the server's account) and Alice's (another account). */
const accessKeys = {
  keys: {
    AKIDOPS: { secretAccessKey: 'ops-secret' },
    AKIDALICE: { secretAccessKey: 'alice-secret', accountId: '111122223333' },
  },
}

/** Runs `eddydb status` against `url` signed with the given key. */
function statusAs(url: string, accessKeyId: string, secretAccessKey: string): Promise<CliRun> {
  return runCli(['status', '--endpoint', url], { env: { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } })
}

/** Starts a server that verifies signatures with `accessKeys`. */
async function startWithCredentials(): Promise<CliServer> {
  const file = join(scratch, 'credentials.json')
  writeFileSync(file, JSON.stringify(accessKeys))
  return startCli(['--in-memory', '--port', '0', '--credentials', file])
}

// The status route needs the operator's key; a refusal is the server's own error, as
// `eddydb tables` prints one, not a guess that the server is something else.
test('status refused by a server with --credentials prints the server\'s error', { skip: cliMissingReason }, async () => {
  const secured = await startWithCredentials()
  try {
    const otherAccount = await statusAs(secured.url, 'AKIDALICE', 'alice-secret')
    assert.equal(otherAccount.code, 1)
    assert.match(otherAccount.stderr, /^eddydb: AccessDeniedException: User: arn:aws:iam::111122223333:user\/AKIDALICE is not authorized to call \/_eddydb\/status\b.*\n$/)
    const wrongSecret = await statusAs(secured.url, 'AKIDOPS', 'wrong-secret')
    assert.equal(wrongSecret.code, 1)
    assert.match(wrongSecret.stderr, /^eddydb: InvalidSignatureException: The request signature we calculated does not match/)
  } finally {
    await killHard(secured.process)
  }
})

// Each account has its own namespaces: the operator's us-east-1 and Alice's are two lines,
// told apart by their account.
test('status names the account of each namespace', { skip: cliMissingReason }, async () => {
  const secured = await startWithCredentials()
  const alice = new DynamoDBClient({ endpoint: secured.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret' } })
  try {
    await alice.send(new CreateTableCommand({
      TableName: 'alice_t', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }))
    const status = await statusAs(secured.url, 'AKIDOPS', 'ops-secret')
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, /\n {2}us-east-1 \(account 000000000000\): 0 tables, /)
    assert.match(status.stdout, /\n {2}us-east-1 \(account 111122223333\): 1 tables, .*\n {4}table alice_t: ACTIVE/)
  } finally {
    alice.destroy()
    await killHard(secured.process)
  }
})

/** A port nothing listens on: one the OS just gave out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

// Off a terminal the bar prints a line at each tenth of the way instead of redrawing.
test('the progress bar, off a terminal, prints a line per tenth', () => {
  let written = ''
  const bar = progressBar('t/i backfill', { write: (text: string) => { written += text; return true } } as unknown as NodeJS.WritableStream)
  for (const done of [0, 5, 50, 55, 100]) bar.update(done, 100)
  bar.finish('ACTIVE')
  assert.equal(written, [
    't/i backfill [..............................] 0% (0/100 items)',
    't/i backfill [###############...............] 50% (50/100 items)',
    't/i backfill [##############################] 100% (100/100 items)',
    't/i backfill: ACTIVE',
  ].join('\n') + '\n')
})

// The durability asked for reaches the data directory's storage, and status says which it is.
test('status shows a data directory served with --durability power', { skip: cliMissingReason }, async () => {
  for (const durability of ['process', 'power']) {
    const dataDir = join(scratch, `durability-${durability}`)
    const node = await startCli(['--data-dir', dataDir, '--port', '0', '--durability', durability])
    try {
      const status = await runCli(['status', '--endpoint', node.url, '--json'])
      assert.equal(status.code, 0, status.stderr)
      assert.deepEqual(JSON.parse(status.stdout).storage, { kind: 'sqlite', dataDir, durability })
      const text = await runCli(['status', '--endpoint', node.url])
      assert.ok(text.stdout.includes(durability === 'power' ? `\n  data: ${dataDir} (durability: power)\n` : `\n  data: ${dataDir}\n`), text.stdout)
    } finally {
      await killHard(node.process)
    }
  }
})
