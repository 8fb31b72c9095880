// Runs autocannon in its own process (so the load is not generated inside the harness) and
// prints the figures as one JSON line. Used only when wrk is not available.
// Usage: node autocannon-worker.js '<json options>'
import autocannon from 'autocannon';
import { dynamoHeaders } from './dynamo-http.js';
import { fillTemplate } from './workloads.js';

const { port, operation, template, itemCount, durationSeconds, connections } = JSON.parse(process.argv[2]);

/** Each request's {{SEQ}}: every write changes its item (see workloads.js). */
let sequence = 0;
const result = await autocannon({
  url: `http://127.0.0.1:${port}/`,
  connections,
  duration: durationSeconds,
  timeout: 5,
  requests: [{
    method: 'POST',
    path: '/',
    headers: dynamoHeaders(operation),
    setupRequest: (request) => ({
      ...request,
      body: fillTemplate(template, Math.floor(Math.random() * itemCount), itemCount, ++sequence),
    }),
  }],
});

process.stdout.write(`AUTOCANNONJSON ${JSON.stringify({
  requests: result.requests.total,
  seconds: result.duration,
  failedRequests: result.non2xx + result.errors + result.timeouts,
  latencyP50Milliseconds: result.latency.p50,
  latencyP99Milliseconds: result.latency.p99,
})}\n`);
