#!/usr/bin/env node
/**
 * Scale-out benchmark, one run: GetItem, PutItem and Query throughput of `eddydb serve` on SQLite
 * (a data directory) next to PostgreSQL (a throwaway cluster, test/helpers/postgres.ts), and
 * PutItem/GetItem throughput of 1, 2 and 3 nodes on one PostgreSQL database, the clients spread
 * round-robin over the nodes. Figures are ratios within this run: on a shared 2-core machine the
 * nodes, PostgreSQL and the load generator all compete for the same cores, so more nodes cannot
 * mean more throughput here; on separate machines they would.
 *
 *   npm run build && node bench/scale-out.js [--operations 3000] [--concurrency 16]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb'
import { killHard, startCli } from '../dist/test/helpers/cli.js'
import { postgresSkipReason, startPostgres } from '../dist/test/helpers/postgres.js'

const { values } = parseArgs({ options: { operations: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' } } })
const operations = Number(values.operations)
const concurrency = Number(values.concurrency)
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' }

const skip = postgresSkipReason()
if (skip) {
  console.error(`scale-out bench: ${skip}`)
  process.exit(1)
}

/** Runs `operations` calls of `call` with `concurrency` in flight; returns calls per second. */
async function throughput(call) {
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < operations) await call(next++)
  }))
  return operations / (Number(process.hrtime.bigint() - started) / 1e9)
}

async function prepare(client) {
  await client.send(new CreateTableCommand({
    TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }))
}

const item = (index) => ({ pk: { S: `p${index % 100}` }, sk: { N: String(index) }, payload: { S: 'x'.repeat(200) } })

/** Put, Get and Query rates against the given nodes (clients round-robin over them). */
async function measure(urls, kinds = ['put', 'get', 'query']) {
  const clients = urls.map((url) => new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 3 }))
  const on = (index) => clients[index % clients.length]
  await prepare(clients[0])
  // The table must be known on every node before the load (catalog notification).
  for (const client of clients) {
    for (let attempt = 0; attempt < 200; attempt++) {
      try { await client.send(new GetItemCommand({ TableName: 'bench', Key: { pk: { S: 'p0' }, sk: { N: '0' } } })); break } catch { await new Promise((r) => setTimeout(r, 50)) }
    }
  }
  const rates = {}
  if (kinds.includes('put')) rates.put = await throughput((index) => on(index).send(new PutItemCommand({ TableName: 'bench', Item: item(index) })))
  if (kinds.includes('get')) rates.get = await throughput((index) => on(index).send(new GetItemCommand({ TableName: 'bench', Key: { pk: { S: `p${index % 100}` }, sk: { N: String(index) } } })))
  if (kinds.includes('query')) rates.query = await throughput((index) => on(index).send(new QueryCommand({ TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `p${index % 100}` } }, Limit: 10 })))
  for (const client of clients) client.destroy()
  return rates
}

async function withNodes(count, flags, run) {
  const nodes = []
  try {
    for (let index = 0; index < count; index++) nodes.push(await startCli(['--port', '0', ...flags]))
    return await run(nodes.map((node) => node.url))
  } finally {
    await Promise.all(nodes.map((node) => killHard(node.process)))
  }
}

const cluster = await startPostgres()
const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-bench-scale-'))
try {
  const sqlite = await withNodes(1, ['--data-dir', dataDir], (urls) => measure(urls))
  const postgres = await withNodes(1, ['--storage-url', await cluster.createDatabase('bench_one')], (urls) => measure(urls))
  const fmt = (n) => n.toFixed(0).padStart(7)
  console.log(`\n${operations} operations per row, ${concurrency} in flight, ${process.platform} ${(await import('node:os')).cpus().length} cores\n`)
  console.log('| operation | SQLite ops/s | PostgreSQL ops/s | PostgreSQL / SQLite |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const kind of ['put', 'get', 'query']) {
    console.log(`| ${kind} | ${fmt(sqlite[kind])} | ${fmt(postgres[kind])} | ${(postgres[kind] / sqlite[kind]).toFixed(2)} |`)
  }
  const byNodes = []
  for (const count of [1, 2, 3]) {
    byNodes.push(await withNodes(count, ['--storage-url', await cluster.createDatabase(`bench_nodes_${count}`)], (urls) => measure(urls, ['put', 'get'])))
  }
  console.log('\n| nodes on one PostgreSQL | put ops/s | get ops/s | put vs 1 node | get vs 1 node |')
  console.log('| ---: | ---: | ---: | ---: | ---: |')
  byNodes.forEach((rates, index) => {
    console.log(`| ${index + 1} | ${fmt(rates.put)} | ${fmt(rates.get)} | ${(rates.put / byNodes[0].put).toFixed(2)} | ${(rates.get / byNodes[0].get).toFixed(2)} |`)
  })
  console.log('\nAll processes share this machine\'s cores: node counts compare coordination cost, not capacity.')
} finally {
  await cluster.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
