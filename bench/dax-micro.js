// Issue 5, in process: what one cache hit costs with no HTTP in the way.
//   - CachingExecutor.executeJson: a GetItem hit of the DAX node's executor (what every DAX
//     protocol runs through), in front of EddyDB's in-process upstream.
//   - withDaxCache: a GetItemCommand hit through DynamoDBClient.send with the in-process SDK cache,
//     and how many requests those hits sent through the SDK's middleware stack (0: no round trip).
//     This is where the hit's time is judged; test/dax/middleware.test.ts only checks that a hit
//     sends nothing, which no machine load can change.
//   - the miss path: executeJson GetItem of keys not cached yet (each read once), against the same
//     in-process upstream, beside the upstream's own GetItem without a cache.
// Each figure is the median over batches of the mean time per call of a batch of sequential,
// awaited calls (a single call is too short for the clock). Bounded by BATCHES x BATCH_SIZE calls.
// Usage: node bench/dax-micro.js [--json]   (needs the build: npm run build)
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TABLE_DEFINITION, TABLE_NAME, itemAt, keyOf } from './lib/items.js';
import { median } from './lib/stats.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src');
const ITEM_COUNT = 20_000;
const BATCH_WRITE_SIZE = 25;
const HIT_BATCHES = 200;
const HIT_BATCH_SIZE = 500;
const WARMUP_CALLS = 20_000;
const MISS_BATCHES = 80;
const MISS_BATCH_SIZE = 100;
const MISS_WARMUP_KEYS = 2_000;
export const EXECUTOR_HIT_GOAL_MICROSECONDS = 20;
export const SDK_HIT_GOAL_MICROSECONDS = 2;

const importDist = (path) => import(pathToFileURL(join(DIST, path)).href);

/** Median over batches of the mean µs per call; call(index) is awaited one after the other. */
async function microsecondsPerCall(call, batches, batchSize, firstIndex = 0) {
  const perCall = [];
  let index = firstIndex;
  for (let batch = 0; batch < batches; batch++) {
    const startedAt = performance.now();
    for (let step = 0; step < batchSize; step++) await call(index++);
    perCall.push(((performance.now() - startedAt) * 1000) / batchSize);
  }
  return median(perCall);
}

async function warmUp(call, count) {
  for (let index = 0; index < count; index++) await call(index);
}

async function loadTable(upstream) {
  await upstream.execute('CreateTable', TABLE_DEFINITION);
  for (let start = 0; start < ITEM_COUNT; start += BATCH_WRITE_SIZE) {
    const requests = [];
    for (let index = start; index < Math.min(ITEM_COUNT, start + BATCH_WRITE_SIZE); index++) {
      requests.push({ PutRequest: { Item: itemAt(index) } });
    }
    await upstream.execute('BatchWriteItem', { RequestItems: { [TABLE_NAME]: requests } });
  }
}

async function executorFigures(upstream, CachingExecutor) {
  const hitInput = { TableName: TABLE_NAME, Key: keyOf(1234) };
  const hitExecutor = new CachingExecutor({ upstream });
  const hit = () => hitExecutor.executeJson('GetItem', hitInput);
  await warmUp(hit, WARMUP_CALLS);
  const executorHit = await microsecondsPerCall(hit, HIT_BATCHES, HIT_BATCH_SIZE);
  // Misses: every key read once, so each call goes to the upstream and fills the cache.
  const missExecutor = new CachingExecutor({ upstream });
  const miss = (index) => missExecutor.executeJson('GetItem', { TableName: TABLE_NAME, Key: keyOf(index) });
  await warmUp((index) => miss(ITEM_COUNT - 1 - index), MISS_WARMUP_KEYS);
  const executorMiss = await microsecondsPerCall(miss, MISS_BATCHES, MISS_BATCH_SIZE);
  const direct = (index) => upstream.execute('GetItem', { TableName: TABLE_NAME, Key: keyOf(index) });
  const upstreamOnly = await microsecondsPerCall(direct, MISS_BATCHES, MISS_BATCH_SIZE);
  return { executorHit, executorMiss, upstreamOnly };
}

async function sdkFigures(serverUrl, withDaxCache, { DynamoDBClient, GetItemCommand }) {
  const client = new DynamoDBClient({
    endpoint: serverUrl, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'not-checked' },
  });
  const cache = withDaxCache(client);
  // Every request the SDK sends passes its middleware stack; a hit must never get that far.
  let requestsSent = 0;
  client.middlewareStack.add((next) => (args) => { requestsSent++; return next(args); }, { step: 'build' });
  try {
    const input = { TableName: TABLE_NAME, Key: keyOf(4321) };
    const command = new GetItemCommand(input);
    const first = await client.send(command); // the miss, over HTTP to the in-process server
    if (first.Item?.payload === undefined) throw new Error('withDaxCache: GetItem found no item');
    const send = () => client.send(command);
    await warmUp(send, WARMUP_CALLS);
    const sentBeforeHits = requestsSent;
    const sdkHit = await microsecondsPerCall(send, HIT_BATCHES, HIT_BATCH_SIZE);
    const sdkHitRequestsSent = requestsSent - sentBeforeHits;
    const newCommand = () => client.send(new GetItemCommand(input));
    await warmUp(newCommand, WARMUP_CALLS / 4);
    const sdkHitWithNewCommand = await microsecondsPerCall(newCommand, HIT_BATCHES / 4, HIT_BATCH_SIZE);
    return { sdkHit, sdkHitWithNewCommand, sdkHitRequestsSent, stats: cache.stats() };
  } finally {
    cache.detach();
    client.destroy();
  }
}

/** Runs every in-process measurement; the server is started on 127.0.0.1 and closed at the end. */
export async function measureDaxMicro() {
  const { startServer } = await importDist('server.js');
  const { CachingExecutor } = await importDist('dax/cache/caching-executor.js');
  const { createInProcessUpstream } = await importDist('dax/upstream/in-process.js');
  const { withDaxCache } = await importDist('dax/middleware.js');
  const sdk = await import('@aws-sdk/client-dynamodb');
  const server = await startServer({ inMemory: true, port: 0, host: '127.0.0.1', logLevel: 'silent' });
  try {
    const upstream = createInProcessUpstream({ regions: server.regions, region: 'us-east-1' });
    await loadTable(upstream);
    const executor = await executorFigures(upstream, CachingExecutor);
    const sdkCache = await sdkFigures(server.url, withDaxCache, sdk);
    return {
      itemCount: ITEM_COUNT, hitCalls: HIT_BATCHES * HIT_BATCH_SIZE, missCalls: MISS_BATCHES * MISS_BATCH_SIZE,
      executorHitMicroseconds: executor.executorHit, executorMissMicroseconds: executor.executorMiss,
      upstreamGetItemMicroseconds: executor.upstreamOnly,
      sdkHitMicroseconds: sdkCache.sdkHit, sdkHitWithNewCommandMicroseconds: sdkCache.sdkHitWithNewCommand,
      sdkHitRequestsSent: sdkCache.sdkHitRequestsSent,
    };
  } finally {
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await measureDaxMicro();
  if (process.argv.includes('--json')) {
    process.stdout.write(`DAXMICROJSON ${JSON.stringify(figures)}\n`);
  } else {
    for (const [name, value] of Object.entries(figures)) {
      process.stdout.write(`${name.padEnd(34)} ${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : value}\n`);
    }
  }
  // Writes to a pipe or terminal are synchronous on Linux; exit rather than wait on stray handles.
  process.exit(0);
}
