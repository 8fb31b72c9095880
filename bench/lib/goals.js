// The goals for EddyDB, checked against a run's figures. These are targets to report
// on, never pass/fail tests: a missed goal is shown, with the profile of where the time went.
import { medianRatio, summarizeRounds } from './stats.js';
import { cellKey } from './measure.js';

const P99_GOAL_MILLISECONDS = 5;
const SCALE_LATENCY_GROWTH_MAX = 1.3;
const START_GOAL_SECONDS = 0.3;
const PEAK_RSS_GOAL_MEBIBYTES = 150;

const THROUGHPUT_GOALS = [
  { workload: 'GetItem', against: 'limit', atLeast: 0.75 },
  { workload: 'GetItem', against: 'dynalite-memory', atLeast: 3 },
  { workload: 'PutItem', against: 'limit', atLeast: 0.6 },
  { workload: 'Query-10', against: 'limit', atLeast: 0.5 },
  { workload: 'Query-10', against: 'dynalite-memory', atLeast: 5 },
];

/**
 * @param {{ cells: Map, eddydbIds: string[], workloadNames: string[], scale?: object,
 *   targets?: Array<{ id: string, startSeconds?: number, peakResidentBytes?: number }> }} run
 * @returns {Array<{ target: string, goal: string, measured: string, met: boolean | undefined }>}
 */
export function evaluateGoals(run) {
  const results = [];
  const roundsOf = (id, workload) => run.cells.get(cellKey(id, workload))?.rounds ?? [];
  const format = (value, suffix) => (value === undefined ? 'not measured' : `${value.toFixed(2)}${suffix}`);
  for (const eddydbId of run.eddydbIds) {
    for (const goal of THROUGHPUT_GOALS) {
      const ratio = medianRatio(roundsOf(eddydbId, goal.workload), roundsOf(goal.against, goal.workload));
      results.push({
        target: eddydbId, goal: `${goal.workload} >= ${goal.atLeast}x ${goal.against}`,
        measured: format(ratio, 'x'), met: ratio === undefined ? undefined : ratio >= goal.atLeast,
      });
    }
    const worstP99 = Math.max(...run.workloadNames.map((workload) =>
      summarizeRounds(roundsOf(eddydbId, workload)).latencyP99Milliseconds ?? -Infinity));
    const measuredP99 = Number.isFinite(worstP99) ? worstP99 : undefined;
    results.push({
      target: eddydbId, goal: `p99 <= ${P99_GOAL_MILLISECONDS} ms on every workload (worst shown)`,
      measured: format(measuredP99, ' ms'),
      met: measuredP99 === undefined ? undefined : measuredP99 <= P99_GOAL_MILLISECONDS,
    });
    const localRatios = run.workloadNames.map((workload) =>
      medianRatio(roundsOf(eddydbId, workload), roundsOf('dynamodb-local', workload)));
    const slowest = Math.min(...localRatios.filter((ratio) => ratio !== undefined));
    const measuredLocal = Number.isFinite(slowest) ? slowest : undefined;
    results.push({
      target: eddydbId, goal: 'ahead of DynamoDB Local on every workload (smallest ratio shown)',
      measured: format(measuredLocal, 'x'), met: measuredLocal === undefined ? undefined : measuredLocal > 1,
    });
    const target = run.targets?.find((candidate) => candidate.id === eddydbId);
    const startSeconds = target?.startSeconds;
    results.push({
      target: eddydbId, goal: `start to first answer <= ${START_GOAL_SECONDS} s`,
      measured: format(startSeconds, ' s'), met: startSeconds === undefined ? undefined : startSeconds <= START_GOAL_SECONDS,
    });
    const peakMebibytes = target?.peakResidentBytes === undefined ? undefined : target.peakResidentBytes / 2 ** 20;
    results.push({
      target: eddydbId, goal: `peak RSS over the run (10,000 items loaded) <= ${PEAK_RSS_GOAL_MEBIBYTES} MiB`,
      measured: peakMebibytes === undefined ? 'not measured' : `${Math.round(peakMebibytes)} MiB`,
      met: peakMebibytes === undefined ? undefined : peakMebibytes <= PEAK_RSS_GOAL_MEBIBYTES,
    });
  }
  return results.concat(scaleGoals(run.scale));
}

/** GetItem and Query latency at the largest size within 1.3x of the smallest. */
function scaleGoals(scale) {
  if (scale === undefined || scale.sizes.length < 2) return [];
  const smallest = scale.sizes[0];
  const largest = scale.sizes[scale.sizes.length - 1];
  return scale.workloadNames.map((workload) => {
    const growth = medianRatio(
      scale.cells.get(cellKey(scale.instanceIdOf(largest), workload))?.rounds ?? [],
      scale.cells.get(cellKey(scale.instanceIdOf(smallest), workload))?.rounds ?? [],
      'latencyP50Milliseconds');
    return {
      target: scale.targetId,
      goal: `${workload} p50 latency at ${largest} items <= ${SCALE_LATENCY_GROWTH_MAX}x at ${smallest}`,
      measured: growth === undefined ? 'not measured' : `${growth.toFixed(2)}x`,
      met: growth === undefined ? undefined : growth <= SCALE_LATENCY_GROWTH_MAX,
    };
  });
}
