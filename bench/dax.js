// Issue 5: the DAX figures, appended as "## DAX" to the newest bench/results/*.md.
//   1. Over HTTP: GetItem through the DAX node's DynamoDB JSON endpoint (eddydb-dax-http, every
//      read a cache hit after the warm pass) against the bare Node limit and plain EddyDB
//      (--in-memory), in interleaved rounds with wrk, as bench/run.js measures.
//   2. In process: bench/dax-micro.js in a child process (nothing else running in it).
// Usage: node bench/dax.js [--rounds N] [--duration S] [--warmup S] [--no-append]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appendSection, goalVerdict } from './lib/append-results.js';
import { callDynamo, closeConnections } from './lib/dynamo-http.js';
import { TABLE_NAME, keyOf } from './lib/items.js';
import { chooseLoadGenerator } from './lib/load-generator.js';
import { loadItems } from './lib/load-data.js';
import { cellKey, runMatrix } from './lib/measure.js';
import { installCleanupHandlers, runToCompletion, stopAllChildren } from './lib/processes.js';
import { fixed, integer, ratio, table } from './lib/report.js';
import { medianRatio, summarizeRounds } from './lib/stats.js';
import { DEFAULT_EDDYDB_MAIN, startTarget, stopTarget, targetDefinitions } from './lib/targets.js';
import { workloadNamed } from './lib/workloads.js';
import { EXECUTOR_HIT_GOAL_MICROSECONDS, SDK_HIT_GOAL_MICROSECONDS } from './dax-micro.js';

const BENCH_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));
const TARGET_IDS = ['limit', 'eddydb-memory', 'eddydb-dax-http'];
const ITEM_COUNT = 10_000;
const LOAD_TIME_LIMIT_MS = 180_000;
const WARM_READS_IN_FLIGHT = 8;
const MICRO_TIMEOUT_MS = 180_000;
const LIMIT_RATIO_GOAL = 0.9;
const log = (text) => process.stdout.write(`${text}\n`);

/** Reads every item once through the DAX endpoint so that the measured GetItems are all hits. */
async function warmCache(port) {
  let next = 0;
  const reader = async () => {
    while (next < ITEM_COUNT) {
      const reply = await callDynamo(port, 'GetItem', { TableName: TABLE_NAME, Key: keyOf(next++) });
      if (reply.Item === undefined) throw new Error('warm read found no item');
    }
  };
  await Promise.all(Array.from({ length: WARM_READS_IN_FLIGHT }, reader));
}

async function measureHttp(options) {
  const workload = workloadNamed('GetItem');
  const definitions = targetDefinitions(DEFAULT_EDDYDB_MAIN).filter((definition) => TARGET_IDS.includes(definition.id));
  const workDirectory = join(BENCH_DIRECTORY, '.work', 'dax');
  const targets = [];
  for (const definition of definitions) {
    const target = await startTarget(definition, { workDirectory, instanceName: definition.id });
    if (!target.available) throw new Error(`${definition.id} not available: ${target.reason}`);
    targets.push(target);
    if (definition.role === 'limit') continue;
    const load = await loadItems(target.port, { itemCount: ITEM_COUNT, timeLimitMs: LOAD_TIME_LIMIT_MS });
    if (!load.complete) throw new Error(`${definition.id}: loaded only ${load.itemsLoaded} items`);
    if (definition.separateLoadPort) await warmCache(target.port);
    log(`  ${definition.id}: ready`);
  }
  const loadGenerator = await chooseLoadGenerator({ preferred: 'wrk', installWrk: false, log });
  const cells = new Map();
  const { roundsCompleted } = await runMatrix({
    instances: targets.map((target) => ({
      id: target.definition.id, port: target.port, pid: target.pid, child: target.child, itemCount: ITEM_COUNT,
    })),
    workloads: [workload], rounds: options.rounds, durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds, connections: 32, workDirectory: join(workDirectory, 'scripts'),
    loadGenerator, cells, deadline: Date.now() + 10 * 60_000, log,
  });
  for (const target of targets) await stopTarget(target);
  const roundsOf = (id) => cells.get(cellKey(id, workload.name))?.rounds ?? [];
  return {
    loadGenerator: loadGenerator.name, roundsCompleted, rounds: options.rounds,
    durationSeconds: options.durationSeconds,
    summaries: Object.fromEntries(TARGET_IDS.map((id) => [id, summarizeRounds(roundsOf(id))])),
    daxOverLimit: medianRatio(roundsOf('eddydb-dax-http'), roundsOf('limit')),
    memoryOverLimit: medianRatio(roundsOf('eddydb-memory'), roundsOf('limit')),
    daxOverMemory: medianRatio(roundsOf('eddydb-dax-http'), roundsOf('eddydb-memory')),
    rawRounds: Object.fromEntries(TARGET_IDS.map((id) => [id, roundsOf(id)])),
  };
}

async function measureMicro() {
  const run = await runToCompletion(process.execPath, [join(BENCH_DIRECTORY, 'dax-micro.js'), '--json'],
    { timeoutMs: MICRO_TIMEOUT_MS, cwd: BENCH_DIRECTORY });
  const line = run.stdout.split('\n').find((candidate) => candidate.startsWith('DAXMICROJSON '));
  if (line === undefined) throw new Error(`dax-micro.js gave no figures: ${run.outputTail.slice(-400)}`);
  return JSON.parse(line.slice('DAXMICROJSON '.length));
}

const atMost = (value, goal) => (value === undefined ? undefined : value <= goal);

function renderSection(http, micro) {
  const labels = { limit: 'Node HTTP limit', 'eddydb-memory': 'EddyDB (--in-memory)', 'eddydb-dax-http': 'EddyDB DAX HTTP endpoint (cache hits)' };
  const httpRows = TARGET_IDS.map((id) => {
    const summary = http.summaries[id];
    const overLimit = id === 'limit' ? 1 : id === 'eddydb-dax-http' ? http.daxOverLimit : http.memoryOverLimit;
    return [labels[id], integer(summary.requestsPerSecond), ratio(overLimit), fixed(summary.latencyP50Milliseconds, 2),
      fixed(summary.latencyP99Milliseconds, 2), integer(summary.cpuMicrosecondsPerRequest)];
  });
  const microRows = [
    ['CachingExecutor.executeJson, GetItem hit', fixed(micro.executorHitMicroseconds, 2)],
    ['withDaxCache: client.send(GetItemCommand), hit', fixed(micro.sdkHitMicroseconds, 2)],
    ['withDaxCache: client.send(new GetItemCommand(...)), hit (command built per call)', fixed(micro.sdkHitWithNewCommandMicroseconds, 2)],
    ['CachingExecutor.executeJson, GetItem miss (in-process upstream)', fixed(micro.executorMissMicroseconds, 2)],
    ['in-process upstream GetItem alone (no cache), for the miss', fixed(micro.upstreamGetItemMicroseconds, 2)],
  ];
  const goals = [
    ['GetItem hit throughput through the DAX HTTP endpoint >= 0.9× the limit', ratio(http.daxOverLimit),
      goalVerdict(http.daxOverLimit === undefined ? undefined : http.daxOverLimit >= LIMIT_RATIO_GOAL)],
    [`CachingExecutor hit <= ${EXECUTOR_HIT_GOAL_MICROSECONDS} µs`, `${fixed(micro.executorHitMicroseconds, 2)} µs`,
      goalVerdict(atMost(micro.executorHitMicroseconds, EXECUTOR_HIT_GOAL_MICROSECONDS))],
    [`withDaxCache GetItemCommand hit <= ${SDK_HIT_GOAL_MICROSECONDS} µs`, `${fixed(micro.sdkHitMicroseconds, 2)} µs`,
      goalVerdict(atMost(micro.sdkHitMicroseconds, SDK_HIT_GOAL_MICROSECONDS))],
    ['withDaxCache hits send no request (SDK middleware stack not entered)', `${micro.sdkHitRequestsSent} sent`,
      goalVerdict(micro.sdkHitRequestsSent === undefined ? undefined : micro.sdkHitRequestsSent === 0)],
  ];
  return `## DAX

Issue 5. Made by \`node bench/dax.js\` at ${new Date().toISOString()}, after the run above (not in its rounds).
Over HTTP: three servers on 127.0.0.1 with the same ${integer(ITEM_COUNT)} items, GetItem of random keys from
${http.loadGenerator}, 32 connections, ${http.durationSeconds} s per target and round, ${http.roundsCompleted} of
${http.rounds} rounds interleaved. \`eddydb-dax-http\` is \`eddydb serve --dax --in-memory --dax-port off\` with the load
on its \`--dax-http-port\` (the DynamoDB JSON API through the cache); every item was read once through it
before the rounds, so every measured GetItem is an item-cache hit. Server CPU includes the DAX node
(same process). ÷ limit is the median of per-round ratios.

${table(['Target', 'req/s', '× limit', 'p50 (ms)', 'p99 (ms)', 'Server CPU (µs/req)'], httpRows)}

DAX HTTP endpoint ÷ plain EddyDB GetItem: ${ratio(http.daxOverMemory)}.

In process (\`node bench/dax-micro.js\`, its own process): median over batches of the mean time per call
(sequential awaited calls; ${integer(micro.hitCalls)} hit calls, ${integer(micro.missCalls)} miss calls on distinct keys,
${integer(micro.itemCount)}-item in-memory table; the SDK hit reuses one command object unless noted).

${micro.error === undefined ? table(['Path', 'µs per call'], microRows) : `Not measured: ${micro.error}`}

${table(['Goal (issue 5; reported, not tested)', 'Measured', ''], [...goals], 1)}`;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' }, 'no-append': { type: 'boolean', default: false },
  },
});
installCleanupHandlers();
try {
  const options = { rounds: Number(values.rounds), durationSeconds: Number(values.duration), warmupSeconds: Number(values.warmup) };
  log('DAX over HTTP: limit, eddydb-memory, eddydb-dax-http on GetItem');
  const http = await measureHttp(options);
  closeConnections();
  log('DAX in process: bench/dax-micro.js');
  // A failure here must not lose the HTTP figures: the section then says what went wrong.
  const micro = await measureMicro().catch((error) => ({ error: error.message.slice(0, 300) }));
  const section = renderSection(http, micro);
  log(section);
  if (!values['no-append']) {
    log(`appended to ${appendSection(join(BENCH_DIRECTORY, 'results'), section, 'dax', { http, micro })}`);
  }
} catch (error) {
  process.stderr.write(`dax: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
  closeConnections();
}
