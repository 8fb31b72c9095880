/**
 * A command as a function: the event goes to its stdin as JSON, its stdout is the response, and
 * a non-zero exit (or a kill at the timeout) is a function error. Each invocation is a new process.
 */
import { spawn } from 'node:child_process'
import { eventText } from '../event.js'
import type { FunctionTarget } from '../functions-config.js'
import { parseResponse, responseBytesMax, timedOut, type InvokeContext, type InvokeResult, type Invoker } from './invoker.js'

type CommandFunction = Extract<FunctionTarget, { kind: 'command' }>

/** How much of stderr a function error quotes. */
const stderrQuoteChars = 2000

export class CommandInvoker implements Invoker {
  readonly #target: CommandFunction
  readonly #running = new Set<ReturnType<typeof spawn>>()

  readonly #runtimeEnvironment: Record<string, string>

  constructor(target: CommandFunction, runtimeEnvironment: Record<string, string> = {}) {
    this.#target = target
    this.#runtimeEnvironment = runtimeEnvironment
  }

  invoke(event: unknown, context: InvokeContext): Promise<InvokeResult> {
    const { command, cwd, environment, timeoutMs, name } = this.#target
    return new Promise((resolve) => {
      const child = spawn(command[0]!, command.slice(1), {
        cwd,
        env: { ...process.env, ...this.#runtimeEnvironment, ...environment, AWS_LAMBDA_FUNCTION_NAME: name, AWS_REQUEST_ID: context.requestId },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      this.#running.add(child)
      let stdout = ''
      let stderr = ''
      let outcome: InvokeResult | undefined
      const timer = setTimeout(() => { outcome = timedOut(timeoutMs); child.kill('SIGKILL') }, timeoutMs)
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        if (stdout.length > responseBytesMax) {
          outcome ??= { ok: false, errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size' }
          child.kill('SIGKILL')
        }
      })
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-stderrQuoteChars) })
      child.stdin.on('error', () => { /* the command may exit without reading its input */ })
      child.stdin.end(eventText(event))
      child.on('error', (error) => { outcome ??= { ok: false, errorType: 'Runtime.InvalidEntrypoint', errorMessage: error.message } })
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        this.#running.delete(child)
        if (outcome) return resolve(outcome)
        if (code !== 0) {
          return resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `${command.join(' ')} exited with ${code ?? signal}: ${stderr.trim()}` })
        }
        resolve(parseResponse(stdout))
      })
    })
  }

  async close(): Promise<void> {
    for (const child of this.#running) child.kill('SIGKILL')
  }
}
