// Issue 11: restore and backup speed, and the cost of PITR on PutItem, in one run.
//   1. Loads N items of about 400 B into a PITR table of an in-process EddyDB (on disk by
//      default), then times CreateBackup until AVAILABLE, RestoreTableFromBackup and
//      RestoreTableToPointInTime until ACTIVE: items per second each.
//   2. PutItem throughput with PITR on against PITR off: two tables of the same server, written
//      by C concurrent clients in interleaved rounds. Reported: the median on/off ratio.
// Figures are for comparison within a run on a shared machine, never pass/fail.
// Usage: node bench/backup-restore.js [--items N] [--rounds R] [--puts P] [--clients C] [--in-memory]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BatchWriteItemCommand, CreateBackupCommand, CreateTableCommand, DescribeBackupCommand, DescribeTableCommand,
  DynamoDBClient, PutItemCommand, RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { startServer } from '../dist/src/server.js';

const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    puts: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '8' },
    'in-memory': { type: 'boolean', default: false },
  },
});
const items = Number(options.items);
const rounds = Number(options.rounds);
const putsPerRound = Number(options.puts);
const clients = Number(options.clients);
const log = (text) => process.stdout.write(`${text}\n`);
const pad = 'x'.repeat(380);

const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-bench-backup-'));
const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', inMemory: options['in-memory'], dataDir });
const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

async function createTable(name, pitr) {
  await client.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }));
  if (pitr) {
    await client.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  }
}

async function untilActive(name) {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table.TableStatus === 'ACTIVE') return Table;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function timed(work) {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

try {
  await createTable('source', true);
  log(`loading ${items} items of ~400 B...`);
  for (let start = 0; start < items; start += 25 * clients) {
    await Promise.all(Array.from({ length: clients }, (_, worker) => {
      const first = start + worker * 25;
      const count = Math.min(25, items - first);
      if (count <= 0) return undefined;
      return client.send(new BatchWriteItemCommand({
        RequestItems: { source: Array.from({ length: count }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `item-${first + offset}` }, pad: { S: pad } } } })) },
      }));
    }));
  }

  let backupArn;
  const backupSeconds = await timed(async () => {
    ({ BackupDetails: { BackupArn: backupArn } } = await client.send(new CreateBackupCommand({ TableName: 'source', BackupName: 'bench' })));
    for (;;) {
      const { BackupDescription } = await client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
      if (BackupDescription.BackupDetails.BackupStatus === 'AVAILABLE') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  const fromBackupSeconds = await timed(async () => {
    await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'from-backup', BackupArn: backupArn }));
    await untilActive('from-backup');
  });
  const pointInTimeSeconds = await timed(async () => {
    await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'source', TargetTableName: 'from-pitr', UseLatestRestorableTime: true }));
    await untilActive('from-pitr');
  });

  await createTable('pitr-on', true);
  await createTable('pitr-off', false);
  const putRate = async (table, round) => {
    const seconds = await timed(() => Promise.all(Array.from({ length: clients }, async (_, worker) => {
      for (let index = worker; index < putsPerRound; index += clients) {
        await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `r${round}-${index}` }, pad: { S: pad } } }));
      }
    })));
    return putsPerRound / seconds;
  };
  const ratios = [];
  for (let round = 0; round < rounds; round++) {
    // Interleaved, alternating which goes first, so drift on a shared machine hits both alike.
    let on, off;
    if (round % 2 === 0) {
      on = await putRate('pitr-on', round);
      off = await putRate('pitr-off', round);
    } else {
      off = await putRate('pitr-off', round);
      on = await putRate('pitr-on', round);
    }
    ratios.push(on / off);
  }
  ratios.sort((a, b) => a - b);
  const rate = (seconds) => Math.round(items / seconds).toLocaleString('en');
  log(`\n| Measure (${items} items of ~400 B, ${options['in-memory'] ? 'in memory' : 'on disk'}) | Result |`);
  log('| --- | --- |');
  log(`| CreateBackup until AVAILABLE | ${backupSeconds.toFixed(2)} s, ${rate(backupSeconds)} items/s |`);
  log(`| RestoreTableFromBackup until ACTIVE | ${fromBackupSeconds.toFixed(2)} s, ${rate(fromBackupSeconds)} items/s |`);
  log(`| RestoreTableToPointInTime until ACTIVE | ${pointInTimeSeconds.toFixed(2)} s, ${rate(pointInTimeSeconds)} items/s |`);
  log(`| PutItem throughput, PITR on / off (median of ${rounds} rounds, ${clients} clients) | ${ratios[Math.floor(ratios.length / 2)].toFixed(3)} |`);
} finally {
  client.destroy();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
