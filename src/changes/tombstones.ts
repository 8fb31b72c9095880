/**
 * A global table's delete of an item its region did not hold (yet) is logged as a REMOVE without
 * an old image (items/write-item.ts): it carries the delete's version to the other replicas, which
 * may hold the item, and changes nothing here. Readers of item changes (Streams, Kinesis
 * destinations, triggers, incremental exports) skip it, as DynamoDB's stream shows nothing for a
 * delete that found no item; replication and point-in-time history read it like any change.
 */
import type { ChangeRecord } from '../storage/engine.js'

export function isTombstoneOnly(change: ChangeRecord): boolean {
  return change.eventName === 'REMOVE' && change.oldImageJson === undefined
}
