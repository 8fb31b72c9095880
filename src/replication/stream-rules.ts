/**
 * What UpdateTable may do to a global table's stream: DynamoDB replicates an eventually
 * consistent group through it, so it stays on. A strongly consistent group does not use it.
 */
import { ValidationException } from '../errors.js'
import type { TableRecord } from '../tables/record.js'
import { isStrong } from './replica-set.js'

export function checkGlobalTableStream(record: TableRecord, stream: { StreamEnabled?: boolean } | undefined): void {
  if (record.replication && !isStrong(record.replication) && stream && !stream.StreamEnabled) {
    throw new ValidationException('One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.')
  }
}
