// Issue 12: export and import speed, and what an export costs concurrent reads and writes.
//   1. Export: a table of N items of about 400 B (PITR on) exported to a local directory (the
//      file:// bucket, so S3's own speed does not count), DYNAMODB_JSON and ION: items per second.
//   2. Import: the DYNAMODB_JSON export's data files imported into a new table: items per second.
//   3. Interference: GetItem+PutItem pairs per second from one client, without and with a full
//      export running (ratio; the goal is at most 10% slower). The pairs "during" are those
//      completed while the export was IN_PROGRESS (at most --busy-seconds), so a short export does
//      not dilute the figure.
// The server runs in this process, on disk (SQLite in a temporary data directory) unless
// --in-memory. --server names another build's dist/src/server.js, to compare old and new code
// in the same run on a shared machine.
// Figures are printed, never pass/fail: the machine is shared and noisy.
// Usage: npm run build && node bench/s3-transfer.js [--items N] [--pairs N] [--rounds N] [--busy-seconds S]
//        [--in-memory] [--server PATH]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BatchWriteItemCommand, CreateTableCommand, DescribeExportCommand, DescribeImportCommand, DynamoDBClient,
  ExportTableToPointInTimeCommand, GetItemCommand, ImportTableCommand, PutItemCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' }, pairs: { type: 'string', default: '2000' },
    'in-memory': { type: 'boolean', default: false }, server: { type: 'string' },
    'busy-seconds': { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' },
  },
});
const serverModule = values.server ? pathToFileURL(resolve(values.server)).href : new URL('../dist/src/server.js', import.meta.url).href;
const { startServer } = await import(serverModule);
const itemCount = Number(values.items);
const pairCount = Number(values.pairs);
const log = (text) => process.stdout.write(`${text}\n`);
const padding = 'x'.repeat(340);

/** Polls until the job ends: every 20 ms to time it closely, or every `pollMs`. */
async function waitFor(describe, statusOf, pollMs = 20) {
  for (;;) {
    const job = await describe();
    if (statusOf(job) !== 'IN_PROGRESS') return job;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function loadTable(client, name) {
  await client.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await client.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const batches = [];
  for (let start = 0; start < itemCount; start += 25) {
    const requests = [];
    for (let index = start; index < Math.min(itemCount, start + 25); index++) {
      requests.push({ PutRequest: { Item: { pk: { S: `item-${index}` }, n: { N: String(index) }, pad: { S: padding } } } });
    }
    batches.push(client.send(new BatchWriteItemCommand({ RequestItems: { [name]: requests } })));
    if (batches.length === 8) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);
}

async function exportTo(client, arn, bucket, format, pollMs) {
  const started = Date.now();
  const { ExportDescription: description } = await client.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: bucket, ExportFormat: format }));
  const done = await waitFor(async () => (await client.send(new DescribeExportCommand({ ExportArn: description.ExportArn }))).ExportDescription, (job) => job.ExportStatus, pollMs);
  if (done.ExportStatus !== 'COMPLETED') throw new Error(`export failed: ${done.FailureMessage}`);
  return { done, seconds: (Date.now() - started) / 1000 };
}

/** GetItem+PutItem pairs per second, `count` of them or fewer: the pairs done until `until()` says stop. */
async function pairsPerSecond(client, name, count, until = () => false) {
  const started = Date.now();
  let done = 0;
  while (done < count && !until()) {
    await client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: `item-${done % itemCount}` } } }));
    await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: `extra-${done}` }, pad: { S: padding } } }));
    done++;
  }
  return { rate: done / ((Date.now() - started) / 1000), done };
}

const directory = mkdtempSync(join(tmpdir(), 'eddydb-bench-s3-'));
const bucket = pathToFileURL(directory).href;
const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-bench-s3-data-'));
const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: values['in-memory'], dataDir, logLevel: 'silent' });
const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
try {
  log(`loading ${itemCount} items of about 400 B ...`);
  await loadTable(client, 'bench');
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/bench`;
  const rows = [];
  let jsonExport;
  for (const format of ['DYNAMODB_JSON', 'ION']) {
    const { done, seconds } = await exportTo(client, arn, bucket, format);
    if (format === 'DYNAMODB_JSON') jsonExport = done;
    rows.push([`export ${format}`, done.ItemCount, seconds, done.ItemCount / seconds]);
  }
  const importStarted = Date.now();
  const id = jsonExport.ExportArn.split('/export/')[1];
  const { ImportTableDescription: started } = await client.send(new ImportTableCommand({
    S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: `AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
    TableCreationParameters: {
      TableName: 'bench-copy', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
  }));
  const imported = await waitFor(async () => (await client.send(new DescribeImportCommand({ ImportArn: started.ImportArn }))).ImportTableDescription, (job) => job.ImportStatus);
  const importSeconds = (Date.now() - importStarted) / 1000;
  rows.push(['import DYNAMODB_JSON (gzip)', imported.ImportedItemCount, importSeconds, imported.ImportedItemCount / importSeconds]);
  log('\n| Job | Items | Seconds | Items/s |\n| --- | ---: | ---: | ---: |');
  for (const [job, items, seconds, rate] of rows) log(`| ${job} | ${items} | ${seconds.toFixed(2)} | ${Math.round(rate)} |`);

  // Interference, in --rounds rounds of quiet, busy, quiet (the machine's speed drifts, so each
  // busy stretch is compared with the quiet ones on either side of it).
  // The import just wrote a million rows: SQLite's checkpointer thread copies them from the WAL
  // into the database file for some seconds, which would slow the first round's pairs whatever
  // the export does. Let it finish first.
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  await pairsPerSecond(client, 'bench', pairCount); // warm-up: the first GetItem and PutItem paths
  const busyMs = Number(values['busy-seconds']) * 1000;
  log('\n| Round | Pairs/s before | Pairs/s during an export | Pairs/s after | Ratio | Export took (s) |\n| --- | ---: | ---: | ---: | ---: | ---: |');
  const ratios = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const before = await pairsPerSecond(client, 'bench', pairCount);
    let exported = false;
    // Polled every 500 ms, as a client waiting for its export would: fifty DescribeExport calls a
    // second from this process would be load of the benchmark's own, not the export's.
    const exporting = exportTo(client, arn, bucket, 'DYNAMODB_JSON', 500).finally(() => { exported = true; });
    // Pairs while the export runs, for at most --busy-seconds (an export paced by requests is slow).
    const busyUntilMs = Date.now() + busyMs;
    const busy = await pairsPerSecond(client, 'bench', pairCount * 100, () => exported || Date.now() > busyUntilMs);
    const { seconds } = await exporting;
    const after = await pairsPerSecond(client, 'bench', pairCount);
    const ratio = busy.rate / ((before.rate + after.rate) / 2);
    ratios.push(ratio);
    log(`| ${round} | ${Math.round(before.rate)} | ${Math.round(busy.rate)} | ${Math.round(after.rate)} | ${ratio.toFixed(2)} | ${seconds.toFixed(2)} |`);
  }
  ratios.sort((a, b) => a - b);
  log(`\nMedian ratio of GetItem+PutItem pairs/s during an export to quiet: ${ratios[Math.floor(ratios.length / 2)].toFixed(2)} (goal ≥ 0.90)`);
} finally {
  client.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
