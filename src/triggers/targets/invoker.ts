/**
 * What running a function looks like to the delivery code, whatever the target kind: an event in,
 * the function's response (any JSON) or a function error out. Invokers never throw for function
 * failures; a crash, a hang past the timeout or a bad reply is a function error.
 */
export type InvokeResult =
  | { ok: true; response: unknown }
  | { ok: false; errorType: string; errorMessage: string; trace?: string[] }

export interface InvokeContext {
  requestId: string
  functionArn: string
}

export interface Invoker {
  invoke(event: unknown, context: InvokeContext): Promise<InvokeResult>
  /** Stops any worker or process still running. */
  close(): Promise<void>
}

/** Lambda's payload cap for a synchronous response, also used for replies read from targets. */
export const responseBytesMax = 6 * 1024 * 1024

export function timedOut(timeoutMs: number): InvokeResult {
  return { ok: false, errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` }
}

/** Parses a reply body: empty means a null response. */
export function parseResponse(text: string): InvokeResult {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: true, response: null }
  try {
    return { ok: true, response: JSON.parse(trimmed) }
  } catch {
    return { ok: false, errorType: 'Runtime.InvalidResponse', errorMessage: 'The function returned a response that is not JSON' }
  }
}
