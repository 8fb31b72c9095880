import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirectoryBucket } from '../s3/directory-bucket.js'
import { DataFiles } from './data-files.js'

// An export stopped midway (its lease lost, its storage gone) abandons the file it is writing:
// the upload ends, no object appears, and the process goes on. Destroying the gzip stream with a
// reason once emitted an 'error' nobody listened to, which ended the whole server.
test('abandoning a data file mid-write ends its upload without an unhandled error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'eddydb-data-files-'))
  try {
    const files = new DataFiles(new DirectoryBucket(root), 'export/data/', '.json.gz', 1000)
    await files.write(Array.from({ length: 500 }, (_, index) => `{"n":${index}}`), '{"Item":', '}\n')
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      await files.abandon()
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('uncaughtException', onUncaught)
    }
    assert.deepEqual(uncaught, [])
    const written = readdirSync(join(root, 'export', 'data')).filter((name) => name.endsWith('.json.gz'))
    assert.deepEqual(written, [])
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})
