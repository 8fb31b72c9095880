/**
 * The WAL checkpointer's thread (see checkpointer.ts): its own connection to the database file,
 * which copies committed WAL pages into the database file and fsyncs it whenever the server's
 * thread says there are new commits. PASSIVE never waits for, nor blocks, the writer or readers.
 */
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

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

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    connection.close()
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
  parentPort!.postMessage(report)
})
