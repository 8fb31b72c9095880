/**
 * `GET /_eddydb/status`: what this server is running, for `eddydb status` and for people: its
 * version, address, storage (a data directory, memory or PostgreSQL), regions, tables (with GSI
 * backfill progress), streams, trigger mappings (with their last error) and DAX nodes.
 * Read-only: it shows names and counts, never items. With --credentials only the operator may
 * read it (docs/security.md).
 */
import type { PathRoute, RestReply } from './http/server.js'
import type { Regions } from './regions.js'
import type { RegionContext } from './api/context.js'
import type { Config } from './config.js'
import type { Triggers } from './triggers/service.js'
import type { DaxClusters } from './dax/management/index.js'
import { version } from './version.js'
import { storageInUse } from './storage/open.js'

export const statusPath = '/_eddydb/status'

export interface StatusSources {
  config: Config
  regions: Regions
  triggers: Triggers
  daxClusters: DaxClusters
  /** The server's URL once it listens. */
  url(): string
  /** More sections by name, added after startup (the CLI's embedded DAX node). */
  extraSections: Map<string, () => unknown>
}

export function statusRoute(sources: StatusSources): PathRoute {
  const startedAt = new Date().toISOString()
  return {
    prefix: statusPath,
    async handle(request): Promise<RestReply> {
      if (request.path !== statusPath) return { status: 404 }
      if (request.method !== 'GET') return { status: 405, headers: { Allow: 'GET' } }
      const { config } = sources
      const status: Record<string, unknown> = {
        version, pid: process.pid, startedAt, url: sources.url(),
        ...storageStatus(config),
        defaultRegion: config.defaultRegion, sharedRegions: config.sharedRegions,
        regions: await Promise.all(sources.regions.list().map((region) => regionStatus(region, sources))),
      }
      for (const [name, section] of sources.extraSections) status[name] = section()
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(status) }
    },
  }
}

/** `storage` says where the data lives; `dataDir` and `inMemory` stay for readers of the older fields. */
function storageStatus(config: Config): Record<string, unknown> {
  const storage = storageInUse(config)
  return { storage, dataDir: storage.kind === 'sqlite' ? storage.dataDir : null, inMemory: storage.kind === 'memory' }
}

async function regionStatus(region: RegionContext, sources: StatusSources): Promise<Record<string, unknown>> {
  const tables = []
  for (const name of region.catalog.names()) {
    const record = region.catalog.record(name)
    if (!record) continue
    const description = record.description
    const stats = await region.catalog.describedStats(record)
    tables.push({
      name,
      status: description.TableStatus,
      itemCount: stats.table.count,
      sizeBytes: stats.table.bytes,
      stream: description.StreamSpecification?.StreamEnabled ? { arn: description.LatestStreamArn, viewType: description.StreamSpecification.StreamViewType } : null,
      globalIndexes: (description.GlobalSecondaryIndexes ?? []).map((index) => {
        const walked = region.catalog.backfillItemsWalked(name, index.IndexName)
        return {
          name: index.IndexName,
          status: index.IndexStatus,
          ...(walked !== undefined ? { backfill: { itemsWalked: walked, itemCount: stats.table.count } } : {}),
        }
      }),
    })
  }
  const daxClusters = [...sources.daxClusters.clusters(region.region).values()].map((cluster) => ({
    name: cluster.name, status: cluster.status, nodes: cluster.nodes.length,
  }))
  // Each account has its own namespaces (docs/security.md): a region name alone can appear twice.
  return { name: region.region, account: region.accountId, tables, mappings: await sources.triggers.statusOf(region), daxClusters }
}
