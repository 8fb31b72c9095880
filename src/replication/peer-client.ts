/**
 * A region served by another EddyDB (--peer REGION=URL), reached over its replication route.
 * Errors the peer answers with keep their DynamoDB type; an unreachable peer is a PeerUnreachable
 * error, which the replicator retries and an operation reports as an internal error.
 */
import { DynamoError } from '../errors.js'
import type { TableRecord } from '../tables/record.js'
import type { PeerAuth } from './peer-auth.js'
import { replicationPath, type PeerRequest } from './peer-protocol.js'
import type { ReplicaRegion } from './replica-region.js'
import type { ReplicatedChange } from './replicated-change.js'
import type { ReplicationRecord } from './replica-set.js'
import type { SettingsMessage } from './settings-delivery.js'

/** An error a peer answered with, under its own DynamoDB type. */
export class PeerAnsweredError extends DynamoError {
  readonly type: string
  constructor(type: string, message: string) {
    super(message)
    this.type = type
  }
}

export class PeerUnreachable extends DynamoError {
  readonly type = 'InternalServerError'
  override readonly statusCode = 500
  override readonly fault = 'server'
}

/** How long one request to a peer may take before it counts as unreachable. */
const requestTimeoutMs = 10_000

export class PeerReplicaRegion implements ReplicaRegion {
  readonly name: string
  readonly #url: string
  readonly #auth: PeerAuth

  constructor(name: string, url: string, auth: PeerAuth) {
    this.name = name
    this.#url = url.replace(/\/+$/, '')
    this.#auth = auth
  }

  async #send<T>(request: PeerRequest): Promise<T> {
    const body = JSON.stringify(request)
    let response: Response
    try {
      const url = `${this.#url}${replicationPath}`
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...this.#auth.sign(body, url, this.name) },
        body,
        signal: AbortSignal.timeout(requestTimeoutMs),
      })
    } catch (error) {
      throw new PeerUnreachable(`region ${this.name} at ${this.#url} is unreachable: ${(error as Error).message}`)
    }
    const text = await response.text().catch(() => '')
    let parsed: any
    try {
      parsed = text ? JSON.parse(text) : {}
    } catch {
      throw new PeerUnreachable(`region ${this.name} at ${this.#url} answered ${response.status} with a body that is not JSON`)
    }
    if (response.ok) return parsed.result as T
    const type = String(parsed.__type ?? 'InternalServerError').split('#').pop()!
    throw new PeerAnsweredError(type, String(parsed.message ?? `region ${this.name} answered ${response.status}`))
  }

  createReplica(source: TableRecord, replication: ReplicationRecord): Promise<void> {
    return this.#send({ action: 'createReplica', region: this.name, source, replication })
  }

  setGroup(tableName: string, replication: ReplicationRecord | undefined): Promise<void> {
    return this.#send({ action: 'setGroup', region: this.name, tableName, ...(replication ? { replication } : {}) })
  }

  deleteReplica(tableName: string): Promise<void> {
    return this.#send({ action: 'deleteReplica', region: this.name, tableName })
  }

  applyChanges(tableName: string, changes: ReplicatedChange[]): Promise<number> {
    return this.#send({ action: 'applyChanges', region: this.name, tableName, changes })
  }

  applySettings(tableName: string, message: SettingsMessage): Promise<void> {
    return this.#send({ action: 'applySettings', region: this.name, tableName, message })
  }

  itemCount(tableName: string): Promise<number> {
    return this.#send({ action: 'itemCount', region: this.name, tableName })
  }

  replicationPending(tableName: string, target: string): Promise<boolean> {
    return this.#send({ action: 'replicationPending', region: this.name, tableName, target })
  }

  async record(tableName: string): Promise<TableRecord | undefined> {
    return (await this.#send<TableRecord | null>({ action: 'record', region: this.name, tableName })) ?? undefined
  }
}
