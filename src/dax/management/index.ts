/**
 * The one place the management API meets the real DAX node (src/dax/node.ts). The server calls
 * createDaxManagement once, registers `operations` under the target prefix 'AmazonDAXV3', and
 * closes `clusters` on shutdown. Tests build DaxClusters directly with a stand-in StartDaxNode.
 */
import type { ServiceOperations } from '../../api/dispatch.js'
import { importedOnFirstCall } from '../../lazy-require.js'
import { DaxClusters, type DaxClustersOptions } from './clusters.js'
import { daxManagementOperations } from './operations.js'
import { daxDefaultPort } from './ports.js'

/** DAX says replicas trail the primary by "usually < 1 s"; locally a few milliseconds will do. */
export const defaultReplicationLagMs = 10

export type DaxManagementOptions = Omit<DaxClustersOptions, 'startNode' | 'basePort' | 'replicationLagMs'> & {
  basePort?: number
  replicationLagMs?: number
}

export interface DaxManagement {
  clusters: DaxClusters
  operations: ServiceOperations
}

export function createDaxManagement(options: DaxManagementOptions): DaxManagement {
  const clusters = new DaxClusters({
    ...options,
    // The node (cache, wire protocol, TLS) is imported when the first cluster starts one.
    startNode: importedOnFirstCall(async () => (await import('../node.js')).startDaxNode),
    basePort: options.basePort ?? daxDefaultPort,
    replicationLagMs: options.replicationLagMs ?? defaultReplicationLagMs,
  })
  return { clusters, operations: daxManagementOperations(clusters) }
}

export { DaxClusters, daxManagementOperations }
export type { DaxClustersOptions }
