/**
 * Test-only stand-in for the DAX node's caching executor: it forwards every operation straight
 * to an in-process EddyDB (validation, then the operation's handler), as the real executor
 * does on a cache miss. The wire tests need nothing more, and DescribeTable passes through.
 */
import { JsonText } from '../../src/api/json-text.js'
import { operationNamed } from '../../src/api/operation.js'
import { dynamoDbOperations } from '../../src/api/operations.js'
import { startServer, type RunningServer } from '../../src/server.js'
import type { DynamoDbExecutor } from '../../src/dax/node-api.js'

export interface StandIn {
  server: RunningServer
  executor: DynamoDbExecutor
  /** Every operation name the executor was asked to run, in order. */
  calls: string[]
}

export async function startStandIn(): Promise<StandIn> {
  const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const calls: string[] = []
  const executor: DynamoDbExecutor = {
    async execute(operation, input) {
      calls.push(operation)
      const entry = operationNamed(dynamoDbOperations, operation)
      if (!entry) throw new Error(`stand-in has no operation ${operation}`)
      // A JSON round trip, as over HTTP: the wire server must not depend on shared objects.
      const body = JSON.parse(JSON.stringify(input)) as Record<string, unknown>
      const accepted = entry.accept(body)
      const region = await server.regions.get('us-east-1')
      const output = await accepted({ ...region, requestId: 'stand-in' })
      return JSON.parse(output instanceof JsonText ? output.text : JSON.stringify(output)) as Record<string, any>
    },
  }
  return { server, executor, calls }
}
