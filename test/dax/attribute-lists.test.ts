/**
 * DAX clients keep the attribute-list ids they learn for the life of their process, across
 * restarts of the node (spec dax.md §B10): an id must never come to mean another list, and with a
 * data directory an id handed out before a restart is still known after it. Each registry here
 * stands for one incarnation of the server; the files are real files.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AttributeListRegistry, emptyAttributeListId } from '../../src/dax/wire/attribute-lists.js'

const listFile = () => join(mkdtempSync(join(tmpdir(), 'eddydb-attribute-lists-')), 'dax-attribute-lists.jsonl')

test('a list has the same id in every incarnation, and another list never gets it', () => {
  const before = new AttributeListRegistry()
  const id = before.idFor(['alpha', 'beta'])
  const after = new AttributeListRegistry()
  // The first list registered after a restart used to get the same id as the first before it.
  const other = after.idFor(['password', 'role'])
  assert.notEqual(other, id)
  assert.equal(after.namesFor(id), undefined, 'an id not seen since the restart is unknown, not another list')
  assert.equal(after.idFor(['alpha', 'beta']), id)
  assert.deepEqual(after.namesFor(id), ['alpha', 'beta'])
  assert.equal(after.idFor([]), emptyAttributeListId)
})

test('with a file, ids handed out before a restart are known after it without being defined again', () => {
  const path = listFile()
  const before = new AttributeListRegistry(() => path)
  const id = before.idFor(['alpha', 'beta'])
  before.close()
  const after = new AttributeListRegistry(() => path)
  assert.deepEqual(after.namesFor(id), ['alpha', 'beta'])
  const other = after.idFor(['password', 'role'])
  after.close()
  assert.deepEqual(readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line).id), [id, other])
})

test('an id taken by another list (a hash collision, as recorded) is never reused; a torn last line is skipped', () => {
  const path = listFile()
  const probe = new AttributeListRegistry()
  const natural = probe.idFor(['x'])
  appendFileSync(path, `${JSON.stringify({ id: natural, names: ['someone', 'else'] })}\n{"id": 7, "names": ["tor`)
  const registry = new AttributeListRegistry(() => path)
  assert.deepEqual(registry.namesFor(natural), ['someone', 'else'])
  const moved = registry.idFor(['x'])
  assert.notEqual(moved, natural)
  assert.deepEqual(registry.namesFor(moved), ['x'])
  assert.equal(registry.namesFor(7), undefined)
  registry.close()
  const lines = readFileSync(path, 'utf8').trim().split('\n')
  assert.deepEqual(JSON.parse(lines.at(-1)!), { id: moved, names: ['x'] }, 'the moved id is recorded on a line of its own')
})
