// Server-side cost figures read from /proc: CPU time of a process and all its descendants
// (a server may fork workers or run behind a shim), and its peak resident memory (VmHWM).
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const PROCESS_COUNT_MAX = 100_000;

function clockTicksPerSecond() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}

export const CLOCK_TICKS_PER_SECOND = clockTicksPerSecond();

/** Parses /proc/PID/stat; the command name may contain spaces, so split after the last ')'. */
function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // Fields after the name start at field 3 (state): ppid is 4, utime 14, stime 15.
    return { parentPid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** The pid itself and every live descendant. */
export function processTree(rootPid) {
  const childrenByParent = new Map();
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).slice(0, PROCESS_COUNT_MAX);
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat === undefined) continue;
    const siblings = childrenByParent.get(stat.parentPid) ?? [];
    siblings.push(Number(pid));
    childrenByParent.set(stat.parentPid, siblings);
  }
  const tree = [rootPid];
  for (let index = 0; index < tree.length && index < PROCESS_COUNT_MAX; index++) {
    tree.push(...(childrenByParent.get(tree[index]) ?? []));
  }
  return tree;
}

/** User + system CPU time of the process tree, in microseconds. */
export function cpuMicroseconds(rootPid) {
  let ticks = 0;
  for (const pid of processTree(rootPid)) ticks += readStat(pid)?.cpuTicks ?? 0;
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** Sum of VmHWM (peak resident set) over the process tree, in bytes. */
export function peakResidentBytes(rootPid) {
  let bytes = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) bytes += Number(match[1]) * 1024;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return bytes;
}
