// V8 hidden classes (maps) made per request, per workload: a diagnostic, not a timing.
//
// An object that gets a map of its own on every request (on Node 20: `{ ...source, member }`, or
// a spread copy that then gains a member) costs about 2 µs to make and turns every later read of
// it megamorphic (bench/results/2026-12-05.md). In steady state a request should make no new
// maps. This starts `eddydb serve` with `node --log-maps`, loads the bench table, and for each
// workload counts the map transitions V8 logs while wrk runs it after a warm-up.
//
// Usage: node bench/hidden-classes.js [--in-memory] [--workloads a,b] [--seconds S] [--dist DIR]
// (--dist: another build's dist/ directory, to compare builds; default this checkout's)
// Prints a Markdown table: transitions per request, and the member names that make most of them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadItems } from './lib/load-data.js';
import { freePort, postOnce, sleep } from './lib/net.js';
import { installCleanupHandlers, startChild, stopChild } from './lib/processes.js';
import { runWrk } from './lib/wrk.js';
import { WORKLOADS } from './lib/workloads.js';

const ITEM_COUNT = 10_000;
const CONNECTIONS = 8;
const WARMUP_SECONDS = 1;
/** Log lines are flushed by V8 as it goes; this much wait lets a run's last lines land. */
const FLUSH_WAIT_MS = 300;
/** A member named in at least this share of requests is listed. */
const LISTED_SHARE = 0.25;

const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    workloads: { type: 'string' },
    seconds: { type: 'string', default: '2' },
    dist: { type: 'string', default: fileURLToPath(new URL('../dist', import.meta.url)) },
  },
});
const seconds = Number(values.seconds);
const workloads = values.workloads
  ? values.workloads.split(',').map((name) => WORKLOADS.find((workload) => workload.name === name) ?? fail(`unknown workload ${name}`))
  : WORKLOADS;

function fail(message) {
  throw new Error(message);
}

async function waitUntilAnswering(port) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const reply = await postOnce(port, {}, '', 1000).catch(() => undefined);
    if (reply !== undefined) return;
    await sleep(50);
  }
  fail(`eddydb did not answer on port ${port}`);
}

/** The `map,Transition` lines of the log from line `from` on, as a count per member name. */
function transitionsSince(logPath, from) {
  const lines = readFileSync(logPath, 'latin1').split('\n');
  const byName = new Map();
  let total = 0;
  for (const line of lines.slice(from)) {
    if (!line.startsWith('map,Transition,')) continue;
    total++;
    const name = line.split(',').at(-1);
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  return { total, byName, lineCount: lines.length };
}

installCleanupHandlers();
const directory = mkdtempSync(join(tmpdir(), 'eddydb-maps-'));
const logPath = join(directory, 'maps.log');
const port = await freePort();
const storage = values['in-memory'] ? ['--in-memory'] : ['--data-dir', join(directory, 'data')];
const server = startChild(process.execPath, [
  '--log-maps', `--logfile=${logPath}`, '--no-logfile-per-isolate',
  join(values.dist, 'bundle', 'main.js'), 'serve', '--port', String(port), ...storage,
]);
try {
  await waitUntilAnswering(port);
  await loadItems(port, { itemCount: ITEM_COUNT, timeLimitMs: 300_000 });
  const rows = [];
  for (const workload of workloads) {
    const run = { port, workload, itemCount: ITEM_COUNT, connections: CONNECTIONS, workDirectory: directory };
    await runWrk({ ...run, durationSeconds: WARMUP_SECONDS });
    await sleep(FLUSH_WAIT_MS);
    const before = transitionsSince(logPath, 0).lineCount - 1;
    const { requests } = await runWrk({ ...run, durationSeconds: seconds });
    await sleep(FLUSH_WAIT_MS);
    const { total, byName } = transitionsSince(logPath, before);
    const listed = [...byName].filter(([, count]) => count >= requests * LISTED_SHARE)
      .sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} (${(count / requests).toFixed(2)})`);
    rows.push(`| ${workload.name} | ${requests} | ${(total / requests).toFixed(2)} | ${listed.join(', ') || '–'} |`);
  }
  process.stdout.write([
    `Map transitions per request, eddydb ${values['in-memory'] ? '--in-memory' : 'on disk'}, ${CONNECTIONS} connections, ${seconds} s per workload after a ${WARMUP_SECONDS} s warm-up:`,
    '',
    '| Workload | Requests | Transitions per request | Members added most (per request) |',
    '| --- | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n'));
} finally {
  await stopChild(server.child);
  rmSync(directory, { recursive: true, force: true });
}
