// Issue 16: the time from `eddydb serve` to its first answered request.
//   Each start spawns `node <tree>/dist/src/cli/main.js serve --port P --data-dir D` on a fresh
//   data directory and sends ListTables every POLL_MS until one is answered with HTTP 200; the
//   figure is the time from spawn to that answer (so it includes Node's own start, about 40 ms).
//   With several trees the starts are interleaved (A B A B ...), so that the machine's load
//   falls on each alike; the report is the median and the spread per tree. On a busy machine the
//   wall time mostly measures the wait for a core, so the CPU time the server process used up to
//   its first answer (Linux: /proc/PID/stat, in 10 ms ticks) is reported beside it.
// Figures are for comparison within a run on a shared machine, never pass/fail.
// Usage: node bench/startup.js [--runs N] [--in-memory] [TREE | ENTRY.js ...]   (default: this checkout)
//   A TREE runs what `npm start` runs: dist/bundle/main.js (scripts/bundle.mjs), or the compiled
//   dist/src/cli/main.js where there is no bundle (older commits). An ENTRY.js is run as it is,
//   e.g. dist/src/cli/main.js to compare the compiled tree with the bundle.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dynamoHeaders } from './lib/dynamo-http.js';
import { freePort, postOnce, sleep } from './lib/net.js';
import { installCleanupHandlers, isRunning, startChild, stopChild } from './lib/processes.js';

const POLL_MS = 2;
const PROBE_TIMEOUT_MS = 1000;
const READY_TIMEOUT_MS = 20_000;

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '7' },
    'in-memory': { type: 'boolean', default: false },
  },
});
const runs = Number(options.runs);
/** The script a tree's start runs (see Usage). */
function entryOf(target) {
  if (target.endsWith('.js')) return target;
  const bundle = join(target, 'dist/bundle/main.js');
  return existsSync(bundle) ? bundle : join(target, 'dist/src/cli/main.js');
}
const trees = (positionals.length > 0 ? positionals : [dirname(dirname(fileURLToPath(import.meta.url)))])
  .map((target) => entryOf(resolve(target)));
const log = (text) => process.stdout.write(`${text}\n`);

async function answers(port) {
  try {
    return (await postOnce(port, dynamoHeaders('ListTables'), '{}', PROBE_TIMEOUT_MS)).status === 200;
  } catch {
    return false;
  }
}

/** CPU milliseconds (user + system) a process has used so far; undefined where /proc is missing. */
function cpuMsOf(pid) {
  try {
    // The fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime: fields 14 and 15
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** One start of the tree's server: ms from spawn to the first answered ListTables, and its CPU ms. */
async function timeOneStart(tree) {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-bench-startup-'));
  const port = await freePort();
  const storage = options['in-memory'] ? ['--in-memory'] : ['--data-dir', dataDir];
  const startedAt = performance.now();
  const { child, output } = startChild(process.execPath,
    [tree, 'serve', '--port', String(port), '--log-level', 'warn', ...storage]);
  try {
    while (performance.now() - startedAt < READY_TIMEOUT_MS) {
      if (!isRunning(child)) throw new Error(`${tree}: exited at start: ${output.text.slice(-400)}`);
      if (await answers(port)) return { wallMs: performance.now() - startedAt, cpuMs: cpuMsOf(child.pid) };
      await sleep(POLL_MS);
    }
    throw new Error(`${tree}: no answer within ${READY_TIMEOUT_MS} ms`);
  } finally {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

installCleanupHandlers();
const starts = trees.map(() => []);
for (let round = 0; round < runs; round += 1) {
  for (const [index, tree] of trees.entries()) starts[index].push(await timeOneStart(tree));
}
/** Median, min and max of one figure over a tree's starts, as table cells. */
function summary(list, figure) {
  const sorted = list.map((start) => start[figure]).filter((ms) => ms !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return ['–', '–', '–'];
  return [quantile(sorted, 0.5), sorted[0], sorted[sorted.length - 1]].map((ms) => ms.toFixed(0));
}
log(`| Tree | Starts | Wall median (ms) | Wall min | Wall max | CPU median (ms) | CPU min | CPU max |`);
log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const [index, tree] of trees.entries()) {
  const cells = [...summary(starts[index], 'wallMs'), ...summary(starts[index], 'cpuMs')];
  log(`| ${tree} | ${starts[index].length} | ${cells.join(' | ')} |`);
}
log(`raw: ${JSON.stringify(starts.map((list) => list.map((start) => [Math.round(start.wallMs), start.cpuMs])))}`);
