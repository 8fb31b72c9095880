/**
 * A change that decided on a table's record as it read it, and finds, in the transaction that
 * would store its result, that the record has changed since in a way that decision rests on.
 * Nothing is stored: the change throws RecordChangedMeanwhile from its catalog.update draft and
 * runs again from the top on the record as it now is (decision 10 in docs/architecture.md).
 */
import { ResourceInUseException } from '../errors.js'

export class RecordChangedMeanwhile extends Error {}

/** Runs of a change whose table keeps changing under it; then it answers as for a table being updated. */
const runsMax = 4

export async function rerunWhileChanged<T>(tableName: string, run: (again: boolean) => Promise<T>): Promise<T> {
  for (let runs = 1; ; runs++) {
    try {
      return await run(runs > 1)
    } catch (error) {
      if (!(error instanceof RecordChangedMeanwhile)) throw error
      if (runs >= runsMax) {
        throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being updated: ${tableName}`)
      }
    }
  }
}
