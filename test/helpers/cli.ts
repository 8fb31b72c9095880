/** Spawning the eddydb CLI for the end-to-end tests, and waiting for its "listening" log line. */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** dist/src/cli/main.js, found relative to this compiled helper (dist/test/helpers/cli.js). */
export const cliPath = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url))
export const cliMissingReason = existsSync(cliPath) ? undefined : `the CLI is not built yet (${cliPath} is missing)`

const listeningTimeoutMs = 60_000

export interface CliServer { process: ChildProcess; url: string }

/** Starts `eddydb serve` with the given flags and resolves once it logs "listening" with its url. */
export function startCli(flags: string[]): Promise<CliServer> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--host', '127.0.0.1', '--log-level', 'info', ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no "listening" line within ${listeningTimeoutMs} ms: ${buffered}`)) }, listeningTimeoutMs)
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      buffered += chunk
      for (const line of buffered.split('\n')) {
        try {
          const entry = JSON.parse(line) as { message?: string; url?: string }
          if (entry.message === 'listening' && entry.url) {
            clearTimeout(timer)
            resolve({ process: child, url: entry.url })
            return
          }
        } catch { /* a partial or non-JSON line */ }
      }
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`eddydb exited with ${code} before listening: ${buffered}`)) })
  })
}

/** Sends SIGKILL (no chance to flush or close) and waits for the process to be gone. */
export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL') })
}
