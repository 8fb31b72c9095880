/**
 * withDaxCache recognises commands by class. A client or command from another copy of
 * @aws-sdk/client-dynamodb (a second install, or its CommonJS build required while eddydb
 * imported the ES build) would silently cache nothing, so the cache warns instead
 * (process warning EDDYDB_DAX_CACHE_OTHER_SDK), once per client. The other copy here is a copy
 * of the package's CommonJS build in a scratch node_modules, as a second install would be.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { withDaxCache } from '../../src/dax/middleware.js'

/**
 * A second copy of the package, inside dist/ so that its own dependencies (@smithy/...) still
 * resolve up the tree to the project's node_modules.
 */
function loadSecondCopy(): { copy: typeof import('@aws-sdk/client-dynamodb'); directory: string } {
  const require = createRequire(import.meta.url)
  const original = dirname(require.resolve('@aws-sdk/client-dynamodb/package.json'))
  const directory = mkdtempSync(join(fileURLToPath(new URL('../../', import.meta.url)), '.sdk-copy-'))
  const target = join(directory, 'node_modules', '@aws-sdk', 'client-dynamodb')
  for (const part of ['package.json', 'dist-cjs']) cpSync(join(original, part), join(target, part), { recursive: true })
  return { copy: createRequire(join(directory, 'index.js'))('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb'), directory }
}

const { copy: commonJs, directory: copyDirectory } = loadSecondCopy()
after(() => rmSync(copyDirectory, { recursive: true, force: true }))
const config = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 }

/** The EDDYDB_DAX_CACHE_OTHER_SDK warnings emitted while `run` runs. */
async function warningsDuring(run: () => Promise<void> | void): Promise<string[]> {
  const seen: string[] = []
  const listener = (warning: Error & { code?: string }) => { if (warning.code === 'EDDYDB_DAX_CACHE_OTHER_SDK') seen.push(warning.message) }
  process.on('warning', listener)
  try {
    await run()
    // Warnings are emitted on a later tick.
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listener)
  }
  return seen
}

test('a client from another copy of the SDK is warned about', async () => {
  assert.notEqual(commonJs.DynamoDBClient, DynamoDBClient, 'the CommonJS build is a different copy')
  const client = new commonJs.DynamoDBClient(config)
  const warnings = await warningsDuring(() => { withDaxCache(client as unknown as DynamoDBClient).detach() })
  client.destroy()
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]!, /^withDaxCache: the client comes from a different copy of @aws-sdk\/client-dynamodb .* nothing is cached/)
})

test('a command from another copy is warned about once; the same copy is not', async () => {
  const client = new DynamoDBClient(config)
  const cache = withDaxCache(client)
  const warnings = await warningsDuring(async () => {
    const send = (command: unknown) => client.send(command as never).catch(() => undefined)
    await send(new commonJs.GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }))
    await send(new commonJs.GetItemCommand({ TableName: 't', Key: { pk: { S: 'b' } } }))
  })
  cache.detach()
  client.destroy()
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]!, /^withDaxCache: a GetItemCommand comes from a different copy/)
})

test('a client and commands of the same copy raise no warning', async () => {
  const warnings = await warningsDuring(() => { withDaxCache(new DynamoDBClient(config)).detach() })
  assert.deepEqual(warnings, [])
})
