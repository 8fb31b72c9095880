/**
 * A reply held in the cache. The output object is shared by every hit, and its JSON text is
 * made once, on the first hit that needs it, so an HTTP hit is not serialized again.
 * Callers must treat `output` as read-only: it is the cached value itself.
 */
export class CachedReply {
  #json: string | undefined

  constructor(readonly output: Record<string, any>) {}

  get json(): string {
    return (this.#json ??= JSON.stringify(this.output))
  }
}

/** What the executor's operation handlers return: a fresh output or a cached reply. */
export type Reply = Record<string, any> | CachedReply

export function replyOutput(reply: Reply): Record<string, any> {
  return reply instanceof CachedReply ? reply.output : reply
}

export function replyJson(reply: Reply): string {
  return reply instanceof CachedReply ? reply.json : JSON.stringify(reply)
}
