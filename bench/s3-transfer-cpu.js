// Issue 12: what one export and one import cost, per item, old build against new in one run.
// A table of --items items of about 400 B (`pk`, a number, 340 bytes of padding) is loaded by
// ImportTable from a generated gzip file (fast, so runs stay short on a shared machine), PITR is
// turned on, then one full DYNAMODB_JSON export to a file:// bucket and one import of its data
// files into a new table are timed: wall clock, the process's CPU time (main thread and libuv's
// zlib threads) per item, and the main thread's event-loop busy time per item. The server runs in
// this process on disk (SQLite). With --dist, the build to load (e.g. an old commit's dist/);
// --profile DIR writes a .cpuprofile of each job there (the inspector's sampling inflates the
// loop's utilization, which the export's pacing reads: profiled exports run paced and slow).
// Figures are printed, never pass/fail: the machine is shared and noisy.
// Usage: npm run build && node bench/s3-transfer-cpu.js [--items N] [--dist DIR] [--profile DIR]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  DescribeExportCommand, DescribeImportCommand, DynamoDBClient, ExportTableToPointInTimeCommand, ImportTableCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';

const { values } = parseArgs({ options: { items: { type: 'string', default: '200000' }, dist: { type: 'string' }, profile: { type: 'string' } } });
const dist = resolve(values.dist ?? new URL('../dist', import.meta.url).pathname);
const { startServer } = await import(pathToFileURL(join(dist, 'src/server.js')).href);
const itemCount = Number(values.items);
const profileDir = values.profile;
const source = mkdtempSync(join(tmpdir(), 'eddydb-bench-cpu-source-'));
const bucket = mkdtempSync(join(tmpdir(), 'eddydb-bench-cpu-bucket-'));
const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-bench-cpu-data-'));
const padding = 'x'.repeat(340);
const lines = [];
for (let index = 0; index < itemCount; index++) lines.push(`{"Item":{"pk":{"S":"item-${index}"},"n":{"N":"${index}"},"pad":{"S":"${padding}"}}}\n`);
mkdirSync(join(source, 'in'));
writeFileSync(join(source, 'in', 'items.json.gz'), gzipSync(lines.join('')));
lines.length = 0;

const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' });
const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const session = new Session();
session.connect();

async function waitFor(describe, statusOf) {
  for (;;) {
    const job = await describe();
    if (statusOf(job) !== 'IN_PROGRESS') return job;
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Runs `job` (which resolves to its item count) and prints what it cost. */
async function measured(name, job) {
  if (profileDir) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  const items = await job();
  const ms = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpu);
  const loopUsed = performance.eventLoopUtilization(loop);
  if (profileDir) writeFileSync(join(profileDir, `${name}.cpuprofile`), JSON.stringify((await session.post('Profiler.stop')).profile));
  const cpuMicrosPerItem = (cpuUsed.user + cpuUsed.system) / items;
  console.log(`${name}: ${items} items, ${(ms / 1000).toFixed(2)} s, ${Math.round(items / ms * 1000)} items/s, `
    + `process CPU ${cpuMicrosPerItem.toFixed(1)} us/item, loop busy ${(loopUsed.active * 1000 / items).toFixed(1)} us/item`);
}

async function importTable(name, bucketUrl, prefix) {
  const { ImportTableDescription: started } = await client.send(new ImportTableCommand({
    S3BucketSource: { S3Bucket: bucketUrl, S3KeyPrefix: prefix }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
    TableCreationParameters: {
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
  }));
  const done = await waitFor(async () => (await client.send(new DescribeImportCommand({ ImportArn: started.ImportArn }))).ImportTableDescription, (job) => job.ImportStatus);
  if (done.ImportStatus !== 'COMPLETED') throw new Error(`import failed: ${done.FailureMessage}`);
  return done.ImportedItemCount;
}

try {
  await importTable('bench', pathToFileURL(source).href, 'in/');
  await client.send(new UpdateContinuousBackupsCommand({ TableName: 'bench', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  let exportId;
  await measured('export', async () => {
    const { ExportDescription: started } = await client.send(new ExportTableToPointInTimeCommand({
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/bench', S3Bucket: pathToFileURL(bucket).href,
    }));
    const done = await waitFor(async () => (await client.send(new DescribeExportCommand({ ExportArn: started.ExportArn }))).ExportDescription, (job) => job.ExportStatus);
    if (done.ExportStatus !== 'COMPLETED') throw new Error(`export failed: ${done.FailureMessage}`);
    exportId = started.ExportArn.split('/export/')[1];
    return done.ItemCount;
  });
  await measured('import', () => importTable('bench-copy', pathToFileURL(bucket).href, `AWSDynamoDB/${exportId}/data/`));
} finally {
  session.disconnect();
  client.destroy();
  await server.close();
  for (const directory of [source, bucket, dataDir]) rmSync(directory, { recursive: true, force: true });
}
