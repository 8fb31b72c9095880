// The JavaScript a request costs the server, without the kernel: EddyDB runs in this process (on a
// temporary data directory, or with --in-memory), and its HTTP server's connection listener is handed in-process sockets (a Duplex)
// instead of TCP ones. Requests of one workload go in on --in-flight connections at once, each
// sending its next request a tick after its reply, as a client on a socket would. What this
// process's CPU time per request then shows is the server's own work: the fast path, the
// pipeline, the operation, SQLite (its file in the page cache) and the reply; no sockets, no load generator
// sharing the cores. That makes it far steadier than a run with wrk, so it suits comparing two
// builds: give --dist twice and their rounds interleave, with the median of the per-round ratios.
// Figures only, never pass/fail.
// With --dax-http the requests go to an embedded DAX node's DynamoDB JSON endpoint instead (the
// server in memory, as bench/dax.js runs it), after one read of every item, so that reads are cache hits.
// Usage: npm run build && node bench/js-per-request.js [--workload GetItem] [--in-flight 32]
//        [--requests 40000] [--rounds 5] [--items 10000] [--in-memory] [--dax-http] [--dist DIR [--dist DIR]]
//        [--cpu-profile FILE]   (a V8 CPU profile of the measured rounds only, without the setup)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { callDynamo, dynamoHeaders } from './lib/dynamo-http.js';
import { TABLE_NAME, keyOf } from './lib/items.js';
import { loadItems } from './lib/load-data.js';
import { median, medianRatio, roundOrder } from './lib/stats.js';
import { fillTemplate, workloadNamed } from './lib/workloads.js';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'GetItem' },
    'in-flight': { type: 'string', default: '32' },
    requests: { type: 'string', default: '40000' },
    rounds: { type: 'string', default: '5' },
    items: { type: 'string', default: '10000' },
    'in-memory': { type: 'boolean', default: false },
    'dax-http': { type: 'boolean', default: false },
    dist: { type: 'string', multiple: true, default: ['dist'] },
    'cpu-profile': { type: 'string' },
  },
});
const workload = workloadNamed(values.workload);
const inFlight = Number(values['in-flight']);
const itemCount = Number(values.items);
const requestsPerRound = Math.ceil(Number(values.requests) / inFlight) * inFlight;

// startServer does not hand out its HTTP server; every server that starts listening is noted,
// and the one on the port startServer reports is the one to feed.
const listening = [];
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  listening.push(this);
  return listen.apply(this, args);
};

/** A socket that is not one: what the server writes goes to onWrite, what it reads comes from push(). */
class InProcessSocket extends Duplex {
  constructor(onWrite) {
    super({ allowHalfOpen: true });
    this.onWrite = onWrite;
  }
  _read() {}
  _write(chunk, _encoding, callback) {
    this.onWrite(chunk);
    callback();
  }
  // A reply written corked (head, then a Buffer body) arrives as one writev, as on a TCP socket.
  _writev(chunks, callback) {
    this.onWrite(Buffer.concat(chunks.map(({ chunk }) => chunk)));
    callback();
  }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  setTimeout() { return this; }
  get remoteAddress() { return '127.0.0.1'; }
  get remotePort() { return 40000; }
}

/** The request bytes, made up front so the measured loop only sends them. */
function requestBytes(count) {
  const headers = Object.entries(dynamoHeaders(workload.operation)).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Array.from({ length: count }, (_, index) => {
    const body = fillTemplate(workload.template, (index * 7919) % itemCount, itemCount, index);
    return Buffer.from(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

async function startBuild(dist) {
  const { startServer } = await import(pathToFileURL(resolve(dist, 'src/server.js')).href);
  const dataDir = values['in-memory'] || values['dax-http'] ? undefined : mkdtempSync(join(tmpdir(), 'eddydb-js-per-request-'));
  const storage = dataDir === undefined ? { inMemory: true } : { dataDir };
  const running = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'warn', ...storage });
  await loadItems(running.port, { itemCount, timeLimitMs: 600_000, log: () => {} });
  const served = values['dax-http'] ? await startDaxNode(dist, running) : { port: running.port };
  const http = listening.find((server) => server.address()?.port === served.port);
  if (http === undefined) throw new Error(`${dist}: no listening server on port ${served.port}`);
  const connections = Array.from({ length: inFlight }, () => {
    const connection = { replied: undefined };
    connection.socket = new InProcessSocket((chunk) => {
      const head = chunk.toString('latin1', 0, 12);
      if (head !== 'HTTP/1.1 200') throw new Error(`${dist}: ${chunk.toString('utf8', 0, 400)}`);
      const replied = connection.replied;
      connection.replied = undefined;
      // The next request a tick later, as it would come back from a socket.
      setImmediate(replied);
    });
    http.emit('connection', connection.socket);
    return connection;
  });
  return { dist, running, daxNode: served.daxNode, dataDir, connections, rounds: [], sent: 0 };
}

/** An embedded DAX node in front of `running`, its item cache holding every item. */
async function startDaxNode(dist, running) {
  const dax = await import(pathToFileURL(resolve(dist, 'src/cli/dax.js')).href);
  const { loadConfig } = await import(pathToFileURL(resolve(dist, 'src/config.js')).href);
  const config = loadConfig(['--dax', '--dax-http-port', '0', '--dax-port', 'off']);
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const daxNode = await dax.startEmbeddedDax(running, dax.embeddedDaxFlags(config), { region: config.defaultRegion, log: quiet });
  for (let index = 0; index < itemCount; index++) {
    await callDynamo(daxNode.httpPort, 'GetItem', { TableName: TABLE_NAME, Key: keyOf(index) });
  }
  return { port: daxNode.httpPort, daxNode };
}

// Each build walks this pool from where its last round stopped, so a write never repeats the
// request that last wrote its item (that would be an unchanged overwrite, which writes nothing)
// however short the rounds: the pool holds ten requests per item, each with its own revision.
const requests = requestBytes(Math.max(requestsPerRound, 10 * itemCount));

async function runRound(build, count) {
  const perConnection = count / inFlight;
  const first = build.sent;
  const drive = async (connection, offset) => {
    for (let index = 0; index < perConnection; index++) {
      await new Promise((replied) => {
        connection.replied = replied;
        connection.socket.push(requests[(first + offset + index * inFlight) % requests.length]);
      });
    }
  };
  const before = process.cpuUsage();
  await Promise.all(build.connections.map((connection, offset) => drive(connection, offset)));
  const used = process.cpuUsage(before);
  build.sent += count;
  return (used.user + used.system) / count;
}

const builds = [];
for (const dist of values.dist) builds.push(await startBuild(dist));
// Warm-up: every build serves a round first, so the measured ones run optimized code.
for (const build of builds) await runRound(build, requestsPerRound);
const profiler = values['cpu-profile'] === undefined ? undefined : new Session();
if (profiler !== undefined) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
for (let round = 0; round < Number(values.rounds); round++) {
  // The order rotates, so neither build always runs right after the other.
  for (const build of roundOrder(builds, round)) {
    build.rounds.push({ cpuMicrosecondsPerRequest: await runRound(build, requestsPerRound) });
  }
}

if (profiler !== undefined) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(values['cpu-profile'], JSON.stringify(profile));
  profiler.disconnect();
}

const where = values['dax-http'] ? 'DAX HTTP endpoint' : values['in-memory'] ? 'in memory' : 'on disk';
process.stdout.write(`${workload.name} (${where}), ${inFlight} in flight, ${requestsPerRound} requests a round, CPU µs per request:\n`);
for (const build of builds) {
  const cpu = build.rounds.map((sample) => sample.cpuMicrosecondsPerRequest);
  process.stdout.write(`  ${build.dist}: ${cpu.map((value) => value.toFixed(1)).join(' ')} (median ${median(cpu).toFixed(1)})\n`);
}
if (builds.length === 2) {
  const ratio = medianRatio(builds[1].rounds, builds[0].rounds, 'cpuMicrosecondsPerRequest');
  process.stdout.write(`  ${builds[1].dist} ÷ ${builds[0].dist}: median of round ratios ${ratio.toFixed(3)}\n`);
}
for (const build of builds) {
  await build.daxNode?.close();
  await build.running.close();
  if (build.dataDir !== undefined) rmSync(build.dataDir, { recursive: true, force: true });
}
