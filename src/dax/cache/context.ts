/** What the caching executor's operation handlers share. */
import type { Logger } from '../../log.js'
import type { DynamoDbExecutor } from '../node-api.js'
import type { CacheStore } from './cache-store.js'
import type { Item } from '../../values/types.js'
import type { KeySchemas } from './key-schemas.js'
import type { DaxMetrics } from './metrics.js'

export interface CacheContext {
  store: CacheStore
  upstream: DynamoDbExecutor
  metrics: DaxMetrics
  keySchemas: KeySchemas
  log?: Logger
  /**
   * Told of each entry a read miss stored (the full item, or undefined: a negative entry) and when
   * the read began, for a cluster's other nodes.
   */
  onFill?: (cacheKey: string, item: Item | undefined, readAtMs: number) => void
}
