/** The shard model's pure rules: rollover timing, empty shards, lineage and disabling. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { StreamState } from './history.js'
import { disabled, isRolloverDue, newShard, rolledOver, shardIdOf } from './shards.js'

const periodMs = 60_000

function stream(): StreamState {
  const state: StreamState = {
    version: 1, streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2025-01-01T00:00:00.000',
    streamLabel: '2025-01-01T00:00:00.000', tableName: 't', tableId: 'id', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    viewType: 'KEYS_ONLY', status: 'ENABLED', createdMs: 1000, firstSequence: 5, shards: [],
  }
  state.shards.push(newShard(state, 1000, 4))
  return state
}

test('ShardIds embed the creation time in 20 digits and a stable suffix', () => {
  assert.match(shardIdOf('arn', 1414562045508, 0), /^shardId-00000001414562045508-[0-9a-f]{8}$/)
  assert.equal(shardIdOf('arn', 1, 0), shardIdOf('arn', 1, 0))
})

test('the open shard rolls over once its period has passed and it holds a record', () => {
  const state = stream()
  assert.equal(rolledOver(state, 1000 + periodMs - 1, 9, periodMs), undefined)
  assert.equal(rolledOver(state, 1000 + periodMs, 4, periodMs), undefined, 'an empty shard stays open')
  assert.ok(isRolloverDue(state, 1000 + periodMs, periodMs))
  const next = rolledOver(state, 1000 + periodMs, 9, periodMs)!
  assert.equal(next.shards.length, 2)
  assert.deepEqual([next.shards[0]!.startSequence, next.shards[0]!.endSequence], [5, 9])
  assert.equal(next.shards[1]!.startSequence, 10)
  assert.equal(next.shards[1]!.parentShardId, next.shards[0]!.shardId)
  assert.ok(next.shards[0]!.shardId < next.shards[1]!.shardId)
  assert.equal(state.shards.length, 1, 'the input is not changed')
})

test('disabling closes the open shard at the last sequence, or empty', () => {
  const closed = disabled(stream(), 5000, 7)
  assert.equal(closed.status, 'DISABLED')
  assert.equal(closed.shards[0]!.endSequence, 7)
  assert.equal(disabled(stream(), 5000, 4).shards[0]!.endSequence, 4, 'closed before any record: end = start - 1')
})
