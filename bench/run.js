// The benchmark harness: starts EddyDB, the Node HTTP limit and the peers side by side, loads the
// same items into each, measures every workload in interleaved rounds, runs EddyDB at growing
// table sizes, profiles EddyDB's hot path, and writes bench/results/YYYY-MM-DD.md.
// See bench/README.md. Usage: node bench/run.js [--quick] [--help]
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWorkload } from './lib/check-workloads.js';
import { closeConnections } from './lib/dynamo-http.js';
import { evaluateGoals } from './lib/goals.js';
import { chooseLoadGenerator } from './lib/load-generator.js';
import { loadItems } from './lib/load-data.js';
import { machineNotes } from './lib/machine.js';
import { cellKey, runMatrix } from './lib/measure.js';
import { USAGE, parseOptions } from './lib/options.js';
import { peakResidentBytes } from './lib/proc-stats.js';
import { installCleanupHandlers, stopAllChildren } from './lib/processes.js';
import { runProfiles } from './lib/profile-run.js';
import { renderReport } from './lib/report.js';
import { profileSection, scaleSection } from './lib/report-extra.js';
import { runScale } from './lib/scale.js';
import { startTarget, stopTarget, targetDefinitions } from './lib/targets.js';
import { WORKLOADS } from './lib/workloads.js';

const LOAD_TIME_LIMIT_MS = 180_000;
const log = (text) => process.stdout.write(`${text}\n`);

/**
 * Starts every selected target, one after another, then loads each in turn. One at a time, so
 * that each target's start-to-first-answer time is its own: started together, seven servers
 * shared two cores, and the table showed 0.4 s for a bare Node server and 0.6 s for EddyDB, whose
 * start alone takes 0.3 s (bench/startup.js). The whole costs a few seconds more.
 */
async function startAndLoad(definitions, options, workloads) {
  log(`starting ${definitions.map((definition) => definition.id).join(', ')}, one at a time`);
  const targets = [];
  for (const definition of definitions) {
    targets.push(await startTarget(definition, { workDirectory: options.workDirectory, instanceName: definition.id }));
  }
  const cells = new Map();
  for (const target of targets) {
    if (!target.available) {
      log(`  ${target.definition.id}: not available: ${target.reason}`);
      continue;
    }
    if (target.definition.role === 'limit') continue;
    try {
      target.load = await loadItems(target.port, {
        itemCount: options.itemCount, timeLimitMs: LOAD_TIME_LIMIT_MS, log,
      });
      log(`  ${target.definition.id}: loaded ${target.load.itemsLoaded} items at `
        + `${Math.round(target.load.itemsPerSecond)} items/s`);
    } catch (error) {
      target.available = false;
      target.reason = `loading the items failed: ${error.message.slice(0, 300)}`;
      log(`  ${target.definition.id}: ${target.reason}`);
      await stopTarget(target);
      continue;
    }
    for (const workload of workloads) {
      const failure = await checkWorkload(target.port, workload, options.itemCount);
      if (failure !== undefined) {
        cells.set(cellKey(target.definition.id, workload.name), { failure, rounds: [] });
        log(`  ${target.definition.id} ${workload.name}: ${failure}`);
      }
    }
  }
  return { targets, cells };
}

function describeTarget(target) {
  return {
    id: target.definition.id, label: target.definition.label, role: target.definition.role,
    version: target.version, available: target.available, reason: target.reason,
    startSeconds: target.startSeconds, load: target.load, peakResidentBytes: target.peakResidentBytes,
  };
}

function selectedWorkloads(options) {
  if (options.workloadNames === undefined) return WORKLOADS;
  return WORKLOADS.filter((workload) => options.workloadNames.includes(workload.name));
}

function selectedDefinitions(options) {
  const all = targetDefinitions(options.eddydbMain);
  if (options.targetIds === undefined) return all.filter((definition) => !definition.optional);
  return all.filter((definition) => options.targetIds.includes(definition.id));
}

/** results/YYYY-MM-DD.md, or -2, -3, ... so that earlier results of the same day are kept. */
function resultsPath(outDirectory, date) {
  for (let attempt = 1; attempt < 1000; attempt++) {
    const name = attempt === 1 ? date : `${date}-${attempt}`;
    if (!existsSync(join(outDirectory, `${name}.md`))) return join(outDirectory, name);
  }
  throw new Error(`too many results files for ${date} in ${outDirectory}`);
}

/** The side-by-side rounds, then each target's peak memory, then the targets are stopped. */
async function measureSideBySide(options, context, workloads) {
  const { targets, cells } = await startAndLoad(selectedDefinitions(options), options, workloads);
  const running = targets.filter((target) => target.available);
  const instances = running.map((target) => ({
    id: target.definition.id, port: target.port, pid: target.pid, child: target.child,
    itemCount: options.itemCount,
  }));
  const { roundsCompleted } = await runMatrix({
    instances, workloads, rounds: options.rounds, durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds, connections: options.connections,
    workDirectory: join(options.workDirectory, 'scripts'), cells, ...context,
  });
  for (const target of running) {
    target.peakResidentBytes = peakResidentBytes(target.pid);
    await stopTarget(target);
  }
  return { targets, cells, roundsCompleted, runningIds: running.map((target) => target.definition.id) };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    log(USAGE);
    return;
  }
  installCleanupHandlers();
  const startedAt = new Date();
  const deadline = startedAt.getTime() + options.timeLimitMinutes * 60_000;
  rmSync(options.workDirectory, { recursive: true, force: true });
  const loadGenerator = await chooseLoadGenerator({
    preferred: options.loadGenerator, installWrk: options.installWrk, log,
  });
  const machine = machineNotes({ loadGeneratorName: loadGenerator.name });
  const workloads = selectedWorkloads(options);
  const context = { loadGenerator, deadline, log };
  const sideBySide = await measureSideBySide(options, context, workloads);
  const definitions = targetDefinitions(options.eddydbMain);
  const scale = await runScale({ ...context, options, definitions });
  const profiles = await runProfiles({
    ...context, options, workloads,
    definitions: definitions.filter((definition) => options.profileTargetIds.includes(definition.id)
      && sideBySide.runningIds.includes(definition.id)),
  });
  const run = {
    mode: options.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
    settings: {
      rounds: options.rounds, roundsCompleted: sideBySide.roundsCompleted,
      durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds,
      connections: options.connections, itemCount: options.itemCount, loadGenerator: loadGenerator.name,
    },
    machine, targets: sideBySide.targets.map(describeTarget), cells: sideBySide.cells,
    workloadNames: workloads.map((workload) => workload.name),
  };
  run.goals = evaluateGoals({
    cells: run.cells, workloadNames: run.workloadNames, scale, targets: run.targets,
    eddydbIds: run.targets.filter((target) => target.role === 'eddydb' && target.available)
      .map((target) => target.id),
  });
  writeResults(run, scale, profiles, options.outDirectory);
}

function writeResults(run, scale, profiles, outDirectory) {
  mkdirSync(outDirectory, { recursive: true });
  const basePath = resultsPath(outDirectory, run.startedAt.slice(0, 10));
  const markdown = renderReport(run, [scaleSection(scale), profileSection(profiles)]);
  writeFileSync(`${basePath}.md`, markdown);
  const raw = {
    ...run, cells: Object.fromEntries(run.cells),
    scale: scale === undefined ? undefined : { ...scale, cells: Object.fromEntries(scale.cells) },
    profiles,
  };
  writeFileSync(`${basePath}.json`, `${JSON.stringify(raw, null, 1)}\n`);
  log(`results written to ${basePath}.md (raw figures in ${basePath}.json)`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
  closeConnections();
}
