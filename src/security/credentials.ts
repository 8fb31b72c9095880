/**
 * The credentials file: which access keys exist, their secrets, the account each belongs to,
 * the session tokens of temporary credentials and the access policies attached to each key.
 *
 *   { "keys": {
 *       "AKIDALICE": { "secretAccessKey": "…", "accountId": "111122223333" },
 *       "ASIATEMP":  { "secretAccessKey": "…", "accountId": "111122223333", "sessionTokens": ["…"] },
 *       "AKIDREADER": { "secretAccessKey": "…", "policies": [{ "Version": "2012-10-17", "Statement": […] }] } } }
 *
 * A key without `accountId` belongs to the server's account (--account-id). A key with
 * `sessionTokens` is temporary: every request must carry one of them (X-Amz-Security-Token), as
 * AWS requires of STS credentials; a key without them must carry none.
 */
import { readFileSync } from 'node:fs'
import { ConfigError, reasonOf } from '../startup-error.js'
import { parsePolicy, type Policy } from './policy.js'

export interface Credential {
  accessKeyId: string
  secretAccessKey: string
  accountId: string
  /** Present for temporary credentials: the tokens a request may carry. */
  sessionTokens?: ReadonlySet<string>
  /** Identity policies; none means the key may do everything in its account. */
  policies?: Policy[]
}

export interface CredentialStore {
  lookup(accessKeyId: string): Credential | undefined
  readonly size: number
  /**
   * The first key of the server's own account with no policies and no session tokens, if any: the
   * key this server signs with when it calls its global-table peers.
   */
  readonly operatorKey?: Credential
}

const accountIdPattern = /^\d{12}$/

/** Reads and checks the credentials file; every mistake is a ConfigError naming the file and key. */
export function loadCredentials(path: string, defaultAccountId: string): CredentialStore {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(`cannot read credentials file ${path}: ${reasonOf(error)}`)
  }
  return parseCredentials(parsed, path, defaultAccountId)
}

export function parseCredentials(parsed: unknown, source: string, defaultAccountId: string): CredentialStore {
  const keys = isObject(parsed) ? parsed.keys : undefined
  if (!isObject(keys)) throw new ConfigError(`${source} must hold {"keys": {"<access key id>": {"secretAccessKey": "…"}}}`)
  const byId = new Map<string, Credential>()
  for (const [accessKeyId, entry] of Object.entries(keys)) {
    const where = `${source}: key ${JSON.stringify(accessKeyId)}`
    if (!/^[A-Za-z0-9_+=,.@-]{1,128}$/.test(accessKeyId)) throw new ConfigError(`${where}: not a usable access key id`)
    if (!isObject(entry)) throw new ConfigError(`${where} must be an object`)
    for (const member of Object.keys(entry)) {
      if (!knownMembers.includes(member)) throw new ConfigError(`${where}: unknown member "${member}" (known: ${knownMembers.join(', ')})`)
    }
    const { secretAccessKey, accountId = defaultAccountId, sessionTokens, policies } = entry
    if (typeof secretAccessKey !== 'string' || secretAccessKey === '') throw new ConfigError(`${where}: "secretAccessKey" must be a non-empty string`)
    if (typeof accountId !== 'string' || !accountIdPattern.test(accountId)) throw new ConfigError(`${where}: "accountId" must be 12 digits`)
    if (sessionTokens !== undefined && (!Array.isArray(sessionTokens) || sessionTokens.length === 0 ||
      !sessionTokens.every((token) => typeof token === 'string' && token !== ''))) {
      throw new ConfigError(`${where}: "sessionTokens" must be a non-empty list of strings`)
    }
    if (policies !== undefined && !Array.isArray(policies)) throw new ConfigError(`${where}: "policies" must be a list of policy documents`)
    byId.set(accessKeyId, {
      accessKeyId, secretAccessKey, accountId,
      sessionTokens: sessionTokens === undefined ? undefined : new Set(sessionTokens as string[]),
      policies: (policies as unknown[] | undefined)?.map((policy, index) => parsePolicy(policy, `${where}: policies[${index}]`)),
    })
  }
  if (byId.size === 0) throw new ConfigError(`${source} holds no keys`)
  const operatorKey = [...byId.values()].find((key) => key.accountId === defaultAccountId && !key.policies && !key.sessionTokens)
  return { lookup: (accessKeyId) => byId.get(accessKeyId), size: byId.size, operatorKey }
}

const knownMembers = ['secretAccessKey', 'accountId', 'sessionTokens', 'policies']

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
