/**
 * A server with a credentials file, and requests signed by @smithy/signature-v4 (the signer
 * inside the AWS SDK) for the cases the SDK clients cannot be made to send: another service's
 * scope, presigned query strings, a body changed after signing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash, createHmac } from 'node:crypto'
import assert from 'node:assert/strict'
import { SignatureV4 } from '@smithy/signature-v4'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js'
import { createDatabaseAt } from '../helpers/postgres.js'
import { connect, type Socket } from 'node:net'

export const alice = { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret', accountId: '111122223333' }
export const bob = { accessKeyId: 'AKIDBOB', secretAccessKey: 'bob-secret', accountId: '444455556666' }
/** A key of the server's own account (--account-id) without policies: may call the admin routes. */
export const operator = { accessKeyId: 'AKIDOPERATOR', secretAccessKey: 'operator-secret' }
export const temporary = { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'token-1', accountId: '111122223333' }

export function credentialsFile(keys: Record<string, unknown>): string {
  const directory = mkdtempSync(join(tmpdir(), 'eddydb-credentials-'))
  const path = join(directory, 'credentials.json')
  writeFileSync(path, JSON.stringify({ keys }))
  return path
}

export const standardKeys = {
  [alice.accessKeyId]: { secretAccessKey: alice.secretAccessKey, accountId: alice.accountId },
  [bob.accessKeyId]: { secretAccessKey: bob.secretAccessKey, accountId: bob.accountId },
  [operator.accessKeyId]: { secretAccessKey: operator.secretAccessKey },
  [temporary.accessKeyId]: { secretAccessKey: temporary.secretAccessKey, accountId: temporary.accountId, sessionTokens: [temporary.sessionToken] },
}

let databaseCounter = 0

/** In memory, or in a fresh PostgreSQL database when EDDYDB_TEST_STORAGE_URL is set (test/run-on-postgres.ts). */
export async function startSecureServer(options: StartOptions = {}, keys: Record<string, unknown> = standardKeys): Promise<RunningServer> {
  const postgres = process.env.EDDYDB_TEST_STORAGE_URL
  const storageUrl = postgres ? await createDatabaseAt(postgres, `eddydb_security_${process.pid}_${++databaseCounter}`) : undefined
  return startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', storageUrl, credentials: credentialsFile(keys), ...options })
}

export function clientFor(server: { url: string }, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient {
  return new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1, ...overrides })
}

/**
 * Clients for the keys of a credentials file, made on first use and destroyed together: a policy
 * test's way to act as each key in turn.
 */
export class KeyClients<Keys extends Record<string, { secretAccessKey: string }>> {
  readonly #made: DynamoDBClient[] = []

  constructor(private readonly keys: Keys, private readonly server: () => { url: string }) {}

  client(accessKeyId: keyof Keys & string, overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient {
    const made = clientFor(this.server(), { accessKeyId, secretAccessKey: this.keys[accessKeyId]!.secretAccessKey }, overrides)
    this.#made.push(made)
    return made
  }

  destroy(): void {
    for (const each of this.#made.splice(0)) each.destroy()
  }
}

/** Awaits a request that must be refused with AccessDeniedException (HTTP 400); returns its message. */
export async function expectDenied(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error: any) {
    assert.equal(error.name, 'AccessDeniedException', error.message)
    assert.equal(error.$metadata?.httpStatusCode, 400)
    return error.message
  }
  assert.fail('expected AccessDeniedException')
}

export interface SignedCall {
  endpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  service?: string
  region?: string
  method?: string
  path?: string
  target?: string
  body?: string | Buffer
  /** More headers to sign and send (e.g. Content-Encoding). */
  headers?: Record<string, string>
  /** Presign (signature in the query string) instead of an Authorization header. */
  presign?: boolean
  /** Send this body instead of the signed one. */
  sentBody?: string
  signingDate?: Date
  /** Changes the Authorization header after signing (a hand-made scope, say). */
  rewriteAuthorization?: (authorization: string) => string
  /** Query parameters added to the URL after signing. */
  unsignedQuery?: Record<string, string>
}

export interface Reply {
  status: number
  json: any
  text: string
}

export async function signedCall(call: SignedCall): Promise<Reply> {
  const url = new URL(call.endpoint)
  const signer = new SignatureV4({
    service: call.service ?? 'dynamodb', region: call.region ?? 'us-east-1', credentials: call.credentials, sha256: Sha256,
  })
  const body = call.body ?? '{}'
  const request = {
    method: call.method ?? 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: call.path ?? '/',
    query: {},
    headers: {
      host: url.host, 'content-type': 'application/x-amz-json-1.0',
      ...(call.target ? { 'x-amz-target': `DynamoDB_20120810.${call.target}` } : {}),
      ...call.headers,
    } as Record<string, string>,
    body: call.method === 'GET' ? undefined : body,
  }
  const signed: any = call.presign
    ? await signer.presign(request as any, { signingDate: call.signingDate, expiresIn: 300, unhoistableHeaders: new Set(['x-amz-target', 'content-type']) })
    : await signer.sign(request as any, { signingDate: call.signingDate })
  const query = new URLSearchParams({ ...signed.query as Record<string, string>, ...call.unsignedQuery }).toString()
  const headers = { ...signed.headers } as Record<string, string>
  delete headers.host
  if (call.rewriteAuthorization) headers.authorization = call.rewriteAuthorization(headers.authorization!)
  const reply = await fetch(`${url.origin}${signed.path}${query ? `?${query}` : ''}`, {
    method: signed.method, headers, body: call.method === 'GET' ? undefined : new Uint8Array(Buffer.from(call.sentBody ?? body)),
  })
  const text = await reply.text()
  let json: any
  try { json = JSON.parse(text) } catch { json = undefined }
  return { status: reply.status, json, text }
}

/** node:crypto behind the SDK's hash interface. */
class Sha256 {
  readonly #hash
  constructor(secret?: any) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret)
  }
  update(data: string | Uint8Array): void { this.#hash.update(data) }
  async digest(): Promise<Uint8Array> { return this.#hash.digest() }
}

/** The __type's last part: 'com.amazon.coral.service#UnrecognizedClientException' → 'UnrecognizedClientException'. */
export function errorType(reply: Reply): string {
  return String(reply.json?.__type ?? reply.json?.Type ?? '').split('#').pop()!
}

/** Identity-policy builders for credentials files: `policy(allow(actions, resources), deny(...))`. */
export const policy = (...Statement: object[]) => [{ Version: '2012-10-17', Statement }]
export const allow = (Action: string | string[], Resource: string | string[], Condition?: object) => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) })
export const deny = (Action: string | string[], Resource: string | string[], Condition?: object) => ({ Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) })

/** A raw TCP connection to the server on 127.0.0.1, once connected (its errors are the test's to see in what it reads). */
export async function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await new Promise((resolve) => socket.once('connect', resolve))
  return socket
}
