/**
 * The import parser's thread (see parser-thread.ts): one ObjectParser per object, fed the
 * object's decompressed chunks in order, answering each with the rows it completed.
 */
import { parentPort } from 'node:worker_threads'
import { ObjectParser, type ObjectParserSettings } from './object-parser.js'
import type { ParserReply, ParserRequest } from './parser-thread.js'

let parser: ObjectParser | undefined

function handled(request: ParserRequest): ParserReply {
  if (request.kind === 'object') {
    parser = new ObjectParser(request.settings as ObjectParserSettings)
    return { kind: 'started' }
  }
  if (!parser) throw new Error('a chunk came before its object')
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength)
  return { kind: 'parsed', parsed: request.kind === 'chunk' ? parser.push(bytes) : parser.end() }
}

parentPort!.on('message', (request: ParserRequest) => {
  let reply: ParserReply
  try {
    reply = handled(request)
  } catch (error) {
    // Not a bad line (those come back as ParsedLines.error) but a fault: the import fails.
    reply = { kind: 'fault', message: String((error as Error)?.stack ?? error) }
  }
  parentPort!.postMessage(reply)
})
