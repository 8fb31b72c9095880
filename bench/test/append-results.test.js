// The issue scripts' helpers: appending to the newest results file, and the optional DAX target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendSection, goalVerdict, newestResultsBase } from '../lib/append-results.js';
import { targetDefinitions } from '../lib/targets.js';

test('appendSection adds to the newest results file and its JSON', () => {
  const directory = mkdtempSync(join(tmpdir(), 'bench-append-'));
  try {
    writeFileSync(join(directory, '2026-01-01.md'), '# old\n');
    writeFileSync(join(directory, '2026-01-02.md'), '# new\n');
    writeFileSync(join(directory, '2026-01-02.json'), '{"mode":"full"}\n');
    utimesSync(join(directory, '2026-01-01.md'), new Date(1000), new Date(1000));
    assert.equal(newestResultsBase(directory), join(directory, '2026-01-02'));
    appendSection(directory, '## DAX\n\nfigures', 'dax', { ratio: 0.95 });
    assert.equal(readFileSync(join(directory, '2026-01-02.md'), 'utf8'), '# new\n\n## DAX\n\nfigures\n');
    assert.deepEqual(JSON.parse(readFileSync(join(directory, '2026-01-02.json'), 'utf8')),
      { mode: 'full', dax: { ratio: 0.95 } });
    assert.equal(readFileSync(join(directory, '2026-01-01.md'), 'utf8'), '# old\n');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('appendSection refuses when there is no results file', () => {
  const directory = mkdtempSync(join(tmpdir(), 'bench-append-'));
  try {
    assert.throws(() => appendSection(directory, '## x', 'x', {}), /no results file/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('goalVerdict', () => {
  assert.equal(goalVerdict(true), 'met');
  assert.equal(goalVerdict(false), '**missed**');
  assert.equal(goalVerdict(undefined), 'not measured');
});

test('eddydb-dax-http takes the load on the DAX HTTP port and is optional', () => {
  const definition = targetDefinitions('/x/main.js').find((candidate) => candidate.id === 'eddydb-dax-http');
  assert.equal(definition.optional, true);
  assert.equal(definition.separateLoadPort, true);
  const { args } = definition.command(1000, '/tmp/data', 2000);
  assert.deepEqual(args, ['/x/main.js', 'serve', '--dax', '--in-memory', '--port', '1000',
    '--dax-http-port', '2000', '--dax-port', 'off']);
});
