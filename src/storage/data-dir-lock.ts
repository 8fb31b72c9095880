/**
 * One server per data directory. Two servers on one directory would each cache their own table
 * catalog and write into the same files, so the second one must refuse to start.
 *
 * The lock is SQLite's own: `eddydb.lock` is a small database held in EXCLUSIVE locking mode
 * after one write, which keeps an OS file lock (fcntl) on it for as long as the connection is
 * open. The operating system drops that lock when the process ends, however it ends (kill -9
 * included), so the lock can never go stale and a new server needs no cleanup. Region files
 * are opened lazily, per region, so the lock is taken on the directory at startup instead.
 *
 * `eddydb.pid` only says who holds the lock, for the error message; it is rewritten by each
 * holder, removed by a clean stop, and never consulted to decide anything.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { StartupError, reasonOf } from '../startup-error.js'

export const lockFileName = 'eddydb.lock'
export const pidFileName = 'eddydb.pid'

export interface DataDirLock {
  release(): void
}

/** Creates the directory if needed and takes its lock; a StartupError says why it cannot. */
export function lockDataDir(dataDir: string): DataDirLock {
  try {
    mkdirSync(dataDir, { recursive: true })
  } catch (error) {
    throw new StartupError(`data directory ${dataDir} cannot be created: ${reasonOf(error)}; choose another with --data-dir`)
  }
  let database: Database.Database
  try {
    database = new Database(join(dataDir, lockFileName), { timeout: 0 })
  } catch (error) {
    throw new StartupError(`data directory ${dataDir} is not writable: ${reasonOf(error)}; fix its permissions or choose another with --data-dir`)
  }
  try {
    database.pragma('locking_mode = EXCLUSIVE')
    // No journal file next to the lock: the one row it holds does not need one.
    database.pragma('journal_mode = MEMORY')
    database.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)')
    database.transaction(() => {
      database.exec('DELETE FROM holder')
      database.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString())
    })()
  } catch (error) {
    database.close()
    const code = (error as { code?: string }).code
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new StartupError(`data directory ${dataDir} is in use by ${holderOf(dataDir)}; stop it, or choose another --data-dir`)
    }
    throw new StartupError(`data directory ${dataDir} is not writable: ${reasonOf(error)}; fix its permissions or choose another with --data-dir`)
  }
  try {
    writeFileSync(join(dataDir, pidFileName), `${process.pid}\n`)
  } catch {
    // Only the error message of a second server uses it.
  }
  return {
    release: () => {
      removePidFile(dataDir)
      database.close()
    },
  }
}

/** Removes the pid file while the lock is still held, if it names this process (another may have rewritten it). */
function removePidFile(dataDir: string): void {
  try {
    const path = join(dataDir, pidFileName)
    if (Number(readFileSync(path, 'utf8').trim()) === process.pid) rmSync(path)
  } catch {
    // Gone already, or unreadable: it decides nothing.
  }
}

function holderOf(dataDir: string): string {
  try {
    const pid = Number(readFileSync(join(dataDir, pidFileName), 'utf8').trim())
    if (Number.isSafeInteger(pid) && pid > 0) return pid === process.pid ? `this process (${pid})` : `process ${pid}`
  } catch {
    // No pid file: the holder could not write one.
  }
  return 'another process'
}
