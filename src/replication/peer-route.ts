/**
 * The server side of peer-client.ts: POST /_eddydb/replication, answered for a region this
 * server serves itself. Errors go back as DynamoDB error bodies, so the caller keeps their type.
 */
import { DynamoError, ValidationException } from '../errors.js'
import type { PathRoute, RestReply } from '../http/server.js'
import type { GlobalTables } from './global-tables.js'
import { replicationPath, type PeerRequest } from './peer-protocol.js'
import { checkSettingsMessage } from './settings-delivery.js'

function reply(status: number, body: unknown): RestReply {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
}

export function replicationRoute(globalTables: GlobalTables): PathRoute {
  return {
    prefix: replicationPath,
    async handle(request): Promise<RestReply> {
      if (request.path !== replicationPath) return { status: 404 }
      if (request.method !== 'POST') return { status: 405, headers: { Allow: 'POST' } }
      if (!globalTables.auth.verify(request.headers, request.body)) {
        return reply(403, { __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: 'peer not authorized' })
      }
      let peerRequest: PeerRequest
      try {
        peerRequest = JSON.parse(request.body) as PeerRequest
      } catch {
        return reply(400, { __type: 'com.amazon.coral.service#SerializationException', message: 'body is not JSON' })
      }
      if (globalTables.isPeer(peerRequest.region)) {
        return reply(400, { __type: 'com.amazon.coral.validate#ValidationException', message: `region ${peerRequest.region} is not served here` })
      }
      try {
        return reply(200, { result: (await serve(globalTables, peerRequest)) ?? null })
      } catch (error) {
        if (error instanceof DynamoError) return reply(error.statusCode, error.toWire())
        throw error
      }
    },
  }
}

function serve(globalTables: GlobalTables, request: PeerRequest): Promise<unknown> {
  const region = globalTables.local(request.region)
  switch (request.action) {
    case 'createReplica': return region.createReplica(request.source, request.replication)
    case 'setGroup': return region.setGroup(request.tableName, request.replication)
    case 'deleteReplica': return region.deleteReplica(request.tableName)
    case 'applyChanges': return region.applyChanges(request.tableName, request.changes)
    case 'record': return region.record(request.tableName)
    case 'itemCount': return region.itemCount(request.tableName)
    case 'replicationPending': return region.replicationPending(request.tableName, request.target)
    case 'applySettings':
      checkSettingsMessage(request.message)
      return region.applySettings(request.tableName, request.message)
    default:
      // A peer of another version asking for something this one does not do must not read as done.
      throw new ValidationException(`unknown replication action: ${String((request as { action?: unknown }).action)}`)
  }
}
