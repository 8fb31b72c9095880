// Writes into one growing item collection: a table with a local secondary index against the same
// table without one. Each write to a table with local indexes keeps its collection under the
// 10 GB cap, and should cost the same whether the collection holds a hundred items or ten
// thousand (a scale probe once saw a put take 55 ms in a collection of 8,800 items of 4 KB, and
// bulk loads slow down as they went, when each write summed its collection). Starts EddyDB on a
// temporary data directory (SQLite, one process per build given), fills one partition of each
// table with BatchWriteItems of 25 items of --item-bytes, and reports the median milliseconds of
// a batch in each stretch of the load, and the ratio of the two tables'. Figures only, never
// pass/fail.
// Usage: npm run build && node bench/item-collection-writes.js [--items 10000] [--item-bytes 4000]
//        [--dist DIR [--dist DIR]]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { callDynamo } from './lib/dynamo-http.js';
import { installCleanupHandlers } from './lib/processes.js';
import { median } from './lib/stats.js';
import { eddydbFromDist, startTarget, stopTarget } from './lib/targets.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    'item-bytes': { type: 'string', default: '4000' },
    dist: { type: 'string', multiple: true },
  },
});
const itemCount = Number(values.items);
const itemBytes = Number(values['item-bytes']);
const dists = (values.dist ?? [fileURLToPath(new URL('../dist', import.meta.url))]).map((dist) => resolve(dist));
const BATCH = 25;
const STRETCHES = 5;

installCleanupHandlers();

const table = (name, withLocalIndex) => ({
  TableName: name, BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
    ...(withLocalIndex ? [{ AttributeName: 'rank', AttributeType: 'N' }] : []),
  ],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  ...(withLocalIndex ? {
    LocalSecondaryIndexes: [{
      IndexName: 'by_rank', Projection: { ProjectionType: 'KEYS_ONLY' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }],
    }],
  } : {}),
});

/** Milliseconds of each batch of the load into one partition of `name`. */
async function load(port, name) {
  const payload = 'x'.repeat(itemBytes);
  const times = [];
  for (let start = 0; start < itemCount; start += BATCH) {
    const requests = Array.from({ length: BATCH }, (_, offset) => ({
      PutRequest: { Item: { pk: { S: 'one' }, sk: { S: String(start + offset).padStart(8, '0') }, rank: { N: String(start + offset) }, d: { S: payload } } },
    }));
    const started = process.hrtime.bigint();
    const reply = await callDynamo(port, 'BatchWriteItem', { RequestItems: { [name]: requests } });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (Object.keys(reply.UnprocessedItems ?? {}).length > 0) throw new Error('unprocessed items');
  }
  return times;
}

async function measureBuild(dist) {
  const workDirectory = mkdtempSync(join(tmpdir(), 'eddydb-collections-'));
  const target = await startTarget(eddydbFromDist(dist, 'disk'), { workDirectory, instanceName: 'eddydb' });
  if (!target.available) throw new Error(`EddyDB did not start: ${target.reason}`);
  try {
    await callDynamo(target.port, 'CreateTable', table('plain', false));
    await callDynamo(target.port, 'CreateTable', table('with_lsi', true));
    const plain = await load(target.port, 'plain');
    const local = await load(target.port, 'with_lsi');
    const perStretch = Math.ceil(plain.length / STRETCHES);
    const rows = [];
    for (let stretch = 0; stretch < STRETCHES; stretch++) {
      const slice = (times) => times.slice(stretch * perStretch, (stretch + 1) * perStretch);
      const items = Math.min((stretch + 1) * perStretch * BATCH, itemCount);
      rows.push([items, median(slice(plain)), median(slice(local))]);
    }
    return rows;
  } finally {
    await stopTarget(target);
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

console.log(`BatchWriteItem of ${BATCH} items of ${itemBytes} bytes into one partition, ${itemCount} items in all (median ms per batch)\n`);
for (const dist of dists) {
  const rows = await measureBuild(dist);
  console.log(`### ${dist}\n`);
  console.log('| items in the collection (up to) | without LSI | with LSI | with ÷ without |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const [items, plain, local] of rows) console.log(`| ${items} | ${plain.toFixed(1)} | ${local.toFixed(1)} | ${(local / plain).toFixed(2)}× |`);
  console.log('');
}
process.exit(0);
