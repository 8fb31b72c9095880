/**
 * The global condition keys (`aws:*`) of a request, as IAM sets them, and the policy variables
 * (`${aws:username}`) that stand for them in a policy of Version 2012-10-17.
 *
 * EddyDB has keys, not IAM users: the principal of a key is
 * `arn:<partition>:iam::<account>:user/<key id>`, so the user name and id are the key id. Keys that describe what EddyDB has no notion of
 * (aws:SourceVpce, aws:PrincipalOrgID, aws:PrincipalTag/..., aws:MultiFactorAuthPresent) are
 * absent from every request, as they are from an AWS request that has no VPC endpoint,
 * organization, tags or MFA; the operators then treat them as IAM treats a missing key.
 */
import type { AuthenticatedCaller } from '../http/auth.js'
import { arnPartition } from '../region-names.js'

/** The values of a condition key (lower-case name) for a request, or undefined when it has none. */
export type ConditionContext = (key: string) => string[] | undefined

/** The principal ARN of a key, as AccessDenied messages and aws:PrincipalArn name it. */
export function principalArn(caller: { accountId: string; accessKeyId: string; region: string }): string {
  return `arn:${arnPartition(caller.region)}:iam::${caller.accountId}:user/${caller.accessKeyId}`
}

/** A request's condition keys: the operation's own (`context`) and the global ones. */
export function withGlobalKeys(context: ConditionContext, caller: AuthenticatedCaller, resource: string, nowMs = Date.now()): ConditionContext {
  return (key) => context(key) ?? globalKeyValue(key, caller, resource, nowMs)
}

function globalKeyValue(key: string, caller: AuthenticatedCaller, resource: string, nowMs: number): string[] | undefined {
  switch (key) {
    case 'aws:principalaccount': return [caller.accountId]
    case 'aws:principalarn': return [principalArn(caller)]
    case 'aws:principaltype': return ['User']
    case 'aws:userid':
    case 'aws:username': return [caller.accessKeyId]
    case 'aws:requestedregion': return [caller.region]
    case 'aws:resourceaccount': return resourceAccount(resource)
    case 'aws:currenttime': return [new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z')]
    case 'aws:epochtime': return [String(Math.floor(nowMs / 1000))]
    case 'aws:securetransport': return caller.socket ? [String(caller.socket.encrypted === true)] : undefined
    case 'aws:sourceip': return sourceIpOf(caller)
    case 'aws:principalisawsservice':
    case 'aws:viaawsservice': return ['false']
    default: return undefined
  }
}

/** The caller's address, an IPv4 one without the ::ffff: prefix a dual-stack socket gives it. */
function sourceIpOf(caller: AuthenticatedCaller): string[] | undefined {
  const address = caller.socket?.remoteAddress
  if (address === undefined) return undefined
  return [address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address]
}

/** The account of the resource an ARN names (arn:partition:service:region:ACCOUNT:...). */
function resourceAccount(resource: string): string[] | undefined {
  const account = resource.split(':')[4]
  return account ? [account] : undefined
}

/**
 * `text` with its policy variables replaced by the request's values: `${key}` (the key's first
 * value), `${key, 'default'}` when the key is absent, and `${*}`, `${?}`, `${$}` for those
 * characters. Undefined when a variable has no value and no default: IAM then lets the element
 * that holds it match nothing.
 */
export function substituteVariables(text: string, context: ConditionContext): string | undefined {
  let missing = false
  const result = text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner === '*' || inner === '?' || inner === '$') return inner
    const match = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner)
    if (!match) return whole
    const value = context(match[1]!.toLowerCase())?.[0] ?? match[2]
    if (value === undefined) missing = true
    return value ?? ''
  })
  return missing ? undefined : result
}
