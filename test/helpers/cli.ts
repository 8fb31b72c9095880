/** Spawning the eddydb CLI for the end-to-end tests, and waiting for its "listening" log line. */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * dist/bundle/main.js, what `npm start` and the eddydb command run (scripts/bundle.mjs), found
 * relative to this compiled helper (dist/test/helpers/cli.js): the end-to-end tests start the
 * server as it ships, its worker threads included.
 */
export const cliPath = fileURLToPath(new URL('../../bundle/main.js', import.meta.url))
export const cliMissingReason = existsSync(cliPath) ? undefined : `the CLI is not built yet (${cliPath} is missing: npm run build)`

const listeningTimeoutMs = 60_000

export interface CliServer {
  process: ChildProcess
  url: string
  /** Everything the server wrote to stderr so far (its JSON log lines). */
  stderr(): string
}

/** Starts `eddydb serve` with the given flags and resolves once it logs "listening" with its url. */
export function startCli(flags: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliServer> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--host', '127.0.0.1', '--log-level', 'info', ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'], cwd: options.cwd, env: options.env ?? process.env,
  })
  return new Promise((resolve, reject) => {
    let buffered = ''
    let listening = false
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no "listening" line within ${listeningTimeoutMs} ms: ${buffered}`)) }, listeningTimeoutMs)
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      buffered += chunk
      if (listening) return // only keep the log
      for (const line of buffered.split('\n')) {
        try {
          const entry = JSON.parse(line) as { message?: string; url?: string }
          if (entry.message === 'listening' && entry.url) {
            clearTimeout(timer)
            listening = true
            resolve({ process: child, url: entry.url, stderr: () => buffered })
            return
          }
        } catch { /* a partial or non-JSON line */ }
      }
    })
    child.once('exit', (code) => { clearTimeout(timer); if (!listening) reject(new Error(`eddydb exited with ${code} before listening: ${buffered}`)) })
  })
}

/** Sends SIGKILL (no chance to flush or close) and waits for the process to be gone. */
export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL') })
}

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** Runs the CLI to completion (a command, or a server that refuses to start) and collects its output. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd, env: options.env ?? process.env })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}
