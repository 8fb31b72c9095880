/**
 * A server-wide bound on the request body bytes held in memory: received and not yet answered.
 * Each connection's body is capped (16 MB), but a client opening hundreds of connections and
 * never finishing their bodies made the server hold them all (300 connections, 4.6 GB). Past
 * the budget a body's further bytes are read and dropped instead of kept, and the request is
 * answered 503 ServiceUnavailable (the answer of --max-connections too, which the SDKs retry)
 * with the connection closed. node:http's bodies and the fast path's (up to 1 MiB) both count.
 */
/** 256 MiB: sixteen maximal bodies, or hundreds of ordinary batches, being received at once. */
export const bodyBudgetBytesDefault = 256 * 1024 * 1024

export class BodyBudget {
  readonly bytesMax: number
  #heldBytes = 0

  constructor(bytesMax = bodyBudgetBytesDefault) {
    this.bytesMax = bytesMax
  }

  /** Bytes of bodies held now. */
  get heldBytes(): number {
    return this.#heldBytes
  }

  /** Holds `bytes` more if the budget has room (true), or holds nothing (false). */
  take(bytes: number): boolean {
    if (this.#heldBytes + bytes > this.bytesMax) return false
    this.#heldBytes += bytes
    return true
  }

  release(bytes: number): void {
    this.#heldBytes -= bytes
  }
}
