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
import { sleep } from './lib/net.js';
import { installCleanupHandlers } from './lib/processes.js';
import { startTarget, stopTarget, targetDefinitions } from './lib/targets.js';
import { runWrk } from './lib/wrk.js';
import { WORKLOADS, workloadNamed } from './lib/workloads.js';

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
  ? values.workloads.split(',').map(workloadNamed)
  : WORKLOADS;

function fail(message) {
  throw new Error(message);
}

const logLines = (logPath) => readFileSync(logPath, 'latin1').split('\n');

/** The `map,Transition` lines among `lines`, as a total and a count per member name. */
function transitionsIn(lines) {
  const byName = new Map();
  let total = 0;
  for (const line of lines) {
    if (!line.startsWith('map,Transition,')) continue;
    total++;
    const name = line.split(',').at(-1);
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  return { total, byName };
}

installCleanupHandlers();
const directory = mkdtempSync(join(tmpdir(), 'eddydb-maps-'));
const logPath = join(directory, 'maps.log');
const targetId = values['in-memory'] ? 'eddydb-memory' : 'eddydb-disk';
const definition = targetDefinitions(join(values.dist, 'bundle', 'main.js')).find((candidate) => candidate.id === targetId);
const target = await startTarget(definition, {
  workDirectory: directory, instanceName: targetId,
  nodeFlags: ['--log-maps', `--logfile=${logPath}`, '--no-logfile-per-isolate'],
});
try {
  if (!target.available) fail(`${targetId} did not start: ${target.reason}`);
  const { port } = target;
  await loadItems(port, { itemCount: ITEM_COUNT, timeLimitMs: 300_000 });
  const rows = [];
  for (const workload of workloads) {
    const run = { port, workload, itemCount: ITEM_COUNT, connections: CONNECTIONS, workDirectory: directory };
    await runWrk({ ...run, durationSeconds: WARMUP_SECONDS });
    await sleep(FLUSH_WAIT_MS);
    // The last line may still be partial: counted from it on.
    const before = logLines(logPath).length - 1;
    const { requests } = await runWrk({ ...run, durationSeconds: seconds });
    await sleep(FLUSH_WAIT_MS);
    const { total, byName } = transitionsIn(logLines(logPath).slice(before));
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
  await stopTarget(target);
  rmSync(directory, { recursive: true, force: true });
}
