/** What the caching executor's operation handlers share. */
import type { Logger } from '../../log.js'
import type { DynamoDbExecutor } from '../node-api.js'
import type { CacheStore } from './cache-store.js'
import type { KeySchemas } from './key-schemas.js'
import type { DaxMetrics } from './metrics.js'

export interface CacheContext {
  store: CacheStore
  upstream: DynamoDbExecutor
  metrics: DaxMetrics
  keySchemas: KeySchemas
  log?: Logger
}
