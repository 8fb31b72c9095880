/** --peer REGION=URL: repeatable, from the environment or a config file, checked at startup. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { parsePeers } from '../../src/replication/peers.js'

describe('peer configuration', () => {
  it('collects repeated --peer flags, EDDYDB_PEERS and the config file key', () => {
    assert.deepEqual(loadConfig(['--peer', 'us-west-2=http://127.0.0.1:9001', '--peer=eu-west-1=http://127.0.0.1:9002'], {}).peers,
      ['us-west-2=http://127.0.0.1:9001', 'eu-west-1=http://127.0.0.1:9002'])
    assert.deepEqual(loadConfig([], { EDDYDB_PEERS: 'us-west-2=http://a:1,eu-west-1=http://b:2' }).peers, ['us-west-2=http://a:1', 'eu-west-1=http://b:2'])
    const dir = mkdtempSync(join(tmpdir(), 'eddydb-peers-'))
    try {
      const file = join(dir, 'config.json')
      writeFileSync(file, JSON.stringify({ peers: ['ap-south-1=https://peer.example:8000'] }))
      assert.deepEqual(loadConfig(['--config', file], {}).peers, ['ap-south-1=https://peer.example:8000'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    assert.deepEqual(loadConfig([], {}).peers, [])
  })

  it('maps regions to URLs and refuses entries that are not REGION=URL', () => {
    assert.deepEqual([...parsePeers(['us-west-2=http://127.0.0.1:9001'])], [['us-west-2', 'http://127.0.0.1:9001']])
    assert.throws(() => parsePeers(['us-west-2']), ConfigError)
    assert.throws(() => parsePeers(['us-west-2=ftp://x']), /is not an http\(s\) URL/)
    assert.throws(() => parsePeers(['US WEST=http://x']), /REGION=URL/)
  })
})
