import { ChecksummedText } from '../../http/reply.js'
import { responseText } from '../../api/json-text.js'

/**
 * A reply held in the cache. The output object is shared by every hit, and its JSON text and the
 * text's CRC32 are made once, on the first hit that needs them, so an HTTP hit is neither
 * serialized nor checksummed again. Callers must treat `output` as read-only: it is the cached
 * value itself.
 */
export class CachedReply {
  #json: ChecksummedText | undefined

  constructor(readonly output: Record<string, any>) {}

  get json(): ChecksummedText {
    return (this.#json ??= new ChecksummedText(responseText(this.output)))
  }
}

/** What the executor's operation handlers return: a fresh output or a cached reply. */
export type Reply = Record<string, any> | CachedReply

export function replyOutput(reply: Reply): Record<string, any> {
  return reply instanceof CachedReply ? reply.output : reply
}

export function replyJson(reply: Reply): string | ChecksummedText {
  return reply instanceof CachedReply ? reply.json : responseText(reply)
}
