// The scale and CPU-profile sections of the results file.
import { cellKey } from './measure.js';
import { medianRatio, summarizeRounds } from './stats.js';
import { fixed, integer, ratio, table } from './report.js';

export function scaleSection(scale) {
  if (scale === undefined) return '## Scale\n\nThe scale runs were skipped (--no-scale).';
  if (!scale.available) return `## Scale\n\nThe scale runs on \`${scale.targetId}\` did not run: ${scale.reason}`;
  const smallest = scale.sizes[0];
  const header = ['Items', 'Load (items/s)'];
  for (const workload of scale.workloadNames) {
    header.push(`${workload} req/s`, 'p50 (ms)', 'p99 (ms)', `p50 ÷ ${integer(smallest)}`);
  }
  const rows = scale.sizes.map((size) => {
    const load = scale.loads[size];
    const row = [integer(size), load === undefined ? 'not started'
      : `${integer(load.itemsPerSecond)}${load.complete ? '' : ` (only ${integer(load.itemsLoaded)} loaded)`}`];
    for (const workload of scale.workloadNames) {
      const rounds = scale.cells.get(cellKey(scale.instanceIdOf(size), workload))?.rounds ?? [];
      const summary = summarizeRounds(rounds);
      const baseline = scale.cells.get(cellKey(scale.instanceIdOf(smallest), workload))?.rounds ?? [];
      row.push(integer(summary.requestsPerSecond), fixed(summary.latencyP50Milliseconds, 2),
        fixed(summary.latencyP99Milliseconds, 2),
        ratio(medianRatio(rounds, baseline, 'latencyP50Milliseconds')));
    }
    return row;
  });
  return `## Scale: \`${scale.targetId}\` at ${scale.sizes.map(integer).join(', ')} items

One server per size, all started at once (each suspended while another is measured) and measured in interleaved rounds
(${scale.roundsCompleted} round(s)), so the growth of latency with the table size is a same-run ratio.

${table(header, rows)}`;
}

export function profileSection(profiles) {
  if (profiles.length === 0) {
    return '## Where the time goes\n\nNo CPU profile was taken (no EddyDB target ran, or --no-profile).';
  }
  const parts = profiles.map((profile) => {
    const title = `### \`${profile.targetId}\`, ${profile.workload}`;
    if (profile.error !== undefined) return `${title}\n\nNo profile: ${profile.error}`;
    const { summary } = profile;
    return `${title}

${integer(profile.requests)} requests in ${profile.seconds} s under the same load; the server was busy in
${fixed(summary.busyPercent, 0)} % of the samples. Self time as a share of busy time:

${table(['File', '% busy'], summary.files.map((file) => [`\`${file.key}\``, fixed(file.percentOfBusy, 1)]))}

${table(['Function', '% busy'], summary.functions.map((entry) => [`\`${entry.key}\``, fixed(entry.percentOfBusy, 1)]))}`;
  });
  return `## Where the time goes (CPU profiles)

Taken with \`node --cpu-prof\` on a separate instance after the measured rounds (the profiler
slows the server, so these runs are not in the tables above).

${parts.join('\n\n')}`;
}
