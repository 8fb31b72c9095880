// Issue 16: memory under a long mixed load. Starts `eddydb serve` (on disk, or --in-memory),
// loads 10,000 items, then runs wrk in 10-second slices that cycle through GetItem, PutItem,
// Query-10, UpdateItem+condition and BatchWriteItem-25 (32 connections), printing the server's
// RSS and peak RSS (VmHWM, Linux /proc) after each slice. Flat RSS over the run is the goal.
// Figures only, never pass/fail. Usage: npm run build && node bench/soak.js [--seconds 600] [--in-memory]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadItems } from './lib/load-data.js';
import { freePort } from './lib/net.js';
import { runWrk } from './lib/wrk.js';
import { workloadNamed } from './lib/workloads.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '600' }, 'in-memory': { type: 'boolean', default: false } } });
const seconds = Number(values.seconds);
const main = fileURLToPath(new URL('../dist/bundle/main.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'eddydb-soak-'));
const port = await freePort();
const storage = values['in-memory'] ? ['--in-memory'] : ['--data-dir', join(scratch, 'data')];
const server = spawn(process.execPath, [main, 'serve', '--port', String(port), ...storage], { stdio: ['ignore', 'ignore', 'pipe'] });
await new Promise((resolve) => server.stderr.on('data', (chunk) => { if (String(chunk).includes('listening')) resolve(); }));

function memory() {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const mebibytes = (field) => (Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]) / 1024).toFixed(0);
  return `RSS ${mebibytes('VmRSS')} MiB, peak ${mebibytes('VmHWM')} MiB`;
}

const itemCount = 10_000;
await loadItems(port, { itemCount, timeLimitMs: 180_000 });
console.log(`loaded ${itemCount} items: ${memory()}`);
const scripts = join(scratch, 'scripts');
mkdirSync(scripts, { recursive: true });
const workloads = ['GetItem', 'PutItem', 'Query-10', 'UpdateItem+condition', 'BatchWriteItem-25'];
for (let elapsed = 0, slice = 0; elapsed < seconds; elapsed += 10, slice++) {
  const workload = workloadNamed(workloads[slice % workloads.length]);
  const result = await runWrk({ port, workload, itemCount, durationSeconds: 10, connections: 32, workDirectory: scripts });
  const rate = Math.round(result.requestsPerSecond ?? result.requests / 10);
  console.log(`${String(elapsed + 10).padStart(4)} s  ${workload.name.padEnd(22)} ${String(rate).padStart(6)} req/s  ${memory()}`);
}
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
rmSync(scratch, { recursive: true, force: true });
