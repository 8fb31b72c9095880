/**
 * What the backup tests share: a server on a clock the test moves forward (so that "between
 * two writes" is a definite instant without sleeping), and its region context for the tests that
 * call the table-as-of reader directly.
 */
import type { Clock, RegionContext } from '../../src/api/context.js'
import type { StartOptions } from '../../src/server.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

/** Real time plus an offset that only grows: moving it apart separates two writes in time. */
export class SteppedClock implements Clock {
  #offsetMs = 0
  #lastMs = 0

  now(): number {
    this.#lastMs = Math.max(this.#lastMs, Date.now() + this.#offsetMs)
    return this.#lastMs
  }

  /** Moves the clock forward by `ms` and returns the new time. */
  advance(ms: number): number {
    this.#offsetMs += ms
    return this.now()
  }
}

export interface BackupTestServer extends TestServer {
  clock: SteppedClock
  region(): Promise<RegionContext>
}

export async function startBackupTestServer(options: StartOptions = {}): Promise<BackupTestServer> {
  const clock = new SteppedClock()
  const server = await startTestServer({ clock, ...options })
  return {
    ...server,
    clock,
    region: async () => server.running!.regions.get('us-east-1'),
  }
}
