// Where the time goes: summarizes a V8 .cpuprofile (written by node --cpu-prof) into the
// functions and files with the most self time, for the results file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Samples in which the server did no work (waiting for I/O). '(program)' (native code outside
// any JavaScript frame: HTTP parsing, syscalls) and '(garbage collector)' are work and stay in.
const IDLE_NAMES = new Set(['(idle)', '(root)']);

function locationOf(callFrame, rootDirectory) {
  const url = callFrame.url.replace(/^file:\/\//, '').replace(`${rootDirectory}/`, '');
  return url === '' ? '(native)' : `${url}:${callFrame.lineNumber + 1}`;
}

/**
 * @param {{ nodes: Array<{ id: number, callFrame: any }>, samples: number[], timeDeltas: number[] }} profile
 * @param {{ rootDirectory: string, top: number }} options
 */
export function summarizeCpuProfile(profile, options) {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicrosecondsByNode = new Map();
  let totalMicroseconds = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = Math.max(0, profile.timeDeltas[index] ?? 0);
    selfMicrosecondsByNode.set(nodeId, (selfMicrosecondsByNode.get(nodeId) ?? 0) + delta);
    totalMicroseconds += delta;
  });
  const byFunction = new Map();
  const byFile = new Map();
  let idleMicroseconds = 0;
  for (const [nodeId, microseconds] of selfMicrosecondsByNode) {
    const { callFrame } = nodeById.get(nodeId);
    const name = callFrame.functionName || '(anonymous)';
    if (IDLE_NAMES.has(name)) {
      idleMicroseconds += microseconds;
      continue;
    }
    const location = locationOf(callFrame, options.rootDirectory);
    const functionKey = `${name} ${location}`;
    byFunction.set(functionKey, (byFunction.get(functionKey) ?? 0) + microseconds);
    // Code without a source file is native: keep V8's own buckets apart from native functions.
    const fileKey = callFrame.url === '' ? (name.startsWith('(') ? name : '(native functions)')
      : location.replace(/:\d+$/, '');
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + microseconds);
  }
  const busyMicroseconds = Math.max(1, totalMicroseconds - idleMicroseconds);
  const ranked = (map) => [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.top)
    .map(([key, microseconds]) => ({ key, percentOfBusy: (100 * microseconds) / busyMicroseconds }));
  return {
    busyPercent: (100 * busyMicroseconds) / Math.max(1, totalMicroseconds),
    functions: ranked(byFunction),
    files: ranked(byFile),
  };
}

/**
 * Reads the newest .cpuprofile of a process's main thread in a directory. node --cpu-prof writes
 * one file per thread, named CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile, the main
 * thread's with thread id 0; a server's worker threads (SQLite's checkpointer) write their own,
 * which are not where requests are served.
 */
export function readNewestProfile(directory) {
  const files = readdirSync(directory).filter((name) => name.endsWith('.cpuprofile')).sort();
  const mainThread = files.filter((name) => name.split('.')[4] === '0');
  const chosen = (mainThread.length > 0 ? mainThread : files).at(-1);
  if (chosen === undefined) return undefined;
  return JSON.parse(readFileSync(join(directory, chosen), 'utf8'));
}
