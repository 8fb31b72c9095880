// Issue 15: what signature verification costs. Two in-process servers, one with a credentials
// file (every request's SigV4 verified, signing keys cached) and one without (shape checks only),
// take the same GetItem and PutItem load from the AWS SDK in interleaved rounds; the report is
// the throughput ratio verified / unverified per operation (goal: >= 0.9).
// Bounded by ROUNDS x OPERATIONS_PER_ROUND requests per server and operation.
// Usage: node bench/signatures.js [--json]   (needs the build: npm run build)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { median } from './lib/stats.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src');
const ROUNDS = 6;
const OPERATIONS_PER_ROUND = 3000;
const IN_FLIGHT = 8;
const ITEM_COUNT = 500;
export const RATIO_GOAL = 0.9;

const { startServer } = await import(pathToFileURL(join(DIST, 'server.js')).href);

const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const directory = mkdtempSync(join(tmpdir(), 'eddydb-bench-signatures-'));
const credentialsFile = join(directory, 'credentials.json');
writeFileSync(credentialsFile, JSON.stringify({ keys: { [credentials.accessKeyId]: { secretAccessKey: credentials.secretAccessKey } } }));

async function start(verified) {
  const server = await startServer({
    port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', ...(verified ? { credentials: credentialsFile } : {}),
  });
  const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  await client.send(new CreateTableCommand({
    TableName: 'bench', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }));
  for (let index = 0; index < ITEM_COUNT; index++) await client.send(put(index));
  return { server, client };
}

function put(index) {
  return new PutItemCommand({ TableName: 'bench', Item: { id: { S: `item-${index % ITEM_COUNT}` }, payload: { S: 'x'.repeat(200) }, n: { N: String(index) } } });
}

function get(index) {
  return new GetItemCommand({ TableName: 'bench', Key: { id: { S: `item-${index % ITEM_COUNT}` } } });
}

/** Requests per second for `count` requests, IN_FLIGHT at a time. */
async function throughput(client, command, count) {
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < count) await client.send(command(next++));
  }));
  return count / ((performance.now() - startedAt) / 1000);
}

const targets = { verified: await start(true), unverified: await start(false) };
const results = {};
for (const [name, command] of [['GetItem', get], ['PutItem', put]]) {
  const rates = { verified: [], unverified: [] };
  for (const target of Object.values(targets)) await throughput(target.client, command, OPERATIONS_PER_ROUND / 3);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always runs on a warmer or cooler machine.
    const order = round % 2 === 0 ? ['verified', 'unverified'] : ['unverified', 'verified'];
    for (const which of order) rates[which].push(await throughput(targets[which].client, command, OPERATIONS_PER_ROUND));
  }
  const verified = median(rates.verified);
  const unverified = median(rates.unverified);
  results[name] = { verifiedPerSecond: Math.round(verified), unverifiedPerSecond: Math.round(unverified), ratio: Number((verified / unverified).toFixed(3)) };
}
for (const target of Object.values(targets)) {
  target.client.destroy();
  await target.server.close();
}

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  process.stdout.write(`Signature verification on vs off (median of ${ROUNDS} interleaved rounds of ${OPERATIONS_PER_ROUND} requests, ${IN_FLIGHT} in flight)\n`);
  for (const [name, result] of Object.entries(results)) {
    const verdict = result.ratio >= RATIO_GOAL ? 'meets' : 'misses';
    process.stdout.write(`  ${name}: ${result.verifiedPerSecond}/s verified, ${result.unverifiedPerSecond}/s unverified, ratio ${result.ratio} (${verdict} the ${RATIO_GOAL} goal)\n`);
  }
}
