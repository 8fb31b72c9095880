// Picks the load generator: wrk when present (installing the Debian package when we run as root
// and it is missing), otherwise autocannon in a separate Node process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runToCompletion } from './processes.js';
import { runWrk } from './wrk.js';

const APT_TIMEOUT_MS = 240_000;
const EXTRA_WAIT_MS = 15_000;
const AUTOCANNON_WORKER = fileURLToPath(new URL('./autocannon-worker.js', import.meta.url));

/**
 * @typedef {{ requests: number, seconds: number, failedRequests: number,
 *   latencyP50Milliseconds: number, latencyP99Milliseconds: number }} LoadResult
 */

function wrkVersion() {
  try {
    execFileSync('which', ['wrk'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  try {
    // wrk -v prints its version and exits 1.
    execFileSync('wrk', ['-v'], { stdio: 'pipe' });
  } catch (error) {
    const text = `${error.stdout ?? ''}`.split('\n')[0];
    return text.replace(/\s*Copyright.*$/, '').trim() || 'wrk';
  }
  return 'wrk';
}

async function installWrk(log) {
  if (process.getuid?.() !== 0) return;
  log('wrk is missing: installing the Debian package (apt-get install -y wrk)');
  await runToCompletion('apt-get', ['update', '-qq'], { timeoutMs: APT_TIMEOUT_MS });
  await runToCompletion('apt-get', ['install', '-y', '-qq', 'wrk'], { timeoutMs: APT_TIMEOUT_MS });
}

async function runAutocannon({ port, workload, itemCount, durationSeconds, connections }) {
  const options = JSON.stringify({
    port, operation: workload.operation, template: workload.template, itemCount, durationSeconds,
    connections,
  });
  const run = await runToCompletion(process.execPath, [AUTOCANNON_WORKER, options], {
    timeoutMs: durationSeconds * 1000 + EXTRA_WAIT_MS,
  });
  const line = run.stdout.split('\n').find((candidate) => candidate.startsWith('AUTOCANNONJSON '));
  if (line === undefined) throw new Error(`autocannon gave no figures: ${run.outputTail.slice(-300)}`);
  return JSON.parse(line.slice('AUTOCANNONJSON '.length));
}

/**
 * @param {{ preferred: 'wrk' | 'autocannon', installWrk: boolean, log: (text: string) => void }} options
 * @returns {Promise<{ name: string, run: (request: object) => Promise<LoadResult> }>}
 */
export async function chooseLoadGenerator(options) {
  if (options.preferred === 'wrk') {
    let version = wrkVersion();
    if (version === undefined && options.installWrk) {
      await installWrk(options.log);
      version = wrkVersion();
    }
    if (version !== undefined) return { name: `${version} (2 threads, Lua scripts)`, run: runWrk };
    options.log('wrk is not available: falling back to autocannon');
  }
  return { name: 'autocannon (separate Node process)', run: runAutocannon };
}
