/**
 * DAX nodes as a metrics source: each node's own counters (src/dax/cache/metrics.ts, under DAX's
 * CloudWatch names), labelled by region, cluster and node. Nodes come and go with clusters, so
 * they are listed each time metrics are read.
 */
import type { DaxClusters } from '../dax/management/index.js'
import type { RunningDaxNode } from '../dax/node-api.js'
import type { Regions } from '../regions.js'
import type { MetricsSource, SourceSample } from './registry.js'

export const daxSourceName = 'dax'

/** The nodes of clusters created through the DAX management API, in every open region. */
export function daxClusterSource(regions: Regions, clusters: DaxClusters): MetricsSource {
  return {
    name: daxSourceName,
    collect(): SourceSample[] {
      const samples: SourceSample[] = []
      for (const region of regions.list()) {
        for (const cluster of clusters.clusters(region.region).values()) {
          for (const node of cluster.nodes) {
            samples.push({ labels: { region: region.region, cluster: cluster.name, node: node.nodeId }, values: node.running.stats() })
          }
        }
      }
      return samples
    },
  }
}

/** One node started on its own (the `eddydb serve --dax` embedded node). */
export function daxNodeSource(node: RunningDaxNode): MetricsSource {
  const labels = { cluster: node.options.clusterName, node: node.options.nodeId }
  return { name: daxSourceName, collect: () => [{ labels, values: node.stats() }] }
}
