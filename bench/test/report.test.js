// The results file: goals, ratios and profile summaries from synthetic runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateGoals } from '../lib/goals.js';
import { summarizeCpuProfile } from '../lib/profile.js';
import { renderReport } from '../lib/report.js';

const sample = (requestsPerSecond, latencyP99Milliseconds = 1) => ({
  requests: requestsPerSecond, requestsPerSecond, failedRequests: 0, latencyP50Milliseconds: 0.5,
  latencyP99Milliseconds, cpuMicrosecondsPerRequest: 20,
});

function syntheticRun() {
  const cells = new Map([
    ['limit|GetItem', { rounds: [sample(1000), sample(1000)] }],
    ['eddydb-memory|GetItem', { rounds: [sample(800), sample(700)] }],
    ['dynalite-memory|GetItem', { rounds: [sample(200), sample(350)] }],
    ['dynamodb-local|GetItem', { failure: 'not supported: a | b', rounds: [] }],
  ]);
  return {
    mode: 'quick', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z',
    settings: { rounds: 2, roundsCompleted: 2, durationSeconds: 1, warmupSeconds: 0, connections: 32,
      itemCount: 10_000, loadGenerator: 'wrk' },
    machine: { cpu: 'test', memoryGibibytes: '1', kernel: 'k', node: 'v20', java: 'j', python: 'p',
      loadGenerator: 'wrk', loadAverageAtStart: '0' },
    targets: [
      { id: 'limit', label: 'limit', role: 'limit', version: 'v', available: true },
      { id: 'eddydb-memory', label: 'EddyDB mem', role: 'eddydb', version: 'v', available: true },
      { id: 'eddydb-disk', label: 'EddyDB disk', role: 'eddydb', version: 'v', available: false, reason: 'x | y' },
      { id: 'dynalite-memory', label: 'dynalite', role: 'peer', version: 'v', available: true },
      { id: 'dynamodb-local', label: 'DDB Local', role: 'peer', version: 'v', available: true },
    ],
    workloadNames: ['GetItem'],
    cells,
  };
}

test('goals use medians of per-round ratios', () => {
  const run = syntheticRun();
  const goals = evaluateGoals({ cells: run.cells, eddydbIds: ['eddydb-memory'], workloadNames: ['GetItem'] });
  const againstLimit = goals.find((goal) => goal.goal === 'GetItem >= 0.75x limit');
  assert.equal(againstLimit.measured, '0.75x'); // rounds: 0.8 and 0.7
  assert.equal(againstLimit.met, true);
  const againstDynalite = goals.find((goal) => goal.goal === 'GetItem >= 3x dynalite-memory');
  assert.equal(againstDynalite.measured, '3.00x'); // rounds: 4 and 2
  const local = goals.find((goal) => goal.goal.startsWith('ahead of DynamoDB Local'));
  assert.equal(local.met, undefined, 'not measured when DynamoDB Local did not run the workload');
});

test('start and peak RSS goals come from the EddyDB target, and are not measured without it', () => {
  const run = syntheticRun();
  run.targets[1] = { ...run.targets[1], startSeconds: 0.25, peakResidentBytes: 160 * 2 ** 20 };
  const goals = evaluateGoals({ cells: run.cells, eddydbIds: ['eddydb-memory'], workloadNames: ['GetItem'], targets: run.targets });
  const start = goals.find((goal) => goal.goal === 'start to first answer <= 0.3 s');
  assert.deepEqual([start.measured, start.met], ['0.25 s', true]);
  const rss = goals.find((goal) => goal.goal.startsWith('peak RSS'));
  assert.deepEqual([rss.measured, rss.met], ['160 MiB', false]);
  const withoutTargets = evaluateGoals({ cells: run.cells, eddydbIds: ['eddydb-memory'], workloadNames: ['GetItem'] });
  assert.equal(withoutTargets.find((goal) => goal.goal.startsWith('peak RSS')).met, undefined);
});

test('the report escapes table separators and shows unavailable targets', () => {
  const run = syntheticRun();
  run.goals = [];
  const markdown = renderReport(run, []);
  assert.match(markdown, /\*\*not available\*\*: x \\\| y/);
  assert.match(markdown, /not supported: a \\\| b/);
  assert.match(markdown, /\| EddyDB mem: GetItem \| 0\.75× \| 3\.00× \| – \|/);
});

test('summarizeCpuProfile ranks self time and leaves idle time out', () => {
  const frame = (id, functionName, url) => ({ id, callFrame: { functionName, url, lineNumber: 9 } });
  const profile = {
    nodes: [frame(1, '(root)', ''), frame(2, '(idle)', ''), frame(3, 'getItem', 'file:///repo/src/a.js'),
      frame(4, 'encode', 'file:///repo/src/b.js')],
    samples: [2, 3, 3, 4, 2],
    timeDeltas: [100, 300, 300, 200, 100],
  };
  const summary = summarizeCpuProfile(profile, { rootDirectory: '/repo', top: 5 });
  assert.deepEqual(summary.functions.map((entry) => entry.key), ['getItem src/a.js:10', 'encode src/b.js:10']);
  assert.equal(Math.round(summary.functions[0].percentOfBusy), 75);
  assert.equal(Math.round(summary.busyPercent), 80);
});
