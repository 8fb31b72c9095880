// CPU profiles of EddyDB's hot path: a separate instance per workload runs under node --cpu-prof
// (through profile-wrapper.js, so SIGTERM makes it exit and write the profile), takes the same
// load as in the measured rounds, and the profile is summarized for the results file.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadItems } from './load-data.js';
import { readNewestProfile, summarizeCpuProfile } from './profile.js';
import { startTarget, stopTarget } from './targets.js';

const LIB_DIRECTORY = dirname(fileURLToPath(import.meta.url));
const REPOSITORY_DIRECTORY = dirname(dirname(LIB_DIRECTORY));
const PROFILE_WORKLOADS_FULL = ['GetItem', 'PutItem', 'Query-10'];
const PROFILE_WORKLOADS_QUICK = ['GetItem'];
const PROFILE_LOAD_TIME_LIMIT_MS = 120_000;
const TOP_ENTRIES = 12;

async function profileOne(definition, workload, context) {
  const { options } = context;
  const instanceName = `profile-${definition.id}-${workload.operation}`;
  const profileDirectory = join(options.workDirectory, 'profiles', instanceName);
  mkdirSync(profileDirectory, { recursive: true });
  const target = await startTarget(definition, {
    workDirectory: options.workDirectory, instanceName,
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`, join(LIB_DIRECTORY, 'profile-wrapper.js')],
  });
  if (!target.available) return { error: target.reason };
  try {
    await loadItems(target.port, { itemCount: options.itemCount, timeLimitMs: PROFILE_LOAD_TIME_LIMIT_MS });
    const seconds = options.quick ? 2 : 5;
    const result = await context.loadGenerator.run({
      port: target.port, workload, itemCount: options.itemCount, durationSeconds: seconds,
      connections: options.connections, workDirectory: join(options.workDirectory, 'scripts'),
    });
    await stopTarget(target);
    const profile = readNewestProfile(profileDirectory);
    if (profile === undefined) return { error: 'the server wrote no profile when stopped' };
    return {
      requests: result.requests, seconds,
      summary: summarizeCpuProfile(profile, { rootDirectory: REPOSITORY_DIRECTORY, top: TOP_ENTRIES }),
    };
  } catch (error) {
    return { error: error.message.slice(0, 300) };
  } finally {
    await stopTarget(target);
  }
}

/** Profiles each Node target in definitions on the hot-path workloads, within the deadline. */
export async function runProfiles(context) {
  const names = context.options.quick ? PROFILE_WORKLOADS_QUICK : PROFILE_WORKLOADS_FULL;
  const workloads = context.workloads.filter((workload) => names.includes(workload.name));
  const profiles = [];
  for (const definition of context.definitions.filter((candidate) => candidate.isNode)) {
    for (const workload of workloads) {
      if (Date.now() > context.deadline + 5 * 60_000) {
        profiles.push({ targetId: definition.id, workload: workload.name, error: 'the time limit was reached' });
        continue;
      }
      context.log(`profiling ${definition.id} on ${workload.name}`);
      profiles.push({ targetId: definition.id, workload: workload.name, ...await profileOne(definition, workload, context) });
    }
  }
  return profiles;
}
