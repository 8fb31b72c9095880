/**
 * An HTTP webhook as a function: the event is POSTed as JSON; a 2xx reply's JSON body (or an
 * empty body) is the function's response, anything else is a function error.
 */
import { eventText } from '../event.js'
import type { FunctionTarget } from '../functions-config.js'
import { parseResponse, responseBytesMax, timedOut, type InvokeContext, type InvokeResult, type Invoker } from './invoker.js'

type WebhookFunction = Extract<FunctionTarget, { kind: 'webhook' }>

export class WebhookInvoker implements Invoker {
  readonly #target: WebhookFunction

  constructor(target: WebhookFunction) {
    this.#target = target
  }

  async invoke(event: unknown, context: InvokeContext): Promise<InvokeResult> {
    const { url, headers, timeoutMs } = this.#target
    let reply: Response
    let text: string
    try {
      reply = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-amz-request-id': context.requestId, 'x-amz-function-arn': context.functionArn, ...headers },
        body: eventText(event),
        signal: AbortSignal.timeout(timeoutMs),
      })
      text = await reply.text()
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') return timedOut(timeoutMs)
      return { ok: false, errorType: 'WebhookUnreachable', errorMessage: `POST ${url} failed: ${(error as Error).message}` }
    }
    if (reply.status < 200 || reply.status > 299) {
      return { ok: false, errorType: 'WebhookError', errorMessage: `POST ${url} answered HTTP ${reply.status}: ${text.slice(0, 500)}` }
    }
    if (text.length > responseBytesMax) return { ok: false, errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size' }
    return parseResponse(text)
  }

  async close(): Promise<void> {}
}
