// Issue 16: the tail of write latency on the embedded engine. 32 writers keep transactions of 20
// item rows (about 600 B each) in flight against a SQLite file for a few seconds; prints the
// latency of transact() and the event loop's delay (p50 / p99 / p99.9 / max). A checkpoint inside
// COMMIT shows up in both: it blocks the event loop, so every request in flight waits for it.
// Figures only, never pass/fail. Compare builds with --dist: node bench/commit-tail.js --dist /other/checkout/dist
// Usage: npm run build && node bench/commit-tail.js [--seconds N] [--dist DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, dist: { type: 'string', default: 'dist' } } });
const { openSqliteEngine } = await import(pathToFileURL(resolve(values.dist, 'src/storage/sqlite/engine.js')).href);

const directory = mkdtempSync(join(tmpdir(), 'eddydb-commit-tail-'));
const engine = openSqliteEngine({ path: join(directory, 'bench.sqlite3') });
const json = JSON.stringify({ pk: { S: 'x' }, payload: { S: 'y'.repeat(560) } });
const writers = 32;
const rowsPerTransaction = 20;
const keySpace = 20_000;
const latenciesMs = [];
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
const endAt = Date.now() + Number(values.seconds) * 1000;
let next = 0;

async function writer() {
  while (Date.now() < endAt) {
    const started = process.hrtime.bigint();
    await engine.transact(async (tx) => {
      for (let row = 0; row < rowsPerTransaction; row++) {
        const key = Buffer.from(`key-${(next++) % keySpace}`);
        await tx.putItem('bench-table', key, json, json.length);
      }
    });
    latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}

loopDelay.enable();
await Promise.all(Array.from({ length: writers }, writer));
loopDelay.disable();
await engine.close();
rmSync(directory, { recursive: true, force: true });

latenciesMs.sort((a, b) => a - b);
const at = (p) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * p))].toFixed(2);
const delay = (p) => (loopDelay.percentile(p * 100) / 1e6).toFixed(2);
console.log(`${values.dist}: ${latenciesMs.length} transactions of ${rowsPerTransaction} rows in ${values.seconds} s`);
console.log(`  transact ms: p50 ${at(0.5)}  p99 ${at(0.99)}  p99.9 ${at(0.999)}  max ${latenciesMs.at(-1).toFixed(2)}`);
console.log(`  event-loop delay ms: p50 ${delay(0.5)}  p99 ${delay(0.99)}  p99.9 ${delay(0.999)}  max ${(loopDelay.max / 1e6).toFixed(2)}`);
