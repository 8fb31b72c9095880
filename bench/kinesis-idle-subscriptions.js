// Idle SubscribeToShard subscriptions: what they cost the server while nothing arrives. Starts
// EddyDB --in-memory (one process per build given), creates a stream of --shards shards and one
// enhanced fan-out consumer, subscribes it to --subscriptions shards from LATEST, and reads the
// server's CPU time (/proc) over 10 s of nothing. Figures only, never pass/fail.
// Usage: npm run build && node bench/kinesis-idle-subscriptions.js [--shards 400] [--subscriptions 40] [--dist DIR [--dist DIR]]
import { createRequire } from 'node:module'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { installCleanupHandlers } from './lib/processes.js'
import { eddydbFromDist, startTarget, stopTarget } from './lib/targets.js'

const require = createRequire(new URL('../package.json', import.meta.url))
const { KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, RegisterStreamConsumerCommand, DescribeStreamConsumerCommand, SubscribeToShardCommand, ListShardsCommand } = require('@aws-sdk/client-kinesis')
const { values } = parseArgs({ options: { shards: { type: 'string', default: '400' }, subscriptions: { type: 'string', default: '40' }, dist: { type: 'string', multiple: true } } })
const shardCount = Number(values.shards)
const subs = Number(values.subscriptions)
const dists = (values.dist ?? [fileURLToPath(new URL('../dist', import.meta.url))]).map((dist) => resolve(dist))
installCleanupHandlers()

async function measure(port, pid) {
const client = new KinesisClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
await client.send(new CreateStreamCommand({ StreamName: 'idle', ShardCount: shardCount }))
for (let i = 0; i < 100; i++) { const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'idle' })); if (s.StreamDescriptionSummary.StreamStatus === 'ACTIVE') break; await new Promise(r => setTimeout(r, 200)) }
const arn = (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'idle' }))).StreamDescriptionSummary.StreamARN
const consumer = (await client.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'c' }))).Consumer
for (let i = 0; i < 100; i++) { const c = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN })); if (c.ConsumerDescription.ConsumerStatus === 'ACTIVE') break; await new Promise(r => setTimeout(r, 200)) }
const shards = (await client.send(new ListShardsCommand({ StreamName: 'idle', MaxResults: 1000 }))).Shards
const streams = []
for (let i = 0; i < subs; i++) {
  const out = await client.send(new SubscribeToShardCommand({ ConsumerARN: consumer.ConsumerARN, ShardId: shards[i].ShardId, StartingPosition: { Type: 'LATEST' } }))
  streams.push((async () => { try { for await (const _ of out.EventStream) {} } catch {} })())
}
const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10 }
await new Promise(r => setTimeout(r, 2000))
const before = cpu(); await new Promise(r => setTimeout(r, 10000)); const used = cpu() - before
return { shards: shards.length, used }
}

console.log(`${subs} idle SubscribeToShard subscriptions on a stream of ${shardCount} shards: server CPU over 10 s\n`)
console.log('| build | CPU ms in 10 s | cores |')
console.log('| --- | ---: | ---: |')
for (const dist of dists) {
  const workDirectory = mkdtempSync(join(tmpdir(), 'eddydb-kinesis-idle-'))
  const target = await startTarget(eddydbFromDist(dist, 'memory'), { workDirectory, instanceName: 'eddydb' })
  if (!target.available) throw new Error(`EddyDB did not start: ${target.reason}`)
  try {
    const { used } = await measure(target.port, target.pid)
    console.log(`| ${dist} | ${used} | ${(used / 10000).toFixed(2)} |`)
  } finally {
    await stopTarget(target)
    rmSync(workDirectory, { recursive: true, force: true })
  }
}
process.exit(0)
