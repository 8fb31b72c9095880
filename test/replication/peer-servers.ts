/**
 * Two `eddydb serve` processes on loopback, us-east-1 and us-west-2, each told of the other with
 * --peer through a proxy the test can cut (proxy.ts), each restartable on its own port and
 * storage. Storage is a data directory each, or, under run-on-postgres.ts
 * (EDDYDB_TEST_STORAGE_URL), a PostgreSQL database each.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { killHard, startCli, type CliServer } from '../helpers/cli.js'
import { testStorageUrl } from '../helpers/server.js'
import { regionClient } from './helpers.js'
import { freePort, startProxy, type CuttableProxy } from './proxy.js'

type Side = 'east' | 'west'

export interface PeerServers {
  /** Clients of each side (replaced by restart()). */
  east: DynamoDBClient
  west: DynamoDBClient
  eastServer: CliServer
  westServer: CliServer
  /** Cuts or heals the link both ways. */
  cut(): void
  heal(): void
  /** kill -9 of one side (nothing flushed). */
  kill(side: Side): Promise<void>
  /** Starts a killed side again on the same port and storage. */
  restart(side: Side): Promise<void>
  close(): Promise<void>
}

interface SideSetup {
  region: string
  peerRegion: string
  port: number
  storage: string[]
  dir: string
}

async function sideSetup(region: string, peerRegion: string): Promise<SideSetup> {
  const dir = mkdtempSync(join(tmpdir(), `eddydb-${region}-`))
  const url = await testStorageUrl()
  return { region, peerRegion, port: await freePort(), dir, storage: url ? ['--storage-url', url] : ['--data-dir', dir] }
}

/** `flags`: more `serve` flags for both servers. */
export async function startPeerServers(flags: string[] = []): Promise<PeerServers> {
  // The proxies listen first, so the ports then chosen for the servers cannot be theirs (a proxy
  // once took the port just chosen for a server, which could then not start).
  const ports = { east: 0, west: 0 }
  const toWest: CuttableProxy = await startProxy(() => ports.west)
  const toEast: CuttableProxy = await startProxy(() => ports.east)
  const east = await sideSetup('us-east-1', 'us-west-2')
  const west = await sideSetup('us-west-2', 'us-east-1')
  Object.assign(ports, { east: east.port, west: west.port })
  const proxyTo = (side: SideSetup) => (side === east ? toEast : toWest)
  const start = (side: SideSetup, peer: SideSetup) => startCli([
    '--port', String(side.port), ...side.storage, '--default-region', side.region, '--peer', `${side.peerRegion}=${proxyTo(peer).url}`, ...flags,
  ])
  const started = await Promise.allSettled([start(east, west), start(west, east)])
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) {
    // Nothing may be left running, or the test file's process would never end.
    await Promise.all(started.map((result) => result.status === 'fulfilled' ? killHard(result.value.process) : undefined))
    await Promise.all([toWest.close(), toEast.close()])
    for (const side of [east, west]) rmSync(side.dir, { recursive: true, force: true })
    throw failed.reason
  }
  const [eastServer, westServer] = started.map((result) => (result as PromiseFulfilledResult<CliServer>).value) as [CliServer, CliServer]
  const servers: PeerServers = {
    eastServer, westServer,
    east: regionClient(eastServer.url, east.region),
    west: regionClient(westServer.url, west.region),
    cut() { toWest.cut(); toEast.cut() },
    heal() { toWest.heal(); toEast.heal() },
    async kill(side) {
      await killHard(servers[`${side}Server`].process)
      servers[side].destroy()
    },
    async restart(side) {
      const [setup, peer] = side === 'east' ? [east, west] : [west, east]
      const server = await start(setup, peer)
      servers[`${side}Server`] = server
      servers[side] = regionClient(server.url, setup.region)
    },
    async close() {
      servers.east.destroy()
      servers.west.destroy()
      await Promise.all([servers.eastServer, servers.westServer].map((server) => killHard(server.process)))
      await Promise.all([toWest.close(), toEast.close()])
      for (const side of [east, west]) rmSync(side.dir, { recursive: true, force: true })
    },
  }
  return servers
}
