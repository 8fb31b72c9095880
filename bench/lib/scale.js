// The scale runs: one EddyDB per table size (10k, 100k, 1M items by default), all started at once
// (each suspended while another is measured) and measured in interleaved rounds on GetItem and Query, so the growth of latency with the
// table size is a same-run ratio. The load rate of each size is reported too.
import { checkWorkload } from './check-workloads.js';
import { loadItems } from './load-data.js';
import { cellKey, runMatrix } from './measure.js';
import { join } from 'node:path';
import { startTarget, stopTarget } from './targets.js';
import { SCALE_WORKLOAD_NAMES, workloadNamed } from './workloads.js';

const SCALE_LOAD_TIME_LIMIT_MS = 300_000;

/** Starts and loads one instance per size; sizes that fail are left out with their reason. */
async function startSizes(definition, context, workloads) {
  const { options, log } = context;
  const instances = [];
  const loads = {};
  const cells = new Map();
  const failures = [];
  for (const size of options.scaleSizes) {
    const instanceName = `${definition.id}-${size}`;
    const target = await startTarget(definition, { workDirectory: options.workDirectory, instanceName });
    if (!target.available) {
      failures.push(`${size} items: ${target.reason}`);
      continue;
    }
    log(`  ${instanceName}: loading ${size} items`);
    try {
      loads[size] = await loadItems(target.port, { itemCount: size, timeLimitMs: SCALE_LOAD_TIME_LIMIT_MS, log });
    } catch (error) {
      failures.push(`${size} items: loading failed: ${error.message.slice(0, 200)}`);
      await stopTarget(target);
      continue;
    }
    log(`  ${instanceName}: ${Math.round(loads[size].itemsPerSecond)} items/s`);
    const instanceId = `${definition.id}@${size}`;
    for (const workload of workloads) {
      const failure = await checkWorkload(target.port, workload, loads[size].itemsLoaded);
      if (failure !== undefined) cells.set(cellKey(instanceId, workload.name), { failure, rounds: [] });
    }
    instances.push({
      id: instanceId, port: target.port, pid: target.pid, child: target.child,
      itemCount: loads[size].itemsLoaded, target,
    });
  }
  return { instances, loads, cells, failures };
}

/**
 * @returns {Promise<object | undefined>} undefined when no scale run was asked for
 */
export async function runScale(context) {
  const { options, log } = context;
  if (options.scaleSizes.length === 0) return undefined;
  const base = {
    targetId: options.scaleTargetId, sizes: options.scaleSizes, workloadNames: SCALE_WORKLOAD_NAMES,
    instanceIdOf: (size) => `${options.scaleTargetId}@${size}`, cells: new Map(), loads: {},
    roundsCompleted: 0,
  };
  const definition = context.definitions.find((candidate) => candidate.id === options.scaleTargetId);
  if (definition === undefined) return { ...base, available: false, reason: 'unknown target' };
  if (Date.now() > context.deadline) return { ...base, available: false, reason: 'the time limit was reached' };
  log(`scale runs on ${definition.id} at ${options.scaleSizes.join(', ')} items`);
  const workloads = SCALE_WORKLOAD_NAMES.map(workloadNamed);
  const started = await startSizes(definition, context, workloads);
  if (started.instances.length === 0) {
    return { ...base, available: false, reason: started.failures.join('; ') || 'nothing started' };
  }
  const { roundsCompleted } = await runMatrix({
    instances: started.instances, workloads, rounds: options.rounds,
    durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds,
    connections: options.connections, workDirectory: join(options.workDirectory, 'scripts'),
    loadGenerator: context.loadGenerator, cells: started.cells, deadline: context.deadline + 5 * 60_000,
    log,
  });
  for (const instance of started.instances) await stopTarget(instance.target);
  return {
    ...base, available: true, cells: started.cells, loads: started.loads, roundsCompleted,
    failures: started.failures,
  };
}
