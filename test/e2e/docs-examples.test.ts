/**
 * The documentation's runnable parts run as written, on a port that is not the default and with
 * no AWS credentials in the environment: the triggers example (examples/triggers, as
 * docs/streams.md runs it) and the official DAX v3 client snippet of docs/dax.md.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { cliMissingReason, killHard, startCli } from '../helpers/cli.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'eddydb-docs-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

/** The environment of someone who never configured AWS. */
function withoutAwsCredentials(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name]
  return { ...env, ...extra }
}

test('examples/triggers runs on another port without AWS credentials', { skip: cliMissingReason, timeout: 180_000 }, async () => {
  const example = join(root, 'examples', 'triggers')
  // Started from a scratch directory so the example's outbox file lands there, not in the checkout.
  const server = await startCli(['--in-memory', '--config', join(example, 'eddydb.config.json'), '--port', '0'], { cwd: scratch })
  try {
    const run = spawnSync(process.execPath, [join(example, 'run.mjs')], {
      cwd: scratch, encoding: 'utf8', env: withoutAwsCredentials({ EDDYDB_ENDPOINT: server.url }), timeout: 120_000,
    })
    assert.equal(run.status, 0, run.stderr)
    const stats = /user-stats: (\{.*\})/.exec(run.stdout)?.[1]
    assert.ok(stats, run.stdout)
    for (const expected of ['US: 2', 'GB: 1', 'NL: 0']) assert.ok(stats.includes(expected), `${expected} in ${stats}`)
    assert.match(run.stdout, /outbox: \[\s*'ada@example\.com',\s*'grace@example\.com',\s*'alan@example\.com',\s*'edsger@example\.com'\s*\]/)
  } finally {
    await killHard(server.process)
  }
})

/** Polls `read` until it gives a value (at most 200 looks). */
async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (let look = 0; look < 200; look++) {
    const value = read()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('gave up waiting')
}

/** The first ```js block after `heading` in a markdown file. */
function snippetAfter(markdown: string, heading: string): string {
  const from = markdown.indexOf(heading)
  assert.ok(from >= 0, `${heading} is in the document`)
  const block = /```js\n([\s\S]*?)```/.exec(markdown.slice(from))
  assert.ok(block, `a js block follows ${heading}`)
  return block[1]!
}

test('docs/dax.md: the official v3 client snippet runs against `serve --dax` on another port', { skip: cliMissingReason, timeout: 90_000 }, async () => {
  const snippet = snippetAfter(readFileSync(join(root, 'docs', 'dax.md'), 'utf8'), '**Official DAX client, SDK v3**')
  const server = await startCli(['--in-memory', '--port', '0', '--dax', '--dax-port', '0', '--dax-http-port', 'off', '--log-level', 'info'])
  const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  // Inside the checkout, so that the snippet's imports resolve to its node_modules.
  const file = join(root, 'dist', `.dax-snippet-${process.pid}.mjs`)
  try {
    // The wire port is in the node's "dax node listening" line, logged after the server's.
    const wirePort = await eventually(() => Number(/"message":"dax node listening".*?"wirePort":(\d+)/.exec(server.stderr())?.[1]) || undefined)
    await client.send(new CreateTableCommand({
      TableName: 'users', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }))
    // As written, but on this test's port; the client keeps sockets open, so exit when done.
    writeFileSync(file, snippet.replace('dax://127.0.0.1:8111', `dax://127.0.0.1:${wirePort}`) + '\nprocess.exit(0)\n')
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', env: withoutAwsCredentials(), timeout: 60_000 })
    assert.equal(run.status, 0, run.stderr)
    assert.match(run.stdout, /\{ id: 'u1', visits: 1 \}/)
  } finally {
    client.destroy()
    rmSync(file, { force: true })
    await killHard(server.process)
  }
})
