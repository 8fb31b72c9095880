/**
 * The AWS CLI round trip from the README: create a table, put, get, update with a condition,
 * a transaction and a query, with only --endpoint-url changed. Skipped where no `aws` command
 * is installed (Debian: apt-get install awscli).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)
import { startServer, type RunningServer } from '../../src/server.js'

const awsPath = ['/usr/bin/aws', '/usr/local/bin/aws'].find((path) => {
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 20_000 })
    return true
  } catch {
    return false
  }
})

let server: RunningServer
before(async () => { if (awsPath) server = await startServer({ port: 0, inMemory: true, logLevel: 'silent' }) })
after(async () => { await server?.close() })

/** Runs `aws dynamodb ...` against the in-process server (asynchronously: the server shares this event loop). */
async function aws(...args: string[]): Promise<any> {
  const { stdout: output } = await execFileAsync(awsPath!, ['dynamodb', ...args, '--endpoint-url', server.url, '--output', 'json'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
  })
  return output.trim() ? JSON.parse(output) : undefined
}

test('the README round trip works through the AWS CLI', { skip: awsPath ? false : 'the aws command is not installed' }, async () => {
  await aws('create-table', '--table-name', 'users', '--billing-mode', 'PAY_PER_REQUEST',
    '--attribute-definitions', 'AttributeName=id,AttributeType=S', '--key-schema', 'AttributeName=id,KeyType=HASH')
  await aws('wait', 'table-exists', '--table-name', 'users')
  await aws('put-item', '--table-name', 'users', '--item', '{"id":{"S":"u1"},"name":{"S":"Ada"}}')
  assert.deepEqual((await aws('get-item', '--table-name', 'users', '--key', '{"id":{"S":"u1"}}')).Item, { id: { S: 'u1' }, name: { S: 'Ada' } })
  const updated = await aws('update-item', '--table-name', 'users', '--key', '{"id":{"S":"u1"}}',
    '--update-expression', 'SET visits = if_not_exists(visits, :zero) + :one', '--condition-expression', 'attribute_exists(id)',
    '--expression-attribute-values', '{":zero":{"N":"0"},":one":{"N":"1"}}', '--return-values', 'ALL_NEW')
  assert.equal(updated.Attributes.visits.N, '1')
  await aws('transact-write-items', '--transact-items', '[{"Put":{"TableName":"users","Item":{"id":{"S":"u2"}}}}]')
  assert.equal((await aws('query', '--table-name', 'users', '--key-condition-expression', 'id = :id',
    '--expression-attribute-values', '{":id":{"S":"u2"}}')).Count, 1)
  await assert.rejects(aws('put-item', '--table-name', 'users', '--item', '{"id":{"S":"u1"}}',
    '--condition-expression', 'attribute_not_exists(id)'), /ConditionalCheckFailedException/)
})
