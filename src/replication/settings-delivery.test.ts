/**
 * Versions of replicated settings: a local change always gets a version past the one the record
 * holds; a replicated one is taken only if newer, so a late or repeated delivery changes nothing.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { TableRecord } from '../tables/record.js'
import { ownSettingsVersions, stampSettings } from './settings-delivery.js'

function globalRecord(): TableRecord {
  return {
    version: 1, settlesAtMs: 0, tags: [],
    description: { TableName: 'things' } as TableRecord['description'],
    replication: { version: '2019.11.21', replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }, { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }] },
  }
}

test('a local change is versioned now, or just past a version from a clock that runs ahead', () => {
  const record = globalRecord()
  assert.equal(stampSettings(record, 'table', 'us-east-1', 1_000), true)
  assert.deepEqual(record.settingsVersions?.table, { timeMicros: 1_000_000, region: 'us-east-1' })
  record.settingsVersions = { table: { timeMicros: 5_000_000, region: 'eu-west-1' } }
  stampSettings(record, 'table', 'us-east-1', 1_000)
  assert.deepEqual(record.settingsVersions.table, { timeMicros: 5_000_001, region: 'us-east-1' })
  assert.deepEqual(ownSettingsVersions(record, 'us-east-1'), [['table', { timeMicros: 5_000_001, region: 'us-east-1' }]])
  assert.deepEqual(ownSettingsVersions(record, 'eu-west-1'), [])
})

test('a replicated change is taken only if newer than the record\'s, kind by kind', () => {
  const record = globalRecord()
  const newer = { timeMicros: 2_000, region: 'eu-west-1' }
  assert.equal(stampSettings(record, 'timeToLive', 'us-east-1', 0, newer), true)
  assert.equal(stampSettings(record, 'timeToLive', 'us-east-1', 0, newer), false, 'the same version again')
  assert.equal(stampSettings(record, 'timeToLive', 'us-east-1', 0, { timeMicros: 1_000, region: 'eu-west-1' }), false, 'an older one')
  // Same time: the region name breaks the tie, the same way on every replica.
  assert.equal(stampSettings(record, 'timeToLive', 'us-east-1', 0, { timeMicros: 2_000, region: 'us-west-2' }), true)
  assert.equal(stampSettings(record, 'table', 'us-east-1', 0, { timeMicros: 1, region: 'eu-west-1' }), true, 'another kind has its own version')
})

test('a table that is not global keeps no versions', () => {
  const record = globalRecord()
  delete record.replication
  assert.equal(stampSettings(record, 'table', 'us-east-1', 1_000), true)
  assert.equal(record.settingsVersions, undefined)
})
