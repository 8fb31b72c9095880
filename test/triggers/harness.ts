/**
 * A server with stream triggers for the trigger tests, built from the same parts src/server.ts
 * wires (so these tests do not depend on how the lead registers triggers there), plus a
 * "collector": an HTTP server every test function reports its events to and takes its reply from,
 * so a test scripts what the function answers and sees what it was sent.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient, CreateTableCommand, type StreamViewType } from '@aws-sdk/client-dynamodb'
import { KinesisClient } from '@aws-sdk/client-kinesis'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { systemClock } from '../../src/api/context.js'
import { createDispatcher } from '../../src/api/dispatch.js'
import { dynamoDbOperations } from '../../src/api/operations.js'
import { defaultConfig, type Config } from '../../src/config.js'
import { createHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/log.js'
import { kinesisOperations, kinesisTargetPrefix } from '../../src/kinesis/operations.js'
import { dynamoDbStreamsOperations } from '../../src/streams/operations.js'
import { Regions } from '../../src/regions.js'
import { Triggers } from '../../src/triggers/service.js'
import { testStorageUrl } from '../helpers/server.js'
import type { TriggerOptions } from '../../src/triggers/runner.js'

export const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }

export interface TriggerServer {
  url: string
  dynamo: DynamoDBClient
  lambda: LambdaClient
  /** Over HTTP/1.1: the harness serves no h2c. */
  kinesis: KinesisClient
  close(): Promise<void>
}

export async function startTriggerServer(functions: Record<string, unknown>, options: Partial<TriggerOptions> = {}): Promise<TriggerServer> {
  const config: Config = { ...defaultConfig, port: 0, inMemory: true, logLevel: 'silent', functions, storageUrl: await testStorageUrl() }
  const log = createLogger(config.logLevel)
  const triggers = new Triggers({ retryDelayMsMin: 5, retryDelayMsMax: 20, ...options })
  const regions = new Regions({ config, clock: systemClock, log, backgroundServices: [triggers.backgroundService] })
  await regions.get(config.defaultRegion)
  const dispatch = createDispatcher({
    services: { DynamoDB_20120810: dynamoDbOperations, DynamoDBStreams_20120810: dynamoDbStreamsOperations, [kinesisTargetPrefix]: kinesisOperations },
    regions, defaultRegion: config.defaultRegion,
  })
  const http = createHttpServer({ dispatch, routes: triggers.routes(regions, config.defaultRegion), log, healthText: 'healthy' })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const dynamo = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 })
  const lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 })
  const kinesis = new KinesisClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() })
  return {
    url, dynamo, lambda, kinesis,
    async close() {
      dynamo.destroy()
      lambda.destroy()
      kinesis.destroy()
      const closed = new Promise<void>((resolve) => http.close(() => resolve()))
      http.closeAllConnections()
      await closed
      await regions.close()
    },
  }
}

/** Creates a table keyed by pk (S) with a stream; returns its LatestStreamArn. */
export async function createStreamTable(dynamo: DynamoDBClient, name: string, viewType: StreamViewType = 'NEW_AND_OLD_IMAGES'): Promise<string> {
  const created = await dynamo.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
  }))
  return created.TableDescription!.LatestStreamArn!
}

export interface LambdaEvent {
  Records: Array<{
    eventID: string
    eventName: string
    eventVersion: string
    eventSource: string
    awsRegion: string
    eventSourceARN: string
    userIdentity?: { type: string; principalId: string }
    dynamodb: { Keys: Record<string, { S?: string }>; NewImage?: Record<string, { S?: string; N?: string }>; OldImage?: Record<string, unknown>; SequenceNumber: string; SizeBytes: number; StreamViewType: string; ApproximateCreationDateTime: number }
  }>
}

export interface CollectedCall {
  /** Which function called (the path the function posted to). */
  functionName: string
  event: LambdaEvent
  /** The event as the function received it. */
  text: string
}

/** What the collector answers a call: an HTTP status (non-2xx = function error) and a JSON body. */
export type Responder = (call: CollectedCall) => { status: number; body?: unknown }

export class Collector {
  readonly calls: CollectedCall[] = []
  respond: Responder = () => ({ status: 200, body: null })
  readonly #server: Server
  url = ''

  constructor() {
    this.#server = createServer((req, res) => {
      let text = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => { text += chunk })
      req.on('end', () => {
        const call: CollectedCall = { functionName: (req.url ?? '/').slice(1), event: JSON.parse(text) as LambdaEvent, text }
        this.calls.push(call)
        const { status, body } = this.respond(call)
        res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body))
      })
    })
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  callsOf(functionName: string): CollectedCall[] {
    return this.calls.filter((call) => call.functionName === functionName)
  }

  /** Every record delivered to a function, in delivery order. */
  recordsOf(functionName: string): LambdaEvent['Records'] {
    return this.callsOf(functionName).flatMap((call) => call.event.Records)
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

/**
 * Polls until `check` returns true. The cap only turns a lost event into a failure instead of a
 * hang: it is far beyond what any healthy run needs, even on a loaded machine.
 */
export async function eventually(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const deadline = Date.now() + eventWaitMsMax
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${eventWaitMsMax} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const eventWaitMsMax = 60_000

/** A scratch directory with the handler files the tests use. */
export function handlerFiles(): { dir: string; module: string; command: string; crash: string; hang: string } {
  const dir = mkdtempSync(join(tmpdir(), 'eddydb-triggers-'))
  const forward = `
    const reply = await fetch(process.env.COLLECTOR_URL + '/' + process.env.AWS_LAMBDA_FUNCTION_NAME, { method: 'POST', body: JSON.stringify(event) })
    const text = await reply.text()
    if (!reply.ok) throw new Error('collector answered ' + reply.status)
    return text === '' ? null : JSON.parse(text)`
  writeFileSync(join(dir, 'forward.mjs'), `export const handler = async (event) => {${forward}\n}\n`)
  writeFileSync(join(dir, 'command.mjs'), `
    let input = ''
    process.stdin.setEncoding('utf8')
    for await (const chunk of process.stdin) input += chunk
    const run = async (event) => {${forward}\n}
    run(JSON.parse(input)).then((response) => process.stdout.write(JSON.stringify(response)), (error) => { process.stderr.write(String(error)); process.exit(1) })
  `)
  writeFileSync(join(dir, 'crash.mjs'), `export const handler = async () => { process.exit(3) }\n`)
  writeFileSync(join(dir, 'hang.mjs'), `export const handler = () => { for (;;) {} }\n`)
  return { dir, module: join(dir, 'forward.mjs'), command: join(dir, 'command.mjs'), crash: join(dir, 'crash.mjs'), hang: join(dir, 'hang.mjs') }
}
