/**
 * The security decisions taken once at startup, from the config: load the credentials file,
 * refuse to serve anonymously beyond loopback, and read the TLS files. Each mistake is a
 * one-line StartupError saying what to change.
 */
import { readFileSync } from 'node:fs'
import { createSecureContext } from 'node:tls'
import type { Config } from '../config.js'
import { ConfigError, StartupError, reasonOf } from '../startup-error.js'
import { serverAccess, type ServerAccess } from './access.js'
import { loadCredentials } from './credentials.js'

export interface TlsFiles {
  cert: Buffer
  key: Buffer
}

export function accessFromConfig(config: Config, now: () => number): ServerAccess {
  const credentials = config.credentials === undefined ? undefined : loadCredentials(config.credentials, config.accountId)
  if (!credentials && !config.allowAnonymous) {
    const exposed = [config.host, ...(config.dax ? [config.daxHost] : [])].find((host) => !isLoopback(host))
    if (exposed !== undefined) {
      throw new StartupError(`refusing to serve ${exposed} without --credentials: anyone who can reach it could read and change every table; ` +
        'give --credentials FILE, bind 127.0.0.1, or accept the risk with --allow-anonymous')
    }
  }
  return serverAccess({ credentials, defaultRegion: config.defaultRegion, accountId: config.accountId, now })
}

/** Loopback only: 127.0.0.0/8, ::1 and the name localhost. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::ffff:127.0.0.1'
}

/** The HTTPS certificate and key, or undefined for plain HTTP. */
export function tlsFromConfig(config: Config): TlsFiles | undefined {
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) throw new ConfigError('--tls-cert and --tls-key go together')
  if (config.tlsCert === undefined) return undefined
  const read = (path: string, flag: string) => {
    try {
      return readFileSync(path)
    } catch (error) {
      throw new StartupError(`cannot read ${flag} ${path}: ${reasonOf(error)}`)
    }
  }
  const files = { cert: read(config.tlsCert, '--tls-cert'), key: read(config.tlsKey!, '--tls-key') }
  const problem = tlsPairProblem(files)
  if (problem !== undefined) throw new StartupError(`--tls-cert ${config.tlsCert} and --tls-key ${config.tlsKey} do not load: ${problem}`)
  return files
}

/** Why a certificate and key make no TLS context (not PEM, not a pair), or undefined when they do. */
export function tlsPairProblem(files: TlsFiles): string | undefined {
  try {
    createSecureContext(files)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}
