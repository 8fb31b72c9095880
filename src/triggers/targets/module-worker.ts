/**
 * Runs inside a worker thread: loads one handler module and answers invocations posted by
 * module-target.ts. A handler may be async, return a value, or take Lambda's callback.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'

interface WorkerSetup {
  modulePath: string
  handler: string
  functionName: string
}

interface InvocationMessage {
  id: number
  event: unknown
  requestId: string
  functionArn: string
  deadlineMs: number
}

type Handler = (event: unknown, context: object, callback?: (error: unknown, result?: unknown) => void) => unknown

const setup = workerData as WorkerSetup
const loaded: Promise<Handler> = import(pathToFileURL(setup.modulePath).href).then((module: Record<string, unknown>) => {
  const handler = module[setup.handler] ?? (module.default as Record<string, unknown> | undefined)?.[setup.handler]
  if (typeof handler !== 'function') throw new Error(`${setup.modulePath} does not export a function named ${setup.handler}`)
  return handler as Handler
})

function lambdaContext(message: InvocationMessage): object {
  return {
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.functionArn,
    memoryLimitInMB: '128',
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${setup.functionName}`,
    logStreamName: 'eddydb',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  }
}

async function run(message: InvocationMessage): Promise<unknown> {
  const handler = await loaded
  const context = lambdaContext(message)
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const returned = handler(message.event, context, (error, result) => (error ? reject(error) : resolve(result)))
      if (returned instanceof Promise) returned.then(resolve, reject)
    })
  }
  return handler(message.event, context)
}

parentPort!.on('message', (message: InvocationMessage) => {
  // The JSON round trip gives the reply a handler would have over the wire (and fails, as a
  // function error, on what JSON cannot carry).
  run(message).then((response) => JSON.parse(JSON.stringify(response ?? null)) as unknown).then(
    (response) => parentPort!.postMessage({ id: message.id, ok: true, response }),
    (error: unknown) => parentPort!.postMessage({
      id: message.id,
      ok: false,
      errorType: error instanceof Error ? error.name : 'Error',
      errorMessage: error instanceof Error ? error.message : String(error),
      // Lambda's error response carries the stack as "trace", one line per entry.
      trace: error instanceof Error && error.stack ? error.stack.split('\n') : undefined,
    }),
  )
})
