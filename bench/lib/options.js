// Command-line options of bench/run.js. Defaults give the full run (about 15 minutes on the
// 2-core machine); --quick gives a sanity check of about a minute.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { DEFAULT_EDDYDB_MAIN } from './targets.js';

const BENCH_DIRECTORY = dirname(dirname(fileURLToPath(import.meta.url)));

export const USAGE = `Usage: node bench/run.js [--quick] [options]
  --quick                  about a minute: 1 round of 1 s, no warm-up, small scale step
  --rounds N               measured rounds, interleaved across targets (full: 3)
  --duration S             seconds per target, workload and round (full: 3)
  --warmup S               warm-up seconds per target and workload before round 1 (full: 1)
  --connections N          keep-alive connections (32)
  --items N                items in the table of the side-by-side runs (10000)
  --targets a,b            only these targets (ids: limit, eddydb-disk, eddydb-memory,
                           dynalite-memory, dynalite-leveldb, dynamodb-local, moto;
                           eddydb-dax-http runs only when named here)
  --workloads a,b          only these workloads (names as in the results table)
  --scale-sizes a,b        table sizes of the scale runs (full: 10000,100000,1000000)
  --scale-target ID        target of the scale runs (eddydb-disk)
  --no-scale               skip the scale runs
  --profile-target ID      take CPU profiles of this Node target (default: every EddyDB target)
  --no-profile             skip the CPU profiles
  --load-generator NAME    wrk (default) or autocannon
  --no-install             do not apt-get install wrk when it is missing
  --eddydb PATH            EddyDB's CLI entry (default: dist/bundle/main.js of this repo)
  --out DIR                where results go (bench/results)
  --time-limit MINUTES     stop starting new rounds after this long (full: 15, quick: 3)`;

const list = (text) => (text === undefined ? undefined : text.split(',').map((entry) => entry.trim()).filter(Boolean));
const numberList = (text) => list(text)?.map(Number);

export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      rounds: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' },
      connections: { type: 'string' }, items: { type: 'string' },
      targets: { type: 'string' }, workloads: { type: 'string' },
      'scale-sizes': { type: 'string' }, 'scale-target': { type: 'string' },
      'no-scale': { type: 'boolean', default: false },
      'profile-target': { type: 'string' }, 'no-profile': { type: 'boolean', default: false },
      'load-generator': { type: 'string' }, 'no-install': { type: 'boolean', default: false },
      eddydb: { type: 'string' }, out: { type: 'string' }, 'time-limit': { type: 'string' },
    },
  });
  const quick = values.quick;
  const numberOr = (text, fallback) => (text === undefined ? fallback : Number(text));
  const options = {
    help: values.help,
    quick,
    rounds: numberOr(values.rounds, quick ? 1 : 3),
    durationSeconds: numberOr(values.duration, quick ? 1 : 3),
    warmupSeconds: numberOr(values.warmup, quick ? 0 : 1),
    connections: numberOr(values.connections, 32),
    itemCount: numberOr(values.items, 10_000),
    targetIds: list(values.targets),
    workloadNames: list(values.workloads),
    scaleSizes: values['no-scale'] ? [] : (numberList(values['scale-sizes'])
      ?? (quick ? [10_000, 20_000] : [10_000, 100_000, 1_000_000])),
    scaleTargetId: values['scale-target'] ?? 'eddydb-disk',
    profileTargetIds: values['no-profile'] ? [] : (list(values['profile-target']) ?? ['eddydb-disk', 'eddydb-memory']),
    loadGenerator: values['load-generator'] === 'autocannon' ? 'autocannon' : 'wrk',
    installWrk: !values['no-install'],
    eddydbMain: values.eddydb ?? DEFAULT_EDDYDB_MAIN,
    outDirectory: values.out ?? join(BENCH_DIRECTORY, 'results'),
    workDirectory: join(BENCH_DIRECTORY, '.work'),
    timeLimitMinutes: numberOr(values['time-limit'], quick ? 3 : 15),
  };
  for (const [name, value] of Object.entries(options)) {
    if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`--${name}: expected a non-negative number`);
    }
  }
  return options;
}
