// Pure summaries of the measured rounds. Timings on a shared 2-core machine are noisy, so every
// comparison is a ratio taken within one round (both servers measured minutes apart at most, in
// the same conditions), and the figure reported is the median of those per-round ratios.

/** Median of the finite values; undefined when there are none. */
export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * @typedef {{ requests: number, requestsPerSecond: number, failedRequests: number,
 *   latencyP50Milliseconds: number, latencyP99Milliseconds: number,
 *   cpuMicrosecondsPerRequest: number }} RoundSample
 */

/** Median figures of one target on one workload over the rounds it ran. */
export function summarizeRounds(/** @type {Array<RoundSample | undefined>} */ rounds) {
  const ran = rounds.filter((sample) => sample !== undefined);
  const requests = ran.reduce((sum, sample) => sum + sample.requests, 0);
  const failedRequests = ran.reduce((sum, sample) => sum + sample.failedRequests, 0);
  return {
    roundsRun: ran.length,
    requestsPerSecond: median(ran.map((sample) => sample.requestsPerSecond)),
    latencyP50Milliseconds: median(ran.map((sample) => sample.latencyP50Milliseconds)),
    latencyP99Milliseconds: median(ran.map((sample) => sample.latencyP99Milliseconds)),
    cpuMicrosecondsPerRequest: median(ran.map((sample) => sample.cpuMicrosecondsPerRequest)),
    failedFraction: requests + failedRequests === 0 ? 0 : failedRequests / Math.max(1, requests),
  };
}

/**
 * Median over rounds of numerator[round][field] / denominator[round][field], using only rounds in
 * which both ran.
 * @param {Array<RoundSample | undefined>} numerator
 * @param {Array<RoundSample | undefined>} denominator
 * @param {keyof RoundSample} field
 */
export function medianRatio(numerator, denominator, field = 'requestsPerSecond') {
  const ratios = [];
  const roundCount = Math.min(numerator.length, denominator.length);
  for (let round = 0; round < roundCount; round++) {
    const top = numerator[round]?.[field];
    const bottom = denominator[round]?.[field];
    if (top !== undefined && bottom !== undefined && bottom > 0) ratios.push(top / bottom);
  }
  return median(ratios);
}

/** The order targets are measured in within a round, rotated each round to spread order effects. */
export function roundOrder(items, round) {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * A round's order when ratios are taken against a reference (the first item) and one subject
 * matters most (the second): the others rotate as in roundOrder, and the reference runs right
 * beside the subject, before it in even rounds and after it in odd ones. On a machine whose
 * speed drifts within a round, the main ratio then compares runs seconds apart rather than up to
 * a whole round apart.
 */
export function referenceBesideSubject(items, round) {
  if (items.length < 3) return roundOrder(items, round);
  const [reference, subject] = items;
  const others = roundOrder(items.slice(1), round);
  const at = others.indexOf(subject) + (round % 2 === 0 ? 0 : 1);
  return [...others.slice(0, at), reference, ...others.slice(at)];
}
