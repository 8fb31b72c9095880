/**
 * The DAX-compatible tier's public API. The SDK middleware lives in './middleware.js' (it needs
 * @aws-sdk/client-dynamodb, which the server itself does not).
 */
export type {
  DaxCacheSettings, DaxEndpoint, DaxNodeOptions, DynamoDbExecutor, RunningDaxNode, StartDaxNode,
} from './node-api.js'
export { CachingExecutor, type CachingExecutorOptions } from './cache/caching-executor.js'
export { defaultDaxCacheSettings, resolveCacheSettings, daxTtlMillisDefault } from './cache/settings.js'
export { prometheusText } from './cache/metrics.js'
export { startDaxNode, noWireListener } from './node.js'
export { createDaxHttpServer, daxDispatch } from './http/endpoint.js'
export { createHttpUpstream, type HttpUpstream, type HttpUpstreamOptions } from './upstream/http.js'
export { createInProcessUpstream, type InProcessUpstreamOptions } from './upstream/in-process.js'
export { signRequest, type AwsCredentials } from './upstream/sigv4.js'
export { UpstreamError } from './upstream/upstream-error.js'
