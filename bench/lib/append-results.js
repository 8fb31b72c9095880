// The issue scripts (bench/dax.js, bench/trigger-latency.js) add their section to the newest
// results file of bench/run.js rather than writing a file of their own, so that one file holds
// every figure of a day's run; their raw figures go under a key of the matching .json.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** The most recently written results/*.md (by modification time), or undefined. */
export function newestResultsBase(outDirectory) {
  if (!existsSync(outDirectory)) return undefined;
  const candidates = readdirSync(outDirectory).filter((name) => name.endsWith('.md'))
    .map((name) => ({ name, modified: statSync(join(outDirectory, name)).mtimeMs }))
    .sort((a, b) => b.modified - a.modified);
  return candidates.length === 0 ? undefined : join(outDirectory, candidates[0].name.slice(0, -'.md'.length));
}

/**
 * Appends a Markdown section to the newest results file and stores raw figures under jsonKey in
 * its .json (when there is one). Returns the .md path written.
 */
export function appendSection(outDirectory, markdown, jsonKey, raw) {
  const base = newestResultsBase(outDirectory);
  if (base === undefined) throw new Error(`no results file in ${outDirectory}: run npm run bench first`);
  appendFileSync(`${base}.md`, `\n${markdown.trim()}\n`);
  const jsonPath = `${base}.json`;
  if (existsSync(jsonPath)) {
    const stored = JSON.parse(readFileSync(jsonPath, 'utf8'));
    stored[jsonKey] = raw;
    writeFileSync(jsonPath, `${JSON.stringify(stored, null, 1)}\n`);
  }
  return `${base}.md`;
}

/** Goal cell text: met / **missed** / not measured. */
export function goalVerdict(met) {
  if (met === undefined) return 'not measured';
  return met ? 'met' : '**missed**';
}
