/**
 * A real S3 server for the export and import tests: moto_server (Python moto, on this machine's
 * PATH) on a free 127.0.0.1 port, started per test file and stopped by its PID. Everything it
 * holds is in memory, so each test file starts from no buckets.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, connect } from 'node:net'
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
/** How often, and how many times, to look for the port before giving up on moto. */
const portPollMs = 100
const portPollsMax = 300

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

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()))
}

export async function startS3Server(): Promise<S3TestServer> {
  const port = await freePort()
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000) })
  for (let poll = 0; ; poll++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`)
    if (await portAnswers(port)) break
    if (poll >= portPollsMax) {
      child.kill('SIGKILL')
      throw new Error(`moto_server did not listen on ${port}: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, portPollMs))
  }
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
