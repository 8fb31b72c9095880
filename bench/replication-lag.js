// Issue 13: global tables, appended as "## Global tables" to the newest bench/results/*.md.
//   1. Replication lag: two `eddydb serve --in-memory` processes on loopback, each given the other
//      with --peer; a table in us-east-1 with a replica on the us-west-2 server. N sequential
//      PutItems in us-east-1; for each, the time from the PutItem reply until a GetItem in
//      us-west-2 sees it (polled). Reported: p50, p99.
//   2. Cost of a replica on PutItem: sequential PutItems on the global table against a plain table
//      of the same server, in interleaved rounds; reported as the ratio of their rates.
// Usage: node bench/replication-lag.js [--puts N] [--rounds N] [--no-append]
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appendSection, goalVerdict } from './lib/append-results.js';
import { DEFAULT_EDDYDB_MAIN } from './lib/targets.js';

const BENCH_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));
const LAG_P50_GOAL_MS = 50;
const POLL_LIMIT = 5_000;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const log = (text) => process.stdout.write(`${text}\n`);

function call(port, region, operation, input) {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: '127.0.0.1', port, method: 'POST', path: '/', agent,
      headers: {
        'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${operation}`,
        'X-Amz-Date': '20260101T000000Z',
        Authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=00`,
      },
    }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => { text += chunk; });
      incoming.on('end', () => (incoming.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${operation}: ${text}`))));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function serve(port, defaultRegion, peer) {
  const child = spawn(process.execPath, [DEFAULT_EDDYDB_MAIN, 'serve', '--in-memory', '--port', String(port), '--log-level', 'warn',
    '--default-region', defaultRegion, '--peer', peer], { stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitUntilUp(port) {
  for (let attempt = 0; attempt < 500; attempt++) {
    try {
      await call(port, 'us-east-1', 'ListTables', {});
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`server on ${port} did not start`);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main() {
  const { values } = parseArgs({ options: { puts: { type: 'string', default: '300' }, rounds: { type: 'string', default: '5' }, 'no-append': { type: 'boolean' } } });
  const puts = Number(values.puts);
  const rounds = Number(values.rounds);
  const [eastPort, westPort] = [await freePort(), await freePort()];
  const children = [
    serve(eastPort, 'us-east-1', `us-west-2=http://127.0.0.1:${westPort}`),
    serve(westPort, 'us-west-2', `us-east-1=http://127.0.0.1:${eastPort}`),
  ];
  try {
    await Promise.all([waitUntilUp(eastPort), waitUntilUp(westPort)]);
    const definition = (name) => ({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    await call(eastPort, 'us-east-1', 'CreateTable', definition('replicated'));
    await call(eastPort, 'us-east-1', 'CreateTable', definition('plain'));
    await call(eastPort, 'us-east-1', 'UpdateTable', { TableName: 'replicated', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] });

    const lags = [];
    for (let i = 0; i < puts; i++) {
      const key = { pk: { S: `lag-${i}` } };
      await call(eastPort, 'us-east-1', 'PutItem', { TableName: 'replicated', Item: { ...key, n: { N: String(i) } } });
      const written = performance.now();
      let seen = false;
      for (let poll = 0; poll < POLL_LIMIT && !seen; poll++) {
        seen = (await call(westPort, 'us-west-2', 'GetItem', { TableName: 'replicated', Key: key })).Item !== undefined;
      }
      if (!seen) throw new Error(`lag-${i} never reached us-west-2`);
      lags.push(performance.now() - written);
    }
    lags.sort((a, b) => a - b);

    const rate = async (table, round) => {
      const count = 200;
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        await call(eastPort, 'us-east-1', 'PutItem', { TableName: table, Item: { pk: { S: `cost-${round}-${i}` } } });
      }
      return count / ((performance.now() - started) / 1000);
    };
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      const plain = await rate('plain', round);
      const replicated = await rate('replicated', round);
      ratios.push(replicated / plain);
    }
    ratios.sort((a, b) => a - b);
    const p50 = percentile(lags, 0.5);
    const p99 = percentile(lags, 0.99);
    const ratio = ratios[Math.floor(ratios.length / 2)];
    const markdown = [
      '## Global tables',
      '',
      `Two \`eddydb serve --in-memory\` processes on loopback, each the other's \`--peer\`; ${puts} sequential PutItems in us-east-1, each timed from its reply until a GetItem in us-west-2 sees it.`,
      '',
      '| Measure | Value | Goal |',
      '| --- | --- | --- |',
      `| Replication lag p50 | ${p50.toFixed(1)} ms | ≤ ${LAG_P50_GOAL_MS} ms: ${goalVerdict(p50 <= LAG_P50_GOAL_MS)} |`,
      `| Replication lag p99 | ${p99.toFixed(1)} ms | |`,
      `| Sequential PutItem rate, global table ÷ plain table (median of ${rounds} interleaved rounds) | ${ratio.toFixed(2)}× | |`,
    ].join('\n');
    log(markdown);
    if (!values['no-append']) {
      try {
        log(`appended to ${appendSection(`${BENCH_DIRECTORY}results`, markdown, 'globalTables', { lagsMs: lags, putRateRatios: ratios })}`);
      } catch (error) {
        log(String(error.message));
      }
    }
  } finally {
    for (const child of children) child.kill('SIGKILL');
    agent.destroy();
  }
}

await main();
