// Creates the benchmark table on a target and fills it with the seeded items through
// BatchWriteItem over loopback HTTP, a few batches in flight at once. Loading is bounded in time:
// a server too slow to take the data set within the limit is reported with what it did load.
import { callDynamo } from './dynamo-http.js';
import { TABLE_DEFINITION, TABLE_NAME, itemAt } from './items.js';
import { sleep } from './net.js';
import { BATCH_WRITE_SIZE } from './workloads.js';

const BATCHES_IN_FLIGHT = 4;
const TABLE_ACTIVE_TIMEOUT_MS = 60_000;
const UNPROCESSED_RETRIES_MAX = 20;

async function createTable(port) {
  try {
    await callDynamo(port, 'CreateTable', TABLE_DEFINITION);
  } catch (error) {
    if (!String(error.body ?? '').includes('ResourceInUseException')) throw error;
  }
  const startedAt = performance.now();
  while (performance.now() - startedAt < TABLE_ACTIVE_TIMEOUT_MS) {
    const { Table } = await callDynamo(port, 'DescribeTable', { TableName: TABLE_NAME });
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(100);
  }
  throw new Error(`table not ACTIVE within ${TABLE_ACTIVE_TIMEOUT_MS / 1000} s`);
}

/** Writes one batch, resending UnprocessedItems (with a short backoff) a bounded number of times. */
async function writeBatch(port, items) {
  let requests = items.map((item) => ({ PutRequest: { Item: item } }));
  for (let attempt = 0; attempt <= UNPROCESSED_RETRIES_MAX; attempt++) {
    const reply = await callDynamo(port, 'BatchWriteItem', { RequestItems: { [TABLE_NAME]: requests } });
    requests = reply.UnprocessedItems?.[TABLE_NAME] ?? [];
    if (requests.length === 0) return;
    await sleep(Math.min(1000, 10 * 2 ** attempt));
  }
  throw new Error(`items still unprocessed after ${UNPROCESSED_RETRIES_MAX} retries`);
}

/**
 * Loads items [firstIndex, firstIndex + itemCount) into a fresh table.
 * @returns {Promise<{ itemsLoaded: number, seconds: number, itemsPerSecond: number, complete: boolean }>}
 */
export async function loadItems(port, { itemCount, firstIndex = 0, timeLimitMs, log }) {
  await createTable(port);
  const startedAt = performance.now();
  const batchCount = Math.ceil(itemCount / BATCH_WRITE_SIZE);
  let nextBatch = 0;
  let itemsLoaded = 0;
  let lastReport = startedAt;
  const worker = async () => {
    while (nextBatch < batchCount && performance.now() - startedAt < timeLimitMs) {
      const batch = nextBatch++;
      const start = firstIndex + batch * BATCH_WRITE_SIZE;
      const end = Math.min(firstIndex + itemCount, start + BATCH_WRITE_SIZE);
      const items = [];
      for (let index = start; index < end; index++) items.push(itemAt(index));
      await writeBatch(port, items);
      itemsLoaded += items.length;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        log?.(`  loaded ${itemsLoaded} of ${itemCount} items`);
      }
    }
  };
  await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, worker));
  const seconds = (performance.now() - startedAt) / 1000;
  return { itemsLoaded, seconds, itemsPerSecond: itemsLoaded / seconds, complete: itemsLoaded === itemCount };
}
