// Renders one run as the Markdown results file. Every comparison is a median of per-round
// ratios (see stats.js); absolute figures are medians over the rounds.
import { cellKey } from './measure.js';
import { medianRatio, summarizeRounds } from './stats.js';

const fixed = (value, digits) => (value === undefined ? '–' : value.toFixed(digits));
const ratio = (value) => (value === undefined ? '–' : `${value.toFixed(2)}×`);
const integer = (value) => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));
const mebibytes = (bytes) => (bytes === undefined ? '–' : (bytes / 2 ** 20).toFixed(0));

/** A Markdown table; textColumns counts the leading left-aligned columns, the rest are numbers. */
function table(header, rows, textColumns = 1) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, index) => (index < textColumns ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((row) => `| ${row.map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`),
  ].join('\n');
}

function settingsSection(run) {
  const { settings } = run;
  return `# EddyDB benchmark: ${run.startedAt.slice(0, 10)} (${run.mode} run)

Made by \`npm run bench${run.mode === 'quick' ? ' -- --quick' : ''}\` (bench/run.js) from ${run.startedAt} to ${run.finishedAt}.
Each target gets ${settings.connections} keep-alive connections from ${settings.loadGenerator} for
${settings.durationSeconds} s per workload and round; ${settings.roundsCompleted} of ${settings.rounds} round(s) ran, targets
interleaved within each round${settings.warmupSeconds > 0 ? `, after a ${settings.warmupSeconds} s warm-up of every pair` : ', without warm-up'}.
The table holds ${integer(settings.itemCount)} items of about 400 bytes (${integer(settings.itemCount / 10)} partitions × 10),
the same seeded items on every target. Figures are medians over rounds; ratios are medians of
per-round ratios, so they compare servers measured under the same conditions. bench/README.md
explains every column.`;
}

function machineSection(run) {
  const notes = run.machine;
  return `## Machine

${table(['What', 'Value'], [
    ['CPU', notes.cpu], ['Memory', `${notes.memoryGibibytes} GiB`], ['Kernel', notes.kernel],
    ['Node', notes.node], ['Java', notes.java], ['Python', notes.python],
    ['Load generator', notes.loadGenerator], ['Load average at start', notes.loadAverageAtStart],
  ], 2)}

The load generator and the server under test share the same cores (2 on the reference machine)
on loopback, so every figure includes the generator's own CPU use competing with the server's;
the absolute numbers are lower than on a dedicated client, and only the ratios carry over.`;
}

function targetsSection(run) {
  const rows = run.targets.map((target) => [
    `${target.label} (\`${target.id}\`)`, target.version,
    target.available ? 'ran' : `**not available**: ${target.reason}`,
    fixed(target.startSeconds, 1),
    target.load === undefined ? '–' : `${integer(target.load.itemsPerSecond)}${target.load.complete ? '' : ' (incomplete)'}`,
    mebibytes(target.peakResidentBytes),
  ]);
  return `## Targets\n\n${table(['Target', 'Version', 'Status', 'Start (s)', 'Load (items/s)', 'Peak RSS (MiB)'], rows, 3)}`;
}

function workloadSection(run, workloadName) {
  const limitRounds = run.cells.get(cellKey('limit', workloadName))?.rounds ?? [];
  const rows = run.targets.filter((target) => target.available).map((target) => {
    const cell = run.cells.get(cellKey(target.id, workloadName));
    if (cell === undefined) return [target.label, '–', '–', '–', '–', '–', '–'];
    const summary = summarizeRounds(cell.rounds);
    if (summary.roundsRun === 0) {
      return [target.label, cell.failure ?? 'not measured', '–', '–', '–', '–', '–'];
    }
    const failed = summary.failedFraction > 0 ? `${(100 * summary.failedFraction).toFixed(2)} %` : '0';
    const throughput = summary.requestsPerSecond === 0
      ? `0 (none completed in ${run.settings.durationSeconds} s)` : integer(summary.requestsPerSecond);
    return [target.label, throughput,
      target.id === 'limit' ? '1.00×' : ratio(medianRatio(cell.rounds, limitRounds)),
      fixed(summary.latencyP50Milliseconds, 2), fixed(summary.latencyP99Milliseconds, 2),
      integer(summary.cpuMicrosecondsPerRequest), failed + (cell.failure ? ` (${cell.failure})` : '')];
  });
  return `### ${workloadName}\n\n${table(
    ['Target', 'req/s', '× limit', 'p50 (ms)', 'p99 (ms)', 'Server CPU (µs/req)', 'Failed'], rows)}`;
}

function peerSection(run) {
  const eddydbTargets = run.targets.filter((target) => target.role === 'eddydb' && target.available);
  if (eddydbTargets.length === 0) {
    return `## EddyDB against each peer\n\nEddyDB did not run in this run (see Targets), so there are no EddyDB ratios yet.`;
  }
  const others = run.targets.filter((target) => target.role !== 'eddydb' && target.available);
  const rows = [];
  for (const eddydb of eddydbTargets) {
    for (const workloadName of run.workloadNames) {
      const mine = run.cells.get(cellKey(eddydb.id, workloadName))?.rounds ?? [];
      rows.push([`${eddydb.label}: ${workloadName}`, ...others.map((other) =>
        ratio(medianRatio(mine, run.cells.get(cellKey(other.id, workloadName))?.rounds ?? [])))]);
    }
  }
  return `## EddyDB against each peer

Throughput of EddyDB divided by the column's (median of per-round ratios; above 1 means EddyDB
served more requests per second).

${table(['EddyDB: workload', ...others.map((other) => `÷ ${other.label}`)], rows)}`;
}

function goalsSection(run) {
  if (run.goals.length === 0) return '## Goals\n\nNo EddyDB target ran, so no goal could be checked.';
  const rows = run.goals.map((goal) => [goal.target, goal.goal, goal.measured,
    goal.met === undefined ? 'not measured' : goal.met ? 'met' : '**missed**']);
  return `## Goals (from issues 3 and 16; reported, not tested)\n\n${table(['Target', 'Goal', 'Measured', ''], rows, 2)}`;
}

export { table, integer, fixed, ratio, mebibytes };

/** The whole results file. Scale and profile sections are rendered by report-extra.js. */
export function renderReport(run, extraSections) {
  return [
    settingsSection(run), machineSection(run), targetsSection(run),
    `## Throughput and latency per workload`,
    ...run.workloadNames.map((workloadName) => workloadSection(run, workloadName)),
    peerSection(run), goalsSection(run), ...extraSections,
  ].join('\n\n') + '\n';
}
