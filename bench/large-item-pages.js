// Paging through a partition of large items: a Query page stops at 1 MB, three items of 390 KB,
// and what it reads beyond that is wasted. Starts EddyDB --in-memory (one process per build
// given), puts --items items of about 390 KB into one partition, and pages through it twice with
// Query, reporting the milliseconds of every page and the total. Figures only, never pass/fail.
// Usage: npm run build && node bench/large-item-pages.js [--items 60] [--dist DIR [--dist DIR]]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { callDynamo } from './lib/dynamo-http.js';
import { installCleanupHandlers } from './lib/processes.js';
import { eddydbFromDist, startTarget, stopTarget } from './lib/targets.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '60' },
    dist: { type: 'string', multiple: true },
  },
});
const itemCount = Number(values.items);
const dists = (values.dist ?? [fileURLToPath(new URL('../dist', import.meta.url))]).map((dist) => resolve(dist));
const TABLE = 'large_item_pages';
const ITEM_TEXT_BYTES = 390_000;

installCleanupHandlers();

async function pageThrough(port) {
  const times = [];
  let items = 0;
  let start;
  do {
    const started = process.hrtime.bigint();
    const page = await callDynamo(port, 'Query', {
      TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ExclusiveStartKey: start,
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    items += page.Items.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, times };
}

async function measureBuild(dist) {
  const workDirectory = mkdtempSync(join(tmpdir(), 'eddydb-large-pages-'));
  const target = await startTarget(eddydbFromDist(dist, 'memory'), { workDirectory, instanceName: 'eddydb' });
  if (!target.available) throw new Error(`EddyDB did not start: ${target.reason}`);
  try {
    await callDynamo(target.port, 'CreateTable', {
      TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    });
    for (let index = 0; index < itemCount; index++) {
      const text = String.fromCharCode(97 + (index % 26)).repeat(ITEM_TEXT_BYTES);
      await callDynamo(target.port, 'PutItem', { TableName: TABLE, Item: { pk: { S: 'p' }, sk: { N: String(index) }, d: { S: text } } });
    }
    return [await pageThrough(target.port), await pageThrough(target.port)];
  } finally {
    await stopTarget(target);
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

console.log(`Query pages through one partition of ${itemCount} items of about 390 KB (ms per page)\n`);
for (const dist of dists) {
  const rounds = await measureBuild(dist);
  console.log(`### ${dist}\n`);
  console.log('| round | items | pages | first page | other pages (median) | total |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  rounds.forEach(({ items, times }, round) => {
    const rest = times.slice(1).sort((a, b) => a - b);
    const median = rest.length ? rest[Math.floor(rest.length / 2)] : 0;
    const total = times.reduce((sum, ms) => sum + ms, 0);
    console.log(`| ${round + 1} | ${items} | ${times.length} | ${times[0].toFixed(0)} | ${median.toFixed(0)} | ${total.toFixed(0)} |`);
  });
  console.log('');
}
process.exit(0);
