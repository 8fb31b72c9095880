/**
 * The WAL checkpointer's thread (see checkpointer.ts): its own connection to the database file,
 * which copies committed WAL pages into the database file whenever the server's thread says
 * there are new commits. PASSIVE never waits for, nor blocks, the writer or readers.
 *
 * SQLite fsyncs the database file only at the end of a pass that copied the whole WAL, which
 * under steady writes is only the catch-up pass that writes wait for; that fsync then wrote out
 * every page copied since the WAL last started over, 10-12 ms of the wait (strace). So a pass can
 * also be asked to fsync the file itself ('checkpoint-and-flush'), off the writer's path, and the
 * catch-up's fsync finds little left to write.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/** What the server's thread asks of the worker. */
export type CheckpointRequest = 'checkpoint' | 'checkpoint-and-flush' | 'close'

export interface CheckpointWorkerData {
  path: string
  synchronous: 'NORMAL' | 'FULL'
}

/** What a pass reports: the WAL's length in frames and how many of them are now in the database file. */
export interface CheckpointReport {
  log: number
  checkpointed: number
}

const { path, synchronous } = workerData as CheckpointWorkerData
const connection = new Database(path, { fileMustExist: true, timeout: 0 })
connection.pragma(`synchronous = ${synchronous}`)
// Never a checkpoint of its own from a write: this connection does not write.
connection.pragma('wal_autocheckpoint = 0')

/** The database file, for the flushes SQLite leaves to the catch-up pass (see above). */
const databaseFile = openSync(path, 'r')

parentPort!.on('message', (message: CheckpointRequest) => {
  if (message === 'close') {
    connection.close()
    closeSync(databaseFile)
    parentPort!.close()
    return
  }
  let report: CheckpointReport | null = null
  try {
    const [result] = connection.pragma('wal_checkpoint(PASSIVE)') as Array<CheckpointReport & { busy: number }>
    if (result) report = { log: result.log, checkpointed: result.checkpointed }
  } catch {
    // Busy or failing: the next commit asks again, and the writer's own checkpoint is the backstop.
  }
  // Not caught: a failed fsync may have dropped pages that a later one would not report, so the
  // worker ends (checkpointer.ts then leaves checkpoints to the writer's backstop).
  if (message === 'checkpoint-and-flush') fsyncSync(databaseFile)
  parentPort!.postMessage(report)
})
