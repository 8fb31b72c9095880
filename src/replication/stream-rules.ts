/** What UpdateTable may do to a global table's stream: replication needs it, so it stays on. */
import { ValidationException } from '../errors.js'
import type { TableRecord } from '../tables/record.js'

export function checkGlobalTableStream(record: TableRecord, stream: { StreamEnabled?: boolean } | undefined): void {
  if (record.replication && stream && !stream.StreamEnabled) {
    throw new ValidationException('One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.')
  }
}
