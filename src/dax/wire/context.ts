/** What every DAX method handler is given: one server's shared parts. */
import type { DaxEndpoint, DynamoDbExecutor } from '../node-api.js'
import type { Logger } from '../../log.js'
import type { AttributeListRegistry } from './attribute-lists.js'
import type { CborValue } from './cbor.js'
import type { TableSchemas } from './table-schemas.js'

export interface WireContext {
  executor: DynamoDbExecutor
  schemas: TableSchemas
  registry: AttributeListRegistry
  endpoints(): DaxEndpoint[]
  log: Logger
  /** The node's cluster: the resource of the callers' dax: policy checks. */
  clusterArn: string
  /**
   * Throws AccessDeniedException unless the connection's caller may make a metadata call, named
   * as AWS DAX names it (Endpoints, DefineKeySchema, ...). Data calls are checked by the executor.
   */
  authorizeMetadata(call: string): void
}

/**
 * A method's handler: decoded argument items in, the payload items of a success response out
 * (each already CBOR-encoded). Errors are thrown and become the three-item error response.
 */
export type MethodHandler = (context: WireContext, args: CborValue[]) => Promise<Buffer[]>

export interface MethodDefinition {
  name: string
  /** How many argument items follow the method id: the request has no other framing. */
  arity: number
  handle: MethodHandler
}
