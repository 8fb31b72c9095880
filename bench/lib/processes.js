// Every child process the harness starts goes through this registry, so that all of them are
// ended when the run finishes, fails, or is interrupted (SIGINT/SIGTERM). Each child runs in its
// own process group; we signal that group, which also ends anything the child started itself
// (a JVM's helpers, a shell shim's python), and never touch processes we did not start.
import { spawn } from 'node:child_process';

const STOP_GRACE_MS = 3000;
const OUTPUT_TAIL_CHARS = 4000;

/** @type {Set<import('node:child_process').ChildProcess>} */
const runningChildren = new Set();

/**
 * Starts a child process and registers it for cleanup. Its output is kept (the last few KB)
 * so that a failure to start can be explained in the results.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
export function startChild(command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { text: '' };
  const keepTail = (chunk) => {
    output.text = (output.text + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  child.on('error', (error) => keepTail(`spawn error: ${error.message}\n`));
  child.on('exit', () => runningChildren.delete(child));
  runningChildren.add(child);
  return { child, output };
}

/** True while the child has neither exited nor failed to spawn. */
export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined
    && runningChildren.has(child);
}

function signalGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Suspends a child's whole process group (SIGSTOP), so that it uses no CPU while another target
 * is measured; resumeChild lets it go on where it stopped.
 */
export function pauseChild(child) {
  if (isRunning(child)) signalGroup(child, 'SIGSTOP');
}

export function resumeChild(child) {
  if (isRunning(child)) signalGroup(child, 'SIGCONT');
}

/** Asks a child (and its process group) to stop, and kills it if it has not within the grace. */
export async function stopChild(child, signal = 'SIGTERM') {
  if (!isRunning(child)) {
    signalGroup(child, 'SIGKILL');
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A paused group would not act on the signal until resumed.
  signalGroup(child, 'SIGCONT');
  signalGroup(child, signal);
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS, true)),
  ]);
  if (timedOut) {
    signalGroup(child, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
  }
  runningChildren.delete(child);
}

/** Stops every registered child, one after the other. */
export async function stopAllChildren() {
  for (const child of [...runningChildren]) {
    await stopChild(child);
  }
}

/**
 * Installs the handlers that end all children when the harness ends: normally, on a signal, or on
 * an uncaught error. The 'exit' handler can only do synchronous work, so it sends SIGKILL.
 */
export function installCleanupHandlers() {
  process.on('exit', () => {
    for (const child of runningChildren) signalGroup(child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal} received, stopping servers\n`);
      stopAllChildren().finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: uncaught error: ${error.stack ?? error}\n`);
    stopAllChildren().finally(() => process.exit(1));
  });
}

/**
 * Runs a command to completion with a hard time limit and returns its output.
 * @param {string} command
 * @param {string[]} args
 * @param {{ timeoutMs: number, cwd?: string }} options
 */
export function runToCompletion(command, args, options) {
  return new Promise((resolve) => {
    const { child, output } = startChild(command, args, { cwd: options.cwd });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk.toString(); });
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), options.timeoutMs);
    const finish = (code) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      resolve({ code, stdout, outputTail: output.text });
    };
    child.on('exit', (code) => finish(code));
    child.on('error', () => finish(-1));
  });
}
