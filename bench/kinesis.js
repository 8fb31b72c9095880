// Issue 14: Kinesis throughput and the table destination's latency, against an in-process EddyDB
// built in dist/ (run `npx tsc -p tsconfig.json` first). Prints a Markdown section.
//   1. PutRecords: --batches batches of 500 records of 100 bytes over 4 shards, records/s.
//   2. GetRecords: every record read back shard by shard with Limit 10000, records/s.
//   3. Table write → Kinesis record: --puts sequential PutItems on a table with a destination,
//      each timed from its reply to its record arriving on a SubscribeToShard subscription
//      (HTTP/2 push): p50, p99. Goal p50 ≤ 5 ms on loopback.
// Usage: node bench/kinesis.js [--batches N] [--puts N] [--storage sqlite|memory|postgres] [--http 2|1]
// (--http 1: the Kinesis client over HTTP/1.1 instead of the SDK's default h2c.)
// (postgres: a throwaway cluster, test/helpers/postgres.ts; build dist/ with the tests.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordsCommand,
  RegisterStreamConsumerCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import { CreateTableCommand, DynamoDBClient, EnableKinesisStreamingDestinationCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startServer } from '../dist/src/server.js';
import { startPostgres } from '../dist/test/helpers/postgres.js';

const { values } = parseArgs({ options: {
  batches: { type: 'string', default: '40' }, puts: { type: 'string', default: '300' }, storage: { type: 'string', default: 'sqlite' },
  http: { type: 'string', default: '2' },
} });
const batches = Number(values.batches);
const puts = Number(values.puts);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-bench-kinesis-'));
const cluster = values.storage === 'postgres' ? await startPostgres() : undefined;
const storage = values.storage === 'memory' ? { inMemory: true }
  : cluster ? { storageUrl: await cluster.createDatabase('bench_kinesis') } : { dataDir };
const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'warn', ...storage });
const settings = { endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 };
const kinesis = new KinesisClient(settings);
// PutRecords and GetRecords go over the protocol asked for; SubscribeToShard needs HTTP/2.
const throughputClient = values.http === '1' ? new KinesisClient({ ...settings, requestHandler: new NodeHttpHandler() }) : kinesis;
const dynamodb = new DynamoDBClient(settings);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

try {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'bench', ShardCount: 4 }));
  const payload = Buffer.alloc(100, 120);
  let started = performance.now();
  for (let batch = 0; batch < batches; batch++) {
    const Records = Array.from({ length: 500 }, (_, index) => ({ PartitionKey: `k${batch}-${index}`, Data: payload }));
    await throughputClient.send(new PutRecordsCommand({ StreamName: 'bench', Records }));
  }
  const putSeconds = (performance.now() - started) / 1000;
  const written = batches * 500;

  started = performance.now();
  let read = 0;
  for (const shard of (await kinesis.send(new ListShardsCommand({ StreamName: 'bench' }))).Shards) {
    let { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'bench', ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    for (;;) {
      const page = await throughputClient.send(new GetRecordsCommand({ ShardIterator, Limit: 10000 }));
      read += page.Records.length;
      ShardIterator = page.NextShardIterator;
      if (page.MillisBehindLatest === 0) break;
    }
  }
  const getSeconds = (performance.now() - started) / 1000;

  await kinesis.send(new CreateStreamCommand({ StreamName: 'changes', ShardCount: 1 }));
  await dynamodb.send(new CreateTableCommand({
    TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }));
  const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/changes`;
  await dynamodb.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: streamArn }));
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'bench' }));
  const subscription = await kinesis.send(new SubscribeToShardCommand({
    ConsumerARN: Consumer.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' },
  }));
  const arrivals = new Map();
  const waiters = new Map();
  void (async () => {
    for await (const event of subscription.EventStream) {
      const at = performance.now();
      for (const record of event.SubscribeToShardEvent?.Records ?? []) {
        const key = JSON.parse(Buffer.from(record.Data).toString('utf8')).dynamodb.Keys.pk.S;
        arrivals.set(key, at);
        waiters.get(key)?.();
      }
    }
  })().catch(() => {});
  const latencies = [];
  for (let index = 0; index < puts; index++) {
    const key = `order-${index}`;
    const arrived = new Promise((resolve) => waiters.set(key, resolve));
    await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: key }, n: { N: String(index) } } }));
    const replied = performance.now();
    if (!arrivals.has(key)) await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (arrivals.has(key)) latencies.push(Math.max(0, arrivals.get(key) - replied));
  }
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 0.5);
  process.stdout.write([
    `## Kinesis (${values.storage}, HTTP/${values.http}, ${new Date().toISOString().slice(0, 10)})`, '',
    '| Measure | Result |', '| --- | --- |',
    `| PutRecords, 500 × 100 B per call, 4 shards | ${Math.round(written / putSeconds)} records/s (${written} records) |`,
    `| GetRecords, Limit 10000 | ${Math.round(read / getSeconds)} records/s (${read} records) |`,
    `| Table write → record on SubscribeToShard, p50 | ${p50?.toFixed(2)} ms (goal ≤ 5 ms: ${p50 <= 5 ? 'met' : 'missed'}) |`,
    `| Table write → record on SubscribeToShard, p99 | ${percentile(latencies, 0.99)?.toFixed(2)} ms (${latencies.length}/${puts} arrived) |`,
    '',
  ].join('\n') + '\n');
} finally {
  kinesis.destroy();
  throughputClient.destroy();
  dynamodb.destroy();
  await server.close();
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
