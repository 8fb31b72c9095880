/**
 * The DynamoDB JSON API (1.0) served through a DAX node's cache, so any SDK gets DAX semantics by
 * changing only its endpoint (spec A11.1b). It reuses EddyDB's HTTP front door, so the body cap,
 * gzip, CRC32 and error replies are the same as on the main port; the dispatch runs DynamoDB's
 * request validation, then the caching executor. GET /metrics and /stats report the node's metrics.
 */
import type { Server } from 'node:http'
import { UnknownOperationException } from '../../errors.js'
import { authenticateLargeBody, parseBody, requireObjectInput } from '../../api/dispatch.js'
import { responseText } from '../../api/json-text.js'
import { operationNamed } from '../../api/operation.js'
import { dynamoDbOperations } from '../../api/operations.js'
import { createAuthenticator, type Authenticator } from '../../http/auth.js'
import { authorizeDax, defaultClusterArn } from '../../security/dax-authorize.js'
import { createHttpServer, type ApiRequest, type Dispatch, type PathRoute } from '../../http/server.js'
import type { Logger } from '../../log.js'
import type { ChecksummedText } from '../../http/reply.js'
import { prometheusText } from '../cache/metrics.js'
import type { DynamoDbExecutor } from '../node-api.js'

const dynamoDbTargetPrefix = 'DynamoDB_20120810.'
const getItemTarget = `${dynamoDbTargetPrefix}GetItem`

/**
 * An executor that may answer with JSON text directly (the caching executor does, for hits), and
 * may answer a GetItem it has answered before by the request's text alone (repeated-get-items.ts).
 */
export interface JsonExecutor extends DynamoDbExecutor {
  executeJson?(operation: string, input: Record<string, any>, requestText: string): Promise<string | ChecksummedText>
  repeatedGetItemTable?(requestText: string): string | undefined
  answerRepeatedGetItem?(requestText: string): ChecksummedText | undefined
}

export interface DaxHttpEndpointOptions {
  executor: JsonExecutor
  stats(): Record<string, number>
  /** Labels on every Prometheus metric, e.g. { cluster: 'local', node: 'local-a' }. */
  metricLabels: Record<string, string>
  /** The region named in the health line. */
  region: string
  log: Logger
  /** Who may call; default: any well-signed request. */
  authenticator?: Authenticator
  /** The resource of the callers' dax: policy checks (default: a cluster named local in us-east-1). */
  clusterArn?: string
  /** Host names answered besides localhost and loopback addresses when listening on loopback. */
  allowedHosts?: readonly string[]
}

export function createDaxHttpServer(options: DaxHttpEndpointOptions): Server {
  return createHttpServer({
    dispatch: daxDispatch(options.executor, options.region, options.authenticator, options.clusterArn),
    routes: metricsRoutes(options),
    log: options.log,
    healthText: `healthy: dax.${options.region}.amazonaws.com `,
    allowedHosts: options.allowedHosts,
  })
}

/**
 * The JSON-RPC pipeline in DynamoDB's order: JSON body, target, signature, validation, then the
 * caller's policies (every operation is `dax:<Operation>` on the cluster's ARN), then run.
 */
export function daxDispatch(executor: JsonExecutor, defaultRegion: string,
  authenticator = createAuthenticator({ defaultRegion, accountId: '', now: Date.now }),
  clusterArn = defaultClusterArn()): Dispatch {
  const run = executor.executeJson
    ? (operation: string, input: Record<string, any>, text: string) => executor.executeJson!(operation, input, text)
    : async (operation: string, input: Record<string, any>) => responseText(await executor.execute(operation, input))
  return async (request: ApiRequest): Promise<string | ChecksummedText> => {
    // A GetItem whose text was answered from the cache before: the same text parses and
    // validates the same way, so only the caller is checked again, in the same order.
    const largeBodyCaller = authenticateLargeBody(request, authenticator, 'dynamodb')
    const body = request.body.text()
    if (request.target === getItemTarget) {
      const tableName = executor.repeatedGetItemTable?.(body)
      if (tableName !== undefined) {
        authorizeDax(largeBodyCaller ?? authenticator.authenticate(request.signed, 'dynamodb'), 'GetItem', { TableName: tableName }, clusterArn)
        const reply = executor.answerRepeatedGetItem!(body)
        if (reply !== undefined) return reply
      }
    }
    const input = parseBody(body)
    if (!request.target.startsWith(dynamoDbTargetPrefix) || request.target.length === dynamoDbTargetPrefix.length) {
      throw new UnknownOperationException()
    }
    const operation = request.target.slice(dynamoDbTargetPrefix.length)
    const caller = largeBodyCaller ?? authenticator.authenticate(request.signed, 'dynamodb')
    requireObjectInput(body, input)
    // Validation only: the executor runs the operation (or answers from the cache).
    operationNamed(dynamoDbOperations, operation)?.accept(input)
    authorizeDax(caller, operation, input, clusterArn)
    return run(operation, input, body)
  }
}

function metricsRoutes(options: DaxHttpEndpointOptions): PathRoute[] {
  return [
    {
      prefix: '/metrics',
      handle: async () => ({
        status: 200,
        headers: { 'Content-Type': 'text/plain; version=0.0.4' },
        body: prometheusText(options.stats(), options.metricLabels),
      }),
    },
    {
      prefix: '/stats',
      handle: async () => ({ status: 200, body: JSON.stringify(options.stats()) }),
    },
  ]
}
