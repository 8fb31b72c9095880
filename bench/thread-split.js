// An experiment, not part of EddyDB: could a server like EddyDB serve more requests per second on
// this machine by moving its sockets (the kernel's read and write calls and the HTTP framing) to
// a worker thread, leaving each request's own work on the main thread?
//
// Three stand-in servers do the same work per request: JSON.parse of the body, a fixed amount of
// CPU (--work-us, standing in for EddyDB's validation, storage and reply making) and a
// DynamoDB-sized JSON reply. They are measured with the Node HTTP limit, in interleaved rounds
// of wrk's GetItem script (32 connections), with each server's CPU per request from /proc:
//   single          one thread does everything, as EddyDB does today.
//   split           a worker thread owns the listening socket and the connections; it hands
//                   whole request bodies to the main thread and writes the replies it gets back,
//                   one message per event-loop turn each way (batched).
//   split-unbatched the same, one message per request each way.
// Usage: node bench/thread-split.js [--rounds 4] [--seconds 5] [--work-us 25]
//        (a server alone: --serve single|split|split-unbatched --port P)
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { freePort, sleep } from './lib/net.js';
import { cpuMicroseconds } from './lib/proc-stats.js';
import { installCleanupHandlers, startChild, stopAllChildren } from './lib/processes.js';
import { median, medianRatio } from './lib/stats.js';
import { runWrk } from './lib/wrk.js';
import { workloadNamed } from './lib/workloads.js';

const headEnd = Buffer.from('\r\n\r\n');
const layouts = ['single', 'split', 'split-unbatched'];

/** Calls onRequest(body) for each whole HTTP/1.1 request on the socket (Content-Length bodies only). */
function frameRequests(socket, onRequest) {
  let unread = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    unread = unread.length === 0 ? chunk : Buffer.concat([unread, chunk]);
    for (;;) {
      const end = unread.indexOf(headEnd);
      if (end < 0) return;
      const match = /content-length:\s*(\d+)/i.exec(unread.latin1Slice(0, end));
      const bodyStart = end + 4;
      const bodyEnd = bodyStart + (match ? Number(match[1]) : 0);
      if (unread.length < bodyEnd) return;
      onRequest(unread.toString('utf8', bodyStart, bodyEnd));
      unread = unread.subarray(bodyEnd);
    }
  });
  socket.on('error', () => socket.destroy());
}

function replyText(body) {
  return `HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`;
}

/** The request's own work: what stays on the main thread in every layout. */
function answer(body, workMicros, replyPadding) {
  const request = JSON.parse(body);
  const until = process.hrtime.bigint() + BigInt(workMicros * 1000);
  while (process.hrtime.bigint() < until);
  return JSON.stringify({ Item: { pk: request.Key ?? null, data: { S: replyPadding } } });
}

/** The main thread of a server in one layout. */
function serve(layout, port, workMicros) {
  const replyPadding = 'x'.repeat(450);
  if (layout === 'single') {
    net.createServer((socket) => {
      socket.setNoDelay(true);
      frameRequests(socket, (body) => socket.write(replyText(answer(body, workMicros, replyPadding))));
    }).listen(port, '127.0.0.1');
    return;
  }
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { port, batched: layout === 'split' } });
  // A message is [id, body, id, body, ...]; the replies go back the same way, one message per message.
  worker.on('message', (requests) => {
    const replies = new Array(requests.length);
    for (let index = 0; index < requests.length; index += 2) {
      replies[index] = requests[index];
      replies[index + 1] = answer(requests[index + 1], workMicros, replyPadding);
    }
    worker.postMessage(replies);
  });
}

/** The worker thread of a split layout: the connections. */
function serveConnections({ port, batched }) {
  const waiting = new Map();
  let nextId = 0;
  let outgoing = [];
  const flush = () => {
    parentPort.postMessage(outgoing);
    outgoing = [];
  };
  parentPort.on('message', (replies) => {
    for (let index = 0; index < replies.length; index += 2) {
      const socket = waiting.get(replies[index]);
      waiting.delete(replies[index]);
      if (socket !== undefined && !socket.destroyed) socket.write(replyText(replies[index + 1]));
    }
  });
  net.createServer((socket) => {
    socket.setNoDelay(true);
    frameRequests(socket, (body) => {
      const id = nextId++;
      waiting.set(id, socket);
      if (!batched) return parentPort.postMessage([id, body]);
      if (outgoing.length === 0) setImmediate(flush);
      outgoing.push(id, body);
    });
  }).listen(port, '127.0.0.1');
}

/** Starts the limit and a server of each layout, measures them in interleaved rounds, prints a table. */
async function measure({ rounds, seconds, workMicros }) {
  installCleanupHandlers();
  const workDirectory = mkdtempSync(join(tmpdir(), 'thread-split-'));
  const script = fileURLToPath(import.meta.url);
  const limitScript = fileURLToPath(new URL('./lib/limit-server.js', import.meta.url));
  const targets = [];
  for (const name of ['limit', ...layouts]) {
    const port = await freePort();
    const args = name === 'limit' ? [limitScript, String(port)] : [script, '--serve', name, '--port', String(port), '--work-us', String(workMicros)];
    targets.push({ name, port, process: startChild(process.execPath, args).child, samples: [] });
  }
  await sleep(500);
  const workload = workloadNamed('GetItem');
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      const cpuBefore = cpuMicroseconds(target.process.pid);
      const result = await runWrk({ port: target.port, workload, itemCount: 10000, durationSeconds: seconds, connections: 32, workDirectory });
      const cpu = cpuMicroseconds(target.process.pid) - cpuBefore;
      target.samples.push({
        requestsPerSecond: result.requests / result.seconds,
        latencyP99Milliseconds: result.latencyP99Milliseconds,
        cpuMicrosecondsPerRequest: cpu / result.requests,
        cores: cpu / 1e6 / result.seconds,
      });
    }
  }
  await stopAllChildren();
  rmSync(workDirectory, { recursive: true, force: true });
  const single = targets.find((target) => target.name === 'single');
  const limit = targets.find((target) => target.name === 'limit');
  console.log(`GetItem, 32 connections, ${rounds} interleaved rounds of ${seconds} s; stand-in work ${workMicros} µs per request. Medians.\n`);
  console.log('| server | req/s | ÷ limit | ÷ single | p99 (ms) | CPU µs/req | cores used |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const target of targets) {
    const figure = (field, digits) => median(target.samples.map((sample) => sample[field])).toFixed(digits);
    console.log(`| ${target.name} | ${figure('requestsPerSecond', 0)} | ${medianRatio(target.samples, limit.samples).toFixed(2)}× | ${medianRatio(target.samples, single.samples).toFixed(2)}× | ${figure('latencyP99Milliseconds', 2)} | ${figure('cpuMicrosecondsPerRequest', 1)} | ${figure('cores', 2)} |`);
  }
}

if (!isMainThread) {
  serveConnections(workerData);
} else {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      port: { type: 'string' },
      'work-us': { type: 'string', default: '25' },
      rounds: { type: 'string', default: '4' },
      seconds: { type: 'string', default: '5' },
    },
  });
  const workMicros = Number(values['work-us']);
  if (values.serve !== undefined) {
    if (!layouts.includes(values.serve)) throw new Error(`--serve takes one of ${layouts.join(', ')}`);
    serve(values.serve, Number(values.port), workMicros);
  } else {
    await measure({ rounds: Number(values.rounds), seconds: Number(values.seconds), workMicros });
  }
}
