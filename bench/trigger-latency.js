// Issue 4: triggers and the change log, appended as "## Triggers and the change log" to the newest
// bench/results/*.md.
//   1. Trigger latency: EddyDB (serve --in-memory --config) with a webhook function "hook" served
//      by a node:http server in this process; a table with a NEW_IMAGE stream and an event source
//      mapping (BatchSize 1, LATEST) to it. N sequential PutItems; for each, the time from the
//      PutItem reply to the webhook receiving the record with that key. Reported: p50, p99.
//   2. Write cost of the change log: PutItem throughput (wrk) on a table with a stream against the
//      same build with a table without one, two servers measured in interleaved rounds.
// Usage: node bench/trigger-latency.js [--puts N] [--rounds N] [--duration S] [--no-append]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appendSection, goalVerdict } from './lib/append-results.js';
import { AMZ_DATE, callDynamo, closeConnections } from './lib/dynamo-http.js';
import { TABLE_DEFINITION, TABLE_NAME, itemBody, seededRandom } from './lib/items.js';
import { chooseLoadGenerator } from './lib/load-generator.js';
import { loadItems } from './lib/load-data.js';
import { cellKey, runMatrix } from './lib/measure.js';
import { LOOPBACK_HOST } from './lib/net.js';
import { installCleanupHandlers, stopAllChildren } from './lib/processes.js';
import { fixed, integer, ratio, table } from './lib/report.js';
import { medianRatio, summarizeRounds } from './lib/stats.js';
import { DEFAULT_EDDYDB_MAIN, startTarget, stopTarget } from './lib/targets.js';
import { workloadNamed } from './lib/workloads.js';

const BENCH_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));
const WORK_DIRECTORY = join(BENCH_DIRECTORY, '.work', 'triggers');
const TRIGGER_TABLE = 'hooked';
const PUTS_MAX = 10_000;
const RECORD_WAIT_MS = 5_000;
const MAPPING_READY_TIMEOUT_MS = 20_000;
const THROUGHPUT_ITEM_COUNT = 10_000;
const LOAD_TIME_LIMIT_MS = 180_000;
const LATENCY_P50_GOAL_MS = 5;
const STREAM_RATIO_GOAL = 0.9;
const LAMBDA_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, '
  + 'SignedHeaders=host;x-amz-date, Signature=00';
const log = (text) => process.stdout.write(`${text}\n`);

/** The webhook "function": notes when the record of each key arrives. */
function startWebhook() {
  const waiters = new Map();
  const arrivals = new Map();
  const server = createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => {
      const arrivedAt = performance.now();
      outgoing.writeHead(200, { 'Content-Length': '0' }).end();
      let records = [];
      try {
        records = JSON.parse(Buffer.concat(chunks).toString('utf8')).Records ?? [];
      } catch {
        return;
      }
      for (const record of records) {
        const key = record?.dynamodb?.Keys?.pk?.S;
        if (typeof key !== 'string' || arrivals.has(key)) continue;
        arrivals.set(key, arrivedAt);
        waiters.get(key)?.(arrivedAt);
      }
    });
  });
  /** Resolves with the arrival time of key's record (perhaps already in), or undefined after timeoutMs. */
  const arrivalOf = (key, timeoutMs) => new Promise((resolve) => {
    if (arrivals.has(key)) return resolve(arrivals.get(key));
    const timer = setTimeout(() => { waiters.delete(key); resolve(undefined); }, timeoutMs);
    waiters.set(key, (time) => { clearTimeout(timer); waiters.delete(key); resolve(time); });
  });
  return new Promise((resolve) => {
    server.listen(0, LOOPBACK_HOST, () => resolve({ server, port: server.address().port, arrivalOf }));
  });
}

function postLambda(port, path, body) {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: LOOPBACK_HOST, port, method: 'POST', path, timeout: 10_000,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text),
        'X-Amz-Date': AMZ_DATE, Authorization: LAMBDA_AUTHORIZATION },
    }, (incoming) => {
      const chunks = [];
      incoming.on('data', (chunk) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`POST ${path}: no answer in time`)));
    outgoing.on('error', reject);
    outgoing.end(text);
  });
}

const streamedTable = (tableName) => ({
  ...TABLE_DEFINITION, TableName: tableName,
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
});

const eddydbDefinition = (id, extraArgs) => ({
  id, label: id, role: 'eddydb', isNode: true, version: () => 'EddyDB (this build)',
  command: (port) => ({ command: process.execPath, args: [DEFAULT_EDDYDB_MAIN, 'serve', '--in-memory', '--port', String(port), ...extraArgs] }),
});

/** Waits (bounded) until the table is ACTIVE and returns its LatestStreamArn. */
async function activeStreamArn(port, tableName) {
  const startedAt = performance.now();
  while (performance.now() - startedAt < MAPPING_READY_TIMEOUT_MS) {
    const { Table } = await callDynamo(port, 'DescribeTable', { TableName: tableName });
    if (Table?.TableStatus === 'ACTIVE' && Table.LatestStreamArn) return Table.LatestStreamArn;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${tableName} not ACTIVE with a stream within ${MAPPING_READY_TIMEOUT_MS / 1000} s`);
}

/** Starts the triggered server, creates the table and the mapping, waits until a probe comes through. */
async function startTriggeredServer(webhookPort) {
  rmSync(WORK_DIRECTORY, { recursive: true, force: true });
  mkdirSync(WORK_DIRECTORY, { recursive: true });
  const configPath = join(WORK_DIRECTORY, 'config.json');
  writeFileSync(configPath, JSON.stringify({ functions: { hook: { url: `http://127.0.0.1:${webhookPort}/` } } }));
  const target = await startTarget(eddydbDefinition('eddydb-triggers', ['--config', configPath]),
    { workDirectory: WORK_DIRECTORY, instanceName: 'eddydb-triggers' });
  if (!target.available) throw new Error(`EddyDB with triggers did not start: ${target.reason}`);
  await callDynamo(target.port, 'CreateTable', streamedTable(TRIGGER_TABLE));
  const streamArn = await activeStreamArn(target.port, TRIGGER_TABLE);
  const mapping = await postLambda(target.port, '/2015-03-31/event-source-mappings/', {
    FunctionName: 'hook', EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 1,
  });
  if (mapping.status !== 202 && mapping.status !== 200) {
    throw new Error(`CreateEventSourceMapping answered HTTP ${mapping.status}: ${mapping.body.slice(0, 300)}`);
  }
  return target;
}

const putItemOf = (key) => ({ TableName: TRIGGER_TABLE, Item: { pk: { S: key }, sk: { N: '0' }, ...itemBody(seededRandom(7)) } });

async function waitForMapping(port, webhook) {
  const startedAt = performance.now();
  for (let attempt = 0; performance.now() - startedAt < MAPPING_READY_TIMEOUT_MS; attempt++) {
    const key = `probe-${attempt}`;
    await callDynamo(port, 'PutItem', putItemOf(key));
    if (await webhook.arrivalOf(key, 1_000) !== undefined) return;
  }
  throw new Error(`no record reached the webhook within ${MAPPING_READY_TIMEOUT_MS / 1000} s of creating the mapping`);
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

async function measureTriggerLatency(putCount) {
  const webhook = await startWebhook();
  let target;
  try {
    target = await startTriggeredServer(webhook.port);
    await waitForMapping(target.port, webhook);
    const latencies = [];
    let lost = 0;
    let beforeReply = 0;
    for (let index = 0; index < putCount; index++) {
      const key = `k${index}`;
      // Listen before writing: the record may come in before the reply is read.
      const arrival = webhook.arrivalOf(key, RECORD_WAIT_MS);
      await callDynamo(target.port, 'PutItem', putItemOf(key));
      const repliedAt = performance.now();
      const arrivedAt = await arrival;
      if (arrivedAt === undefined) {
        lost++;
        continue;
      }
      // The record can be read before the PutItem reply is (both wait in this process's event loop).
      if (arrivedAt < repliedAt) beforeReply++;
      latencies.push(Math.max(0, arrivedAt - repliedAt));
    }
    latencies.sort((a, b) => a - b);
    return {
      puts: putCount, delivered: latencies.length, lost, arrivedBeforeReply: beforeReply,
      p50Milliseconds: percentile(latencies, 0.5), p99Milliseconds: percentile(latencies, 0.99),
      maxMilliseconds: latencies[latencies.length - 1], meanMilliseconds: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    };
  } finally {
    if (target !== undefined) await stopTarget(target);
    webhook.server.closeAllConnections();
    await new Promise((resolve) => webhook.server.close(resolve));
  }
}

/** PutItem on a streamed table against an unstreamed one, same build, interleaved rounds. */
async function measureStreamWriteCost(options) {
  const instances = [];
  const targets = [];
  for (const [id, streamed] of [['with-stream', true], ['without-stream', false]]) {
    const target = await startTarget(eddydbDefinition(id, []), { workDirectory: WORK_DIRECTORY, instanceName: id });
    if (!target.available) throw new Error(`${id} did not start: ${target.reason}`);
    targets.push(target);
    if (streamed) await callDynamo(target.port, 'CreateTable', streamedTable(TABLE_NAME));
    const load = await loadItems(target.port, { itemCount: THROUGHPUT_ITEM_COUNT, timeLimitMs: LOAD_TIME_LIMIT_MS });
    if (!load.complete) throw new Error(`${id}: loaded only ${load.itemsLoaded} items`);
    instances.push({ id, port: target.port, pid: target.pid, child: target.child, itemCount: THROUGHPUT_ITEM_COUNT });
  }
  const { Table } = await callDynamo(targets[0].port, 'DescribeTable', { TableName: TABLE_NAME });
  if (!Table?.StreamSpecification?.StreamEnabled) throw new Error('the with-stream table has no stream');
  const workload = workloadNamed('PutItem');
  const loadGenerator = await chooseLoadGenerator({ preferred: 'wrk', installWrk: false, log });
  const cells = new Map();
  const { roundsCompleted } = await runMatrix({
    instances, workloads: [workload], rounds: options.rounds, durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds, connections: 32, workDirectory: join(WORK_DIRECTORY, 'scripts'),
    loadGenerator, cells, deadline: Date.now() + 10 * 60_000, log,
  });
  for (const target of targets) await stopTarget(target);
  const roundsOf = (id) => cells.get(cellKey(id, workload.name))?.rounds ?? [];
  return {
    loadGenerator: loadGenerator.name, rounds: options.rounds, roundsCompleted, durationSeconds: options.durationSeconds,
    withStream: summarizeRounds(roundsOf('with-stream')), withoutStream: summarizeRounds(roundsOf('without-stream')),
    ratio: medianRatio(roundsOf('with-stream'), roundsOf('without-stream')),
    cpuRatio: medianRatio(roundsOf('with-stream'), roundsOf('without-stream'), 'cpuMicrosecondsPerRequest'),
    rawRounds: { withStream: roundsOf('with-stream'), withoutStream: roundsOf('without-stream') },
  };
}

function renderSection(latency, writes) {
  const summaryRow = (label, summary) => [label, integer(summary.requestsPerSecond), fixed(summary.latencyP50Milliseconds, 2),
    fixed(summary.latencyP99Milliseconds, 2), integer(summary.cpuMicrosecondsPerRequest)];
  const goals = [
    [`trigger latency p50 <= ${LATENCY_P50_GOAL_MS} ms`, `${fixed(latency.p50Milliseconds, 2)} ms`,
      goalVerdict(latency.p50Milliseconds === undefined ? undefined : latency.p50Milliseconds <= LATENCY_P50_GOAL_MS)],
    ['PutItem with a stream within 10% of without (>= 0.90×)', ratio(writes.ratio),
      goalVerdict(writes.ratio === undefined ? undefined : writes.ratio >= STREAM_RATIO_GOAL)],
  ];
  return `## Triggers and the change log

Issue 4. Made by \`node bench/trigger-latency.js\` at ${new Date().toISOString()}, after the run above (not in its rounds).

Trigger latency: \`eddydb serve --in-memory --config …\` with one function, \`hook\`, a webhook served by a
node:http server in the bench process; table \`${TRIGGER_TABLE}\` with a NEW_IMAGE stream and an event source
mapping to \`hook\` (BatchSize 1, LATEST). ${integer(latency.puts)} PutItems one after the other; for each, the time
from reading the PutItem reply to the webhook having read the record with that key (both in the bench
process, so the clock is the same; a record read before the reply counts as 0, which happened
${latency.arrivedBeforeReply} times). Records not seen within ${RECORD_WAIT_MS / 1000} s: ${latency.lost}.

${table(['Trigger latency', 'p50 (ms)', 'p99 (ms)', 'max (ms)', 'mean (ms)', 'records seen'], [[
    'PutItem reply → webhook', fixed(latency.p50Milliseconds, 2), fixed(latency.p99Milliseconds, 2),
    fixed(latency.maxMilliseconds, 2), fixed(latency.meanMilliseconds, 2), `${latency.delivered} of ${latency.puts}`]])}

Write cost of the change log: two \`eddydb serve --in-memory\` servers of this build, each with the
${integer(THROUGHPUT_ITEM_COUNT)}-item \`${TABLE_NAME}\` table, one created with a NEW_IMAGE stream (no mapping), one
without; the PutItem workload of the main run (${writes.loadGenerator}, 32 connections, ${writes.durationSeconds} s each),
${writes.roundsCompleted} of ${writes.rounds} rounds interleaved. Ratios are medians of per-round ratios.

${table(['Table', 'req/s', 'p50 (ms)', 'p99 (ms)', 'Server CPU (µs/req)'], [
    summaryRow('with a stream', writes.withStream), summaryRow('without a stream', writes.withoutStream)])}

With ÷ without: throughput ${ratio(writes.ratio)}, server CPU per request ${ratio(writes.cpuRatio)}.

${table(['Goal (issue 4; reported, not tested)', 'Measured', ''], goals, 1)}`;
}

const { values } = parseArgs({
  options: {
    puts: { type: 'string', default: '300' }, rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '3' }, warmup: { type: 'string', default: '1' },
    'no-append': { type: 'boolean', default: false },
  },
});
installCleanupHandlers();
try {
  const putCount = Math.min(PUTS_MAX, Number(values.puts));
  log(`trigger latency: ${putCount} sequential PutItems`);
  const latency = await measureTriggerLatency(putCount);
  log(`  p50 ${fixed(latency.p50Milliseconds, 2)} ms, p99 ${fixed(latency.p99Milliseconds, 2)} ms`);
  log('PutItem with and without a stream');
  const writes = await measureStreamWriteCost({
    rounds: Number(values.rounds), durationSeconds: Number(values.duration), warmupSeconds: Number(values.warmup),
  });
  const section = renderSection(latency, writes);
  log(section);
  if (!values['no-append']) {
    log(`appended to ${appendSection(join(BENCH_DIRECTORY, 'results'), section, 'triggers', { latency, writes })}`);
  }
} catch (error) {
  process.stderr.write(`trigger-latency: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
  closeConnections();
}
