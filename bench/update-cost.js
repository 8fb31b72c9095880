// What one UpdateItem costs as its number of actions and the item's size grow: an update of n
// actions on an item of m attributes should cost about n + m, never n × m (one client's 4 KB
// REMOVE of 800 attributes on an item of 50,000 once held the server for a minute). Starts
// EddyDB --in-memory (one process per build given), puts an item of --attributes attributes, and
// times UpdateItems of 1, 10, 100 and 300 REMOVE or SET actions (the item put back after each),
// and ADD / DELETE of a --set-size member number set to one as large. Prints the median time of
// --repeat requests and its ratio to the one-action update's: with the cost linear, the ratio
// stays near 1 as the actions grow. Figures only, never pass/fail.
// Usage: npm run build && node bench/update-cost.js [--attributes 40000] [--set-size 10000]
//        [--repeat 3] [--dist DIR [--dist DIR]]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { callDynamo } from './lib/dynamo-http.js';
import { installCleanupHandlers } from './lib/processes.js';
import { eddydbFromDist, startTarget, stopTarget } from './lib/targets.js';
import { median } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    attributes: { type: 'string', default: '40000' },
    'set-size': { type: 'string', default: '10000' },
    repeat: { type: 'string', default: '3' },
    dist: { type: 'string', multiple: true },
  },
});
const attributes = Number(values.attributes);
const setSize = Number(values['set-size']);
const repeat = Number(values.repeat);
const dists = (values.dist ?? [fileURLToPath(new URL('../dist', import.meta.url))]).map((dist) => resolve(dist));
const TABLE = 'update_cost';
// 300 SETs of `bNNN = :v` fit the 4 KB expression limit.
const ACTION_COUNTS = [1, 10, 100, 300];

installCleanupHandlers();

const wideItem = () => {
  const item = { pk: { S: 'wide' } };
  for (let index = 0; index < attributes; index++) item[`a${index}`] = { N: String(index) };
  return item;
};

async function timed(action) {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Median milliseconds of `repeat` runs of `request`, each after `reset`. */
async function measure(port, reset, request) {
  const times = [];
  for (let run = 0; run < repeat; run++) {
    await reset();
    times.push(await timed(() => callDynamo(port, 'UpdateItem', request)));
  }
  return median(times);
}

const actionNames = (count, prefix) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

async function measureBuild(dist) {
  const workDirectory = mkdtempSync(join(tmpdir(), 'eddydb-update-cost-'));
  const target = await startTarget(eddydbFromDist(dist, 'memory'), { workDirectory, instanceName: 'eddydb' });
  if (!target.available) throw new Error(`EddyDB did not start: ${target.reason}`);
  const { port } = target;
  const rows = [];
  try {
    await callDynamo(port, 'CreateTable', {
      TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    const item = wideItem();
    const putWide = () => callDynamo(port, 'PutItem', { TableName: TABLE, Item: item });
    const key = { pk: { S: 'wide' } };
    for (const [kind, prefix, expression] of [
      ['REMOVE', 'a', (names) => `REMOVE ${names.join(', ')}`],
      ['SET', 'b', (names) => `SET ${names.map((name) => `${name} = :v`).join(', ')}`],
    ]) {
      const results = [];
      for (const count of ACTION_COUNTS) {
        const request = { TableName: TABLE, Key: key, UpdateExpression: expression(actionNames(count, prefix)) };
        if (kind === 'SET') request.ExpressionAttributeValues = { ':v': { N: '1' } };
        results.push([count, await measure(port, putWide, request)]);
      }
      for (const [count, ms] of results) rows.push([`${kind} × ${count}`, ms, ms / results[0][1]]);
    }
    const numbers = (from) => Array.from({ length: setSize }, (_, index) => String(from + index * 2));
    const setItem = { pk: { S: 'set' }, s: { NS: numbers(0) } };
    const putSet = () => callDynamo(port, 'PutItem', { TableName: TABLE, Item: setItem });
    const setKey = { pk: { S: 'set' } };
    const one = await measure(port, putSet, { TableName: TABLE, Key: setKey, UpdateExpression: 'ADD s :v', ExpressionAttributeValues: { ':v': { NS: ['1'] } } });
    rows.push(['ADD 1 member', one, 1]);
    for (const verb of ['ADD', 'DELETE']) {
      const ms = await measure(port, putSet, { TableName: TABLE, Key: setKey, UpdateExpression: `${verb} s :v`, ExpressionAttributeValues: { ':v': { NS: numbers(1) } } });
      rows.push([`${verb} ${setSize} members`, ms, ms / one]);
    }
  } finally {
    await stopTarget(target);
    rmSync(workDirectory, { recursive: true, force: true });
  }
  return rows;
}

console.log(`UpdateItem cost on an item of ${attributes} attributes (number set: ${setSize} members), median of ${repeat}\n`);
for (const dist of dists) {
  const rows = await measureBuild(dist);
  console.log(`### ${dist}\n`);
  console.log('| request | ms | ÷ one action |');
  console.log('| --- | ---: | ---: |');
  for (const [name, ms, ratio] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${ratio.toFixed(2)}× |`);
  console.log('');
}
process.exit(0);
