// Bundles the compiled server (dist/src/, from tsc) into one file per entry point in dist/bundle/,
// which `npm start` and the `eddydb` command run. Node loads each ES module file on its own
// (resolve, read, parse, link): the compiled tree is more than 300 files at startup, which cost most
// of the time from start to first answer.
//
// The bundle is CommonJS, not ES modules: Node 20 loads the same code as one CommonJS file in
// about two thirds of the time it takes as ES modules, split into chunks or not
// (`node dist/bundle/main.js --version`, which loads everything and exits: 0.22 s against
// 0.26 s, Node's own start being 0.10-0.15 s; to the first answer 248 ms against 286 ms,
// bench/results/2026-12-06-startup.md). Code loaded on first use (src/lazy-require.ts) is then
// in the same file but still evaluated only when first imported, as esbuild wraps such modules
// in an initializer.
//
// What CommonJS output needs:
// - dist/bundle/package.json says "commonjs", as the project's own says "module".
// - import.meta.url becomes the file's URL (the worker threads' modules are found beside it,
//   new URL('./checkpoint-worker.js', import.meta.url), and packageRoot walks up from it).
// - "use strict" before anything else (esbuild's own comes after the banner, too late to count),
//   as ES modules are always strict.
// - Nothing but ASCII: one other character anywhere makes V8 hold the whole file as two-byte text
//   and scan it so (4% of the start to the first answer, bench/startup.js: 256 ms against 267).
//   esbuild escapes strings, regular expressions and names itself (its default charset); what is
//   left is in comments it keeps, whose characters are written as \u escapes here.
// - Packages stay in node_modules (better-sqlite3 is native; the AWS SDK, pg and ion-js load only
//   when used), except those published as ES modules only (cborg), which are bundled in.
// Usage: node scripts/bundle.mjs (after tsc; `npm run build` runs both)
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
/** Packages that `require` cannot load: bundled in rather than left in node_modules. */
const esmOnlyPackages = new Set(['cborg']);
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const installedPackages = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });

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
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: installedPackages.filter((name) => !esmOnlyPackages.has(name)).flatMap((name) => [name, `${name}/*`]),
  banner: { js: '"use strict";\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
  sourcemap: 'linked',
  logLevel: 'warning',
});
for (const file of readdirSync(outdir).filter((name) => name.endsWith('.js'))) {
  const text = readFileSync(`${outdir}/${file}`, 'utf8');
  const ascii = text.replace(/[^\0-\x7f]/gu, (character) => `\\u{${character.codePointAt(0).toString(16)}}`);
  if (ascii !== text) writeFileSync(`${outdir}/${file}`, ascii);
}
writeFileSync(`${outdir}/package.json`, `${JSON.stringify({ type: 'commonjs' })}\n`);
