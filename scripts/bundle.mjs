// Bundles the compiled server (dist/src/, from tsc) into a few files in dist/bundle/, which
// `npm start` and the `eddydb` command run. Node loads each ES module file on its own (resolve,
// read, parse, link): the compiled tree is about 280 files at startup, which cost most of the
// time from start to first answer; the bundle is a handful. The packages in node_modules stay
// outside (better-sqlite3 is native; the AWS SDK, pg and ion-js load only when used).
// Code split at every dynamic import(), so what the server loads on first use
// (src/lazy-require.ts) stays out of its start. The worker threads' modules are entry points of
// their own, named as the code that starts them expects beside it
// (new URL('./checkpoint-worker.js', import.meta.url)).
// Usage: node scripts/bundle.mjs (after tsc; `npm run build` runs both)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'dist/src/cli/main.js',
    'checkpoint-worker': 'dist/src/storage/sqlite/checkpoint-worker.js',
    'parser-worker': 'dist/src/imports/parser-worker.js',
    'module-worker': 'dist/src/triggers/targets/module-worker.js',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
});
