/**
 * The replication route between EddyDB servers: POST /_eddydb/replication with one JSON action.
 * Replicated writes travel as pushed change batches; a batch is idempotent (last writer wins
 * ignores a change applied before), so a sender that lost an answer simply sends it again.
 */
import type { TableRecord } from '../tables/record.js'
import type { ReplicatedChange } from './replicated-change.js'
import type { ReplicationRecord } from './replica-set.js'
import type { SettingsMessage } from './settings-delivery.js'

export const replicationPath = '/_eddydb/replication'

export type PeerRequest =
  | { action: 'createReplica'; region: string; source: TableRecord; replication: ReplicationRecord }
  | { action: 'setGroup'; region: string; tableName: string; replication?: ReplicationRecord }
  | { action: 'deleteReplica'; region: string; tableName: string }
  | { action: 'applyChanges'; region: string; tableName: string; changes: ReplicatedChange[] }
  | { action: 'record'; region: string; tableName: string }
  | { action: 'itemCount'; region: string; tableName: string }
  | { action: 'replicationPending'; region: string; tableName: string; target: string }
  | { action: 'applySettings'; region: string; tableName: string; message: SettingsMessage }
