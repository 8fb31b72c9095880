// Runs the measurement matrix: rounds x workloads x targets, with the targets interleaved inside
// each round (A B C A B C ...) so that slow drifts of the shared machine hit every target alike.
// Each run records throughput and latency from the load generator and the server's own CPU time
// from /proc.
import { spawnSync } from 'node:child_process';
import { cpuMicroseconds } from './proc-stats.js';
import { sleep } from './net.js';
import { isRunning, pauseChild, resumeChild } from './processes.js';
import { referenceBesideSubject } from './stats.js';

/**
 * @typedef {{ id: string, port: number, pid: number, itemCount: number,
 *   child: import('node:child_process').ChildProcess }} Instance
 * @typedef {Map<string, { failure?: string, rounds: Array<import('./stats.js').RoundSample | undefined> }>} Cells
 */

export const cellKey = (instanceId, workloadName) => `${instanceId}|${workloadName}`;

const SETTLE_WINDOW_MS = 250;
const SETTLE_WINDOWS_MAX = 40;
const IDLE_CPU_SHARE = 0.05;

/**
 * Waits (at most SETTLE_WINDOWS_MAX windows) until the server stops using CPU. A slow server can
 * still be working through requests queued before the load generator stopped; that work would
 * otherwise land in its own next run. Returns false if it was still busy at the end.
 */
async function settle(pid) {
  for (let window = 0; window < SETTLE_WINDOWS_MAX; window++) {
    const before = cpuMicroseconds(pid);
    await sleep(SETTLE_WINDOW_MS);
    if (cpuMicroseconds(pid) - before <= IDLE_CPU_SHARE * SETTLE_WINDOW_MS * 1000) return true;
  }
  return false;
}

/**
 * Lets only the measured target run: every other one is suspended (SIGSTOP) for the run. A
 * server that has not settled goes on working through its queue: moto, given 32 connections of
 * TransactWriteItems at over 2 s of CPU each, has more than a minute of work queued when its run
 * ends, and did it through other targets' runs on the same two cores. Suspended, such a server
 * finishes that work in its own next run.
 */
function isolate(measured, instances) {
  for (const instance of instances) {
    if (instance !== measured) pauseChild(instance.child);
  }
  resumeChild(measured.child);
}

/**
 * Writes out the dirty pages that earlier runs (of any target) left in the page cache. Their
 * writeback would otherwise fall into this run, and a target that syncs (EddyDB's WAL
 * checkpoints, LevelDB) would wait behind another target's data: with 3 GB being written beside
 * it, one of EddyDB's commits took 473 ms and BatchWriteItem-25's p99 went from 43 ms (a quiet
 * disk) to 330 ms.
 */
function flushDirtyPages() {
  spawnSync('sync', { stdio: 'ignore' });
}

async function measureOnce(instance, workload, durationSeconds, context) {
  flushDirtyPages();
  const cpuBefore = cpuMicroseconds(instance.pid);
  const result = await context.loadGenerator.run({
    port: instance.port, workload, itemCount: instance.itemCount, durationSeconds,
    connections: context.connections, workDirectory: context.workDirectory,
  });
  const cpuSpent = cpuMicroseconds(instance.pid) - cpuBefore;
  if (!(await settle(instance.pid))) {
    context.log(`  ${instance.id} still busy ${SETTLE_WINDOWS_MAX * SETTLE_WINDOW_MS / 1000} s after its run`);
  }
  return {
    requests: result.requests,
    requestsPerSecond: result.requests / result.seconds,
    failedRequests: result.failedRequests,
    // With no request completed there is no latency to report (wrk would say 0).
    latencyP50Milliseconds: result.requests > 0 ? result.latencyP50Milliseconds : undefined,
    latencyP99Milliseconds: result.requests > 0 ? result.latencyP99Milliseconds : undefined,
    cpuMicrosecondsPerRequest: result.requests > 0 ? cpuSpent / result.requests : undefined,
  };
}

/**
 * @param {{ instances: Instance[], workloads: import('./workloads.js').Workload[], rounds: number,
 *   durationSeconds: number, warmupSeconds: number, connections: number, workDirectory: string,
 *   loadGenerator: { run: Function }, cells: Cells, deadline: number, log: (text: string) => void }} context
 *   cells holds a failure for pairs that must not be measured; results are added to it.
 * @returns {Promise<{ roundsCompleted: number }>}
 */
export async function runMatrix(context) {
  const { instances, workloads, cells } = context;
  for (const instance of instances) {
    for (const workload of workloads) {
      const key = cellKey(instance.id, workload.name);
      if (!cells.has(key)) cells.set(key, { rounds: [] });
    }
  }
  const runnable = (instance, workload) => cells.get(cellKey(instance.id, workload.name)).failure === undefined;
  try {
    return await runRounds(context, runnable);
  } finally {
    for (const instance of instances) resumeChild(instance.child);
  }
}

async function runRounds(context, runnable) {
  const { instances, workloads, cells, log } = context;
  if (context.warmupSeconds > 0) {
    log(`warming up (${context.warmupSeconds} s per target and workload)`);
    for (const workload of workloads) {
      for (const instance of instances.filter((candidate) => runnable(candidate, workload))) {
        await runGuarded(instance, workload, context.warmupSeconds, context);
      }
    }
  }
  let roundsCompleted = 0;
  for (let round = 0; round < context.rounds; round++) {
    if (Date.now() > context.deadline) {
      log(`time limit reached: stopping after ${roundsCompleted} round(s)`);
      break;
    }
    log(`round ${round + 1} of ${context.rounds}`);
    for (const workload of workloads) {
      for (const instance of referenceBesideSubject(instances, round)) {
        if (!runnable(instance, workload)) continue;
        const sample = await runGuarded(instance, workload, context.durationSeconds, context);
        cells.get(cellKey(instance.id, workload.name)).rounds[round] = sample;
      }
    }
    roundsCompleted++;
  }
  return { roundsCompleted };
}

/** One run; a server that died or a load generator that failed marks the pair as failed. */
async function runGuarded(instance, workload, durationSeconds, context) {
  const cell = context.cells.get(cellKey(instance.id, workload.name));
  if (!isRunning(instance.child)) {
    cell.failure = 'server exited during the run';
    return undefined;
  }
  try {
    isolate(instance, context.instances);
    const sample = await measureOnce(instance, workload, durationSeconds, context);
    context.log(`  ${instance.id.padEnd(24)} ${workload.name.padEnd(22)} `
      + `${Math.round(sample.requestsPerSecond).toString().padStart(7)} req/s  `
      + `p99 ${sample.latencyP99Milliseconds?.toFixed(2) ?? '–'} ms`
      + (sample.failedRequests > 0 ? `  (${sample.failedRequests} failed)` : ''));
    return sample;
  } catch (error) {
    cell.failure = `load run failed: ${error.message}`;
    context.log(`  ${instance.id} ${workload.name}: ${cell.failure}`);
    return undefined;
  }
}
