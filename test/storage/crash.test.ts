/**
 * Every acknowledged write survives kill -9 of the process. A child process commits writes in
 * a loop and prints each sequence number only after transact() has resolved; the parent kills
 * it with SIGKILL mid-stream, reopens the file and checks that every printed write is there.
 * This is the engine's half of the durability promise ('process' durability: synchronous=NORMAL
 * in WAL mode); the full-server kill -9 test lives with the server tests.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteEngine } from '../../src/storage/sqlite/engine.js'

/** How long the child writes, after its first acknowledged write, before it is killed. */
const writingMs = 300
/** The child stops by itself after this many writes, should the kill never come. */
const childWritesMax = 1_000_000
/** Give up on a child that never acknowledges a write (far past a slow start on a loaded machine). */
const childStartTimeoutMs = 60_000
const tableId = 'crash-table'

const engineUrl = new URL('../../src/storage/sqlite/engine.js', import.meta.url).href

/** The child: one item and one change per transaction, acknowledged on stdout after commit. */
const childScript = `
  const { openSqliteEngine } = await import(${JSON.stringify(engineUrl)})
  const engine = openSqliteEngine({ path: process.argv[1] })
  for (let sequence = 1; sequence <= ${childWritesMax}; sequence++) {
    const key = Buffer.alloc(4)
    key.writeUInt32BE(sequence)
    const json = JSON.stringify({ n: { N: String(sequence) } })
    await engine.transact(async (tx) => {
      await tx.putItem(${JSON.stringify(tableId)}, key, json, json.length)
      await tx.appendChange({ tableId: ${JSON.stringify(tableId)}, eventName: 'INSERT', key,
        keysJson: json, newImageJson: json, timeMicros: Date.now() * 1000, originRegion: 'local' })
    })
    process.stdout.write(sequence + '\\n')
  }
`

function keyOf(sequence: number): Buffer {
  const key = Buffer.alloc(4)
  key.writeUInt32BE(sequence)
  return key
}

/** Runs the child until it has written for `writingMs`, kills it, returns the acknowledged. */
async function writeUntilKilled(path: string): Promise<number[]> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', childScript, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  let killTimer: NodeJS.Timeout | undefined
  const startTimer = setTimeout(() => child.kill('SIGKILL'), childStartTimeoutMs)
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    output += chunk
    killTimer ??= setTimeout(() => child.kill('SIGKILL'), writingMs)
  })
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_code, closeSignal) => resolve(closeSignal)),
  )
  clearTimeout(startTimer)
  clearTimeout(killTimer)
  assert.equal(signal, 'SIGKILL', 'the child was killed mid-stream, not finished or crashed')
  // Only whole lines count: a line cut short by the kill was never fully acknowledged.
  const lines = output.split('\n').slice(0, -1)
  return lines.map(Number)
}

test('every acknowledged write survives SIGKILL of the process', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'eddydb-crash-test-'))
  try {
    const path = join(directory, 'crash.sqlite3')
    const acknowledged = await writeUntilKilled(path)
    assert.ok(acknowledged.length > 0, 'the child acknowledged some writes')
    assert.deepEqual(acknowledged, acknowledged.map((_, index) => index + 1))
    const lastAcknowledged = acknowledged.length
    t.diagnostic(`${lastAcknowledged} writes acknowledged before SIGKILL`)

    const engine = openSqliteEngine({ path })
    try {
      await engine.read(async (view) => {
        const missing: number[] = []
        for (const sequence of acknowledged) {
          if ((await view.getItem(tableId, keyOf(sequence))) === undefined) missing.push(sequence)
        }
        assert.deepEqual(missing, [], 'acknowledged writes lost')
        // The change log is written in the same transactions, so it is just as complete.
        assert.ok((await view.lastChangeSequence(tableId)) >= lastAcknowledged)
        const stats = await view.itemStats(tableId)
        assert.ok(stats.count >= lastAcknowledged)
      })
    } finally {
      await engine.close()
    }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
})
