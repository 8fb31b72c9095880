// The statistics every figure rests on: medians and medians of per-round ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, medianRatio, referenceBesideSubject, roundOrder, summarizeRounds } from '../lib/stats.js';

test('median of odd and even counts ignores missing values', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([undefined, 5, NaN]), 5);
  assert.equal(median([]), undefined);
});

test('medianRatio pairs rounds and skips rounds where either side did not run', () => {
  const sample = (requestsPerSecond) => ({ requestsPerSecond });
  const eddydb = [sample(100), sample(300), undefined, sample(50)];
  const peer = [sample(50), sample(100), sample(10), sample(50)];
  // Ratios of rounds 0, 1 and 3: 2, 3, 1 -> median 2.
  assert.equal(medianRatio(eddydb, peer), 2);
  assert.equal(medianRatio([], peer), undefined);
});

test('roundOrder rotates the targets each round so that each goes first in turn', () => {
  assert.deepEqual(roundOrder(['a', 'b', 'c'], 0), ['a', 'b', 'c']);
  assert.deepEqual(roundOrder(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
  assert.deepEqual(roundOrder(['a', 'b', 'c'], 3), ['a', 'b', 'c']);
});

test('summarizeRounds reports the failed share over all rounds', () => {
  const summary = summarizeRounds([
    { requests: 90, requestsPerSecond: 90, failedRequests: 10, latencyP50Milliseconds: 1,
      latencyP99Milliseconds: 2, cpuMicrosecondsPerRequest: 30 },
    undefined,
  ]);
  assert.equal(summary.roundsRun, 1);
  assert.equal(summary.requestsPerSecond, 90);
  assert.ok(Math.abs(summary.failedFraction - 10 / 90) < 1e-9);
});

test('referenceBesideSubject rotates the others and runs the reference next to the subject', () => {
  const items = ['limit', 'eddydb', 'a', 'b'];
  assert.deepEqual(referenceBesideSubject(items, 0), ['limit', 'eddydb', 'a', 'b']);
  assert.deepEqual(referenceBesideSubject(items, 1), ['a', 'b', 'eddydb', 'limit']);
  assert.deepEqual(referenceBesideSubject(items, 2), ['b', 'limit', 'eddydb', 'a']);
  assert.deepEqual(referenceBesideSubject(items, 3), ['eddydb', 'limit', 'a', 'b']);
  for (let round = 0; round < 6; round++) {
    const order = referenceBesideSubject(items, round);
    assert.deepEqual([...order].sort(), [...items].sort());
    assert.equal(Math.abs(order.indexOf('limit') - order.indexOf('eddydb')), 1);
  }
  assert.deepEqual(referenceBesideSubject(['limit', 'eddydb'], 1), ['eddydb', 'limit']);
});
