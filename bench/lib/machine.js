// Machine notes for the results file: what ran where, so figures from different days can be
// read with their conditions in mind.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';

function firstLine(command, args) {
  try {
    // Some tools (java -version) print their version on stderr.
    const output = execFileSync(command, args, { stdio: 'pipe', timeout: 20_000, encoding: 'utf8' });
    return output.split('\n')[0].trim() || firstLineOfStderr(command, args);
  } catch (error) {
    const text = `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n')[0].trim();
    return text || 'not available';
  }
}

function firstLineOfStderr(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return `${result.stderr ?? ''}`.split('\n')[0].trim() || 'not available';
}

/** @param {{ loadGeneratorName: string }} options */
export function machineNotes(options) {
  const processors = cpus();
  return {
    cpu: `${processors[0]?.model ?? 'unknown'} x ${processors.length}`,
    memoryGibibytes: (totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
    java: firstLine('java', ['-version']),
    python: firstLine('python3', ['--version']),
    loadGenerator: options.loadGeneratorName,
    loadAverageAtStart: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}
