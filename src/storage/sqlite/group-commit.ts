/**
 * Group commit: the transactions that queued up while the previous group ran are run one after
 * another inside ONE SQLite transaction and made durable by one COMMIT. Writing the WAL frames
 * of a commit costs far more than the few row changes of a typical write, and pages touched by
 * every write (the change log's tail, the sequence counters) are written once per group.
 *
 * The promise of each transact() call is unchanged:
 * - Members run one at a time, in arrival order, so each sees the writes of the members before
 *   it, exactly as if they had committed one by one (the order is serializable).
 * - Each member of a larger group runs inside its own SAVEPOINT. When its fn throws, its changes
 *   are rolled back to the savepoint and its error goes to its caller only; the others go on.
 * - Nobody's promise settles before the COMMIT has succeeded, errors included: an error may
 *   depend on the writes of an earlier member, which must be durable before anyone learns of it.
 * - When the group itself fails (BEGIN, COMMIT, or SQLite rolling the whole transaction back
 *   after an I/O error), every member gets that error. A StorageConflict there runs the whole
 *   group again after a pause, as a single transaction would have been run again.
 *
 * The SQL steps are injected (GroupSteps), so the sequencing is tested without SQLite.
 */
import type { Transaction } from '../engine.js'
import { StorageConflict } from '../errors.js'
import { retryOnConflict } from '../retry.js'

/** At most this many transactions share one commit, so one group's latency stays bounded. */
export const transactionGroupSizeMax = 64
export { transactAttemptsMax } from '../retry.js'

/** One queued transact() call. */
export interface GroupMember {
  fn: (tx: Transaction) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/** A Transaction handed to one member, ended when that member's fn has settled. */
export interface MemberTransaction {
  tx: Transaction
  end(): void
}

/** The SQL a group runs. Each step throws a StorageError (or a bug) when SQLite refuses it. */
export interface GroupSteps {
  begin(): void
  /** Commits; must leave reads able to see the commit before it returns. */
  commit(): void
  rollback(): void
  savepoint(): void
  releaseSavepoint(): void
  rollbackToSavepoint(): void
  /** False when SQLite has already rolled the whole transaction back by itself. */
  inTransaction(): boolean
  newTransaction(): MemberTransaction
}

type Outcome = { failed: false; value: unknown } | { failed: true; error: unknown }

/** Runs the group, retrying conflicts, and settles every member's promise. Never throws. */
export async function runTransactionGroup(members: GroupMember[], steps: GroupSteps): Promise<void> {
  let outcomes: Outcome[]
  try {
    // A conflict (another process holds SQLite's write lock) runs the whole group again.
    outcomes = await retryOnConflict(() => runGroupOnce(members, steps))
  } catch (error) {
    for (const member of members) member.reject(error)
    return
  }
  outcomes.forEach((outcome, index) => {
    if (outcome.failed) members[index]!.reject(outcome.error)
    else members[index]!.resolve(outcome.value)
  })
}

/**
 * One attempt: BEGIN, every member, COMMIT. Returns each member's outcome, or throws the error
 * that failed the group as a whole, after rolling back whatever SQLite has not.
 */
async function runGroupOnce(members: GroupMember[], steps: GroupSteps): Promise<Outcome[]> {
  steps.begin()
  try {
    const outcomes: Outcome[] = []
    if (members.length === 1) {
      // Alone, a member needs no savepoint: its failure rolls back the whole transaction.
      const outcome = await runMember(members[0]!, steps)
      outcomes.push(outcome)
      if (outcome.failed) {
        if (steps.inTransaction()) steps.rollback()
        return outcomes
      }
    } else {
      for (const member of members) outcomes.push(await runMemberInSavepoint(member, steps))
    }
    steps.commit()
    return outcomes
  } catch (error) {
    if (steps.inTransaction()) steps.rollback()
    throw error
  }
}

async function runMember(member: GroupMember, steps: GroupSteps): Promise<Outcome> {
  const { tx, end } = steps.newTransaction()
  try {
    return { failed: false, value: await member.fn(tx) }
  } catch (error) {
    // A conflict means the whole group must run again, not just this member.
    if (error instanceof StorageConflict) throw error
    return { failed: true, error }
  } finally {
    end()
  }
}

async function runMemberInSavepoint(member: GroupMember, steps: GroupSteps): Promise<Outcome> {
  steps.savepoint()
  const outcome = await runMember(member, steps)
  if (!steps.inTransaction()) {
    // SQLite gave up the whole transaction (some I/O errors do that): the members before this
    // one lost their writes too, so the group fails with the error that caused it.
    throw outcome.failed ? outcome.error : new StorageConflict('SQLite rolled the transaction back')
  }
  if (outcome.failed) steps.rollbackToSavepoint()
  steps.releaseSavepoint()
  return outcome
}
