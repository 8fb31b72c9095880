#!/usr/bin/env node
/**
 * Write throughput of EddyDB over PostgreSQL, for comparing builds: PutItem, UpdateItem+condition
 * and BatchWriteItem-25 from wrk (the workloads of `npm run bench`) against one node, and against
 * two nodes on one database (one wrk per node, half the connections each). Each build (--dist,
 * given once or twice) gets a database of its own, loaded with the same items; rounds interleave
 * the builds. Besides requests per second it reports PostgreSQL's rolled-back transactions per
 * thousand requests (pg_stat_database.xact_rollback): each is a transaction that lost a
 * conflict and ran again. Figures only, never pass/fail.
 *
 *   npm run build && node bench/postgres-writes.js [--dist DIR [--dist DIR]] [--rounds 3] [--seconds 5]
 *     [--connections 32] [--items 10000] [--durable]
 * --durable runs PostgreSQL with its default fsync and synchronous commits (the tests' throwaway
 * cluster turns both off), so that each commit waits for the disk as in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadItems } from './lib/load-data.js';
import { median } from './lib/stats.js';
import { workloadNamed } from './lib/workloads.js';
import { runWrk } from './lib/wrk.js';
import { postgresSkipReason, startPostgres } from '../dist/test/helpers/postgres.js';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', multiple: true, default: ['dist'] },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    items: { type: 'string', default: '10000' },
    durable: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const itemCount = Number(values.items);
const workloads = ['PutItem', 'UpdateItem+condition', 'BatchWriteItem-25'].map(workloadNamed);
const workDirectory = mkdtempSync(join(tmpdir(), 'eddydb-bench-pg-writes-'));

const skip = postgresSkipReason();
if (skip) {
  console.error(`postgres-writes bench: ${skip}`);
  process.exit(1);
}

/**
 * Starts `eddydb serve` of a build on a free port: the build's own test helper, which starts the
 * bundle beside it. Resolves with the child process and its port once it listens.
 */
async function startNode(dist, storageUrl) {
  const { startCli } = await import(pathToFileURL(join(resolve(dist), 'test/helpers/cli.js')).href);
  const node = await startCli(['--port', '0', '--storage-url', storageUrl]);
  return { child: node.process, port: Number(new URL(node.url).port) };
}

async function rollbacks(serverUrl, database) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT xact_rollback::bigint AS n FROM pg_stat_database WHERE datname = $1', [database]);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

const cluster = await startPostgres({ durable: values.durable });
const builds = [];
try {
  for (const [index, dist] of values.dist.entries()) {
    const database = `writes_${index}`;
    const url = await cluster.createDatabase(database);
    const nodes = [await startNode(dist, url), await startNode(dist, url)];
    await loadItems(nodes[0].port, { itemCount, timeLimitMs: 600_000, log: () => undefined });
    builds.push({ dist, database, url, nodes, results: new Map() });
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? builds : [...builds].reverse();
    for (const workload of workloads) {
      for (const nodeCount of [1, 2]) {
        for (const build of order) {
          const before = await rollbacks(cluster.url(), build.database);
          // A directory per wrk: each writes its Lua script there, and two must not share one file.
          const runs = await Promise.all(build.nodes.slice(0, nodeCount).map((node, nodeIndex) => runWrk({
            port: node.port, workload, itemCount, durationSeconds: seconds, connections: connections / nodeCount,
            workDirectory: join(workDirectory, `wrk-${nodeIndex}`),
          })));
          const after = await rollbacks(cluster.url(), build.database);
          const requests = runs.reduce((sum, run) => sum + run.requests, 0);
          const rate = runs.reduce((sum, run) => sum + run.requests / run.seconds, 0);
          const cell = `${workload.name}|${nodeCount}`;
          const list = build.results.get(cell) ?? [];
          list.push({ rate, rollbacksPerThousand: (1000 * (after - before)) / Math.max(1, requests), failed: runs.reduce((sum, run) => sum + run.failedRequests, 0) });
          build.results.set(cell, list);
        }
      }
    }
  }
  console.log(`\n${rounds} rounds of ${seconds} s, ${connections} connections, ${itemCount} items, PostgreSQL ${values.durable ? 'with fsync and synchronous commits' : 'without fsync'}; medians over rounds\n`);
  const header = builds.map((build) => `${build.dist} req/s | rollbacks/1000 | failed`).join(' | ');
  console.log(`| workload | nodes | ${header} |${builds.length === 2 ? ' second ÷ first |' : ''}`);
  console.log(`| --- | ---: |${builds.map(() => ' ---: | ---: | ---: |').join('')}${builds.length === 2 ? ' ---: |' : ''}`);
  for (const workload of workloads) {
    for (const nodeCount of [1, 2]) {
      const cell = `${workload.name}|${nodeCount}`;
      const columns = builds.map((build) => {
        const list = build.results.get(cell);
        return `${median(list.map((entry) => entry.rate)).toFixed(0)} | ${median(list.map((entry) => entry.rollbacksPerThousand)).toFixed(1)} | ${list.reduce((sum, entry) => sum + entry.failed, 0)}`;
      });
      let ratio = '';
      if (builds.length === 2) {
        const perRound = builds[1].results.get(cell).map((entry, roundIndex) => entry.rate / builds[0].results.get(cell)[roundIndex].rate);
        ratio = ` ${median(perRound).toFixed(2)} |`;
      }
      console.log(`| ${workload.name} | ${nodeCount} | ${columns.join(' | ')} |${ratio}`);
    }
  }
} finally {
  for (const build of builds) for (const node of build.nodes) node.child.kill('SIGKILL');
  await cluster.stop();
  rmSync(workDirectory, { recursive: true, force: true });
}
