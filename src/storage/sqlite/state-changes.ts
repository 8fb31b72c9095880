/**
 * The counts behind StorageEngine.stateChanges on storage that one process owns. A state write
 * counts as it runs, before its transaction commits: the members after it in a group see it, so
 * they must not keep an answer read before it. What a transaction wrote counts once more when it
 * ends, committed or rolled back (settle): after a rollback the namespace is as it was before the
 * write, and an answer read while the write was visible must not outlive it.
 */
export class StateChangeCounts {
  readonly #counts = new Map<string, number>()
  /** Namespaces written since the last settle. */
  readonly #unsettled = new Set<string>()

  of(namespace: string): number {
    return this.#counts.get(namespace) ?? 0
  }

  written(namespace: string): void {
    this.#count(namespace)
    this.#unsettled.add(namespace)
  }

  /** A transaction or savepoint has ended (or a new attempt begins): count its writes again. */
  settle(): void {
    for (const namespace of this.#unsettled) this.#count(namespace)
    this.#unsettled.clear()
  }

  #count(namespace: string): void {
    this.#counts.set(namespace, this.of(namespace) + 1)
  }
}
