/**
 * A real S3 server for the export and import tests: moto_server (Python moto, on this machine's
 * PATH) on a free 127.0.0.1 port, started per test file and stopped by its PID. Everything it
 * holds is in memory, so each test file starts from no buckets.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { S3Client } from '@aws-sdk/client-s3'

export interface S3TestServer {
  endpoint: string
  /** Server settings that point EddyDB at this S3 (pass them to startTestServer). */
  settings: { s3Endpoint: string; s3AccessKeyId: string; s3SecretAccessKey: string; s3Region: string }
  /** An S3 client of its own, for tests to create buckets and read what an export wrote. */
  client: S3Client
  close(): Promise<void>
}

const credentials = { accessKeyId: 'AKIDS3TEST', secretAccessKey: 's3secret' }
/** How often, and how many times, to look for moto's listening line before giving up on it. */
const startPollMs = 100
const startPollsMax = 300
/** Ports tried: another process (a server another test file starts) may take the free port first. */
const portAttemptsMax = 5

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()))
}

export async function startS3Server(): Promise<S3TestServer> {
  for (let attempt = 1; ; attempt++) {
    const started = await startMoto(await freePort())
    if (started.listening) return s3TestServer(started.child, started.port)
    if (attempt >= portAttemptsMax) throw new Error(`moto_server could not listen: ${started.stderr}`)
  }
}

/**
 * Starts moto on `port` and waits for the line it prints once it holds the port ("Running on
 * http://127.0.0.1:PORT"). A port that merely answers is not enough: between freePort() and
 * moto's bind another process (a server another test file starts on port 0) may take it, and
 * moto then exits while the port answers for the other one: the likely cause of an S3 test's
 * "socket hang up" in one CI run.
 */
async function startMoto(port: number): Promise<{ child: ChildProcess; port: number; listening: boolean; stderr: string }> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000) })
  for (let poll = 0; poll < startPollsMax; poll++) {
    if (stderr.includes(`Running on http://127.0.0.1:${port}`)) return { child, port, listening: true, stderr }
    if (child.exitCode !== null || child.signalCode !== null) return { child, port, listening: false, stderr }
    await new Promise((resolve) => setTimeout(resolve, startPollMs))
  }
  child.kill('SIGKILL')
  await exited(child)
  throw new Error(`moto_server did not listen on ${port}: ${stderr}`)
}

function s3TestServer(child: ChildProcess, port: number): S3TestServer {
  const endpoint = `http://127.0.0.1:${port}`
  const client = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true })
  return {
    endpoint,
    settings: { s3Endpoint: endpoint, s3AccessKeyId: credentials.accessKeyId, s3SecretAccessKey: credentials.secretAccessKey, s3Region: 'us-east-1' },
    client,
    async close() {
      client.destroy()
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM')
      await exited(child)
    },
  }
}
