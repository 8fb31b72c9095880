/**
 * The Condition block of a policy statement, as IAM reads it: an operator (with an optional
 * `ForAllValues:` / `ForAnyValue:` qualifier and an `IfExists` suffix), a condition key and the
 * values the statement names. Parsed once (parseConditionOperator); evaluated per request against
 * the request's values of the key (conditionHolds).
 *
 * IAM's rules, from its policy reference ("IAM JSON policy elements: Condition operators"):
 * - Several values for one key: any of them may match. Several keys, or several operators: all
 *   must hold.
 * - A key the request has no value for: a negated operator (StringNotEquals, ArnNotLike, ...)
 *   holds, every other operator does not, unless it ends in IfExists. `Null` asks exactly that:
 *   "true" holds when the key is absent, "false" when present.
 * - A key with several values (dynamodb:LeadingKeys, dynamodb:Attributes): `ForAllValues` holds
 *   when every value satisfies the operator (also when there are none), `ForAnyValue` when at
 *   least one does; without a qualifier every value must.
 * - A negated operator is satisfied by a request value that matches none of the statement's.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net'

export interface ConditionOperator {
  /** As written, e.g. 'ForAllValues:StringEqualsIfExists'. */
  name: string
  qualifier: 'ForAllValues' | 'ForAnyValue' | undefined
  ifExists: boolean
  negated: boolean
  /** Whether one request value matches one of the statement's values (before negation). */
  matches: ValueMatcher
  /** For `Null`: the statement's values say whether the key must be absent. */
  isNull: boolean
}

/** Whether a request value matches one value the statement names. */
type ValueMatcher = (requestValue: string, policyValue: string) => boolean

/** The operators IAM has, by their name without qualifier, negation or IfExists. */
const matchers: Record<string, { positive: string; negative?: string; matches: ValueMatcher }> = {
  StringEquals: { positive: 'StringEquals', negative: 'StringNotEquals', matches: (value, policy) => value === policy },
  StringEqualsIgnoreCase: {
    positive: 'StringEqualsIgnoreCase', negative: 'StringNotEqualsIgnoreCase',
    matches: (value, policy) => value.toLowerCase() === policy.toLowerCase(),
  },
  StringLike: { positive: 'StringLike', negative: 'StringNotLike', matches: (value, policy) => globRegex(policy, false).test(value) },
  NumericEquals: { positive: 'NumericEquals', negative: 'NumericNotEquals', matches: numeric((a, b) => a === b) },
  NumericLessThan: { positive: 'NumericLessThan', matches: numeric((a, b) => a < b) },
  NumericLessThanEquals: { positive: 'NumericLessThanEquals', matches: numeric((a, b) => a <= b) },
  NumericGreaterThan: { positive: 'NumericGreaterThan', matches: numeric((a, b) => a > b) },
  NumericGreaterThanEquals: { positive: 'NumericGreaterThanEquals', matches: numeric((a, b) => a >= b) },
  DateEquals: { positive: 'DateEquals', negative: 'DateNotEquals', matches: dated((a, b) => a === b) },
  DateLessThan: { positive: 'DateLessThan', matches: dated((a, b) => a < b) },
  DateLessThanEquals: { positive: 'DateLessThanEquals', matches: dated((a, b) => a <= b) },
  DateGreaterThan: { positive: 'DateGreaterThan', matches: dated((a, b) => a > b) },
  DateGreaterThanEquals: { positive: 'DateGreaterThanEquals', matches: dated((a, b) => a >= b) },
  Bool: { positive: 'Bool', matches: (value, policy) => value.toLowerCase() === policy.toLowerCase() },
  BinaryEquals: { positive: 'BinaryEquals', matches: (value, policy) => value === policy },
  IpAddress: { positive: 'IpAddress', negative: 'NotIpAddress', matches: inSubnet },
  // ArnEquals and ArnLike are the same test in IAM: wildcards within each part of the ARN.
  ArnEquals: { positive: 'ArnEquals', negative: 'ArnNotEquals', matches: arnMatches },
  ArnLike: { positive: 'ArnLike', negative: 'ArnNotLike', matches: arnMatches },
}

/** Every operator name a statement may use (before qualifiers and IfExists), for messages. */
const operatorNames = new Map<string, { base: string; negated: boolean }>()
for (const [base, operator] of Object.entries(matchers)) {
  operatorNames.set(operator.positive, { base, negated: false })
  if (operator.negative) operatorNames.set(operator.negative, { base, negated: true })
}

/** The operator a Condition block names, or undefined when IAM has no such operator. */
export function parseConditionOperator(name: string): ConditionOperator | undefined {
  const colon = name.indexOf(':')
  const qualifierText = colon < 0 ? undefined : name.slice(0, colon)
  if (qualifierText !== undefined && qualifierText !== 'ForAllValues' && qualifierText !== 'ForAnyValue') return undefined
  let rest = colon < 0 ? name : name.slice(colon + 1)
  if (rest === 'Null') {
    return { name, qualifier: qualifierText, ifExists: false, negated: false, matches: () => false, isNull: true }
  }
  const ifExists = rest.endsWith('IfExists')
  if (ifExists) rest = rest.slice(0, -'IfExists'.length)
  const known = operatorNames.get(rest)
  if (known === undefined) return undefined
  return { name, qualifier: qualifierText, ifExists, negated: known.negated, matches: matchers[known.base]!.matches, isNull: false }
}

/** Whether a condition holds, given the statement's values and the request's values of its key (undefined: none). */
export function conditionHolds(operator: ConditionOperator, policyValues: readonly string[], requestValues: readonly string[] | undefined): boolean {
  const present = requestValues !== undefined && requestValues.length > 0
  if (operator.isNull) return policyValues.some((value) => (value.toLowerCase() === 'true') === !present)
  const satisfies = (value: string) => policyValues.some((policy) => operator.matches(value, policy)) !== operator.negated
  if (operator.qualifier === 'ForAllValues') return (requestValues ?? []).every(satisfies)
  if (operator.qualifier === 'ForAnyValue') return (requestValues ?? []).some(satisfies)
  if (!present) return operator.negated || operator.ifExists
  return requestValues.every(satisfies)
}

/** A glob with `*` (any run) and `?` (one character), as IAM matches actions, ARNs and StringLike. */
export function globRegex(source: string, ignoreCase: boolean): RegExp {
  const body = source.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's')
}

function numeric(compare: (request: number, policy: number) => boolean): ValueMatcher {
  return (value, policy) => {
    const [a, b] = [Number(value), Number(policy)]
    return value.trim() !== '' && policy.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && compare(a, b)
  }
}

function dated(compare: (request: number, policy: number) => boolean): ValueMatcher {
  return (value, policy) => {
    const [a, b] = [dateMs(value), dateMs(policy)]
    return a !== undefined && b !== undefined && compare(a, b)
  }
}

/** A date as IAM reads one: ISO 8601 text, or epoch seconds. */
function dateMs(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}

/** Whether an IP address lies in a CIDR block (or equals a bare address) of the same family. */
function inSubnet(address: string, block: string): boolean {
  const [network, prefixText] = block.split('/') as [string, string | undefined]
  const family = isIPv4(network) ? 'ipv4' : isIPv6(network) ? 'ipv6' : undefined
  if (family === undefined || (family === 'ipv4' ? !isIPv4(address) : !isIPv6(address))) return false
  const prefix = prefixText === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefixText)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) return false
  const list = new BlockList()
  list.addSubnet(network, prefix, family)
  return list.check(address, family)
}

/** ARNs compared part by part (arn:partition:service:region:account:resource), each part a glob. */
function arnMatches(value: string, policy: string): boolean {
  const [valueParts, policyParts] = [arnParts(value), arnParts(policy)]
  if (valueParts === undefined || policyParts === undefined) return false
  return policyParts.every((part, index) => globRegex(part, false).test(valueParts[index]!))
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':')
  if (parts.length < 6) return undefined
  return [...parts.slice(0, 5), parts.slice(5).join(':')]
}
