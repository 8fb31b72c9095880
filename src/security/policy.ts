/**
 * IAM-style policy documents, parsed once at startup into statements whose action and resource
 * patterns are ready to match. See docs/security.md for what is supported and how it differs
 * from IAM.
 */
import { ConfigError } from '../startup-error.js'

export interface Statement {
  effect: 'Allow' | 'Deny'
  /** Resource-based policies only: who the statement is about ('*', account ids, user or root ARNs). */
  principals?: string[]
  actions: Pattern[]
  resources: Pattern[]
  /** Operator → condition key (lower case) → allowed values. */
  conditions: Condition[]
}

export interface Condition {
  operator: string
  key: string
  values: string[]
}

export interface Policy {
  statements: Statement[]
}

/** A glob with `*` (any run) and `?` (one character), as IAM matches actions and ARNs. */
export interface Pattern {
  source: string
  regex: RegExp
}

export const supportedOperators = [
  'StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIfExists', 'StringLikeIfExists',
  'ForAllValues:StringEquals', 'ForAllValues:StringLike', 'ForAnyValue:StringEquals', 'ForAnyValue:StringLike',
]

/** An identity policy (no Principal), or with `resourceBased` a table's or stream's policy (Principal required). */
export function parsePolicy(document: unknown, where: string, resourceBased = false): Policy {
  if (!isObject(document)) throw new ConfigError(`${where} must be a policy document object`)
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement]
  return {
    statements: statements.map((statement, index) => parseStatement(statement, `${where}.Statement[${index}]`, resourceBased)),
  }
}

function parseStatement(statement: unknown, where: string, resourceBased: boolean): Statement {
  if (!isObject(statement)) throw new ConfigError(`${where} must be an object`)
  const { Effect, Action, Resource, Condition } = statement
  if (Effect !== 'Allow' && Effect !== 'Deny') throw new ConfigError(`${where}: "Effect" must be Allow or Deny`)
  for (const unsupported of ['NotAction', 'NotResource', 'NotPrincipal', ...(resourceBased ? [] : ['Principal'])]) {
    if (unsupported in statement) throw new ConfigError(`${where}: "${unsupported}" is not supported in ${resourceBased ? 'resource-based' : 'identity'} policies here`)
  }
  return {
    effect: Effect,
    ...(resourceBased ? { principals: parsePrincipal(statement.Principal, where) } : {}),
    actions: strings(Action, `${where}: "Action"`).map((action) => pattern(action, true)),
    resources: strings(Resource ?? '*', `${where}: "Resource"`).map((resource) => pattern(resource, false)),
    conditions: parseConditions(Condition, where),
  }
}

function parseConditions(block: unknown, where: string): Condition[] {
  if (block === undefined) return []
  if (!isObject(block)) throw new ConfigError(`${where}: "Condition" must be an object`)
  const conditions: Condition[] = []
  for (const [operator, keys] of Object.entries(block)) {
    if (!supportedOperators.includes(operator)) {
      throw new ConfigError(`${where}: condition operator ${operator} is not supported (supported: ${supportedOperators.join(', ')})`)
    }
    if (!isObject(keys)) throw new ConfigError(`${where}: "Condition"."${operator}" must be an object`)
    for (const [key, values] of Object.entries(keys)) {
      if (!supportedConditionKeys.includes(key.toLowerCase())) {
        throw new ConfigError(`${where}: condition key ${key} is not supported (supported: dynamodb:LeadingKeys, dynamodb:Attributes, dynamodb:Select, dynamodb:ReturnValues, dax:EnclosingOperation)`)
      }
      conditions.push({ operator, key: key.toLowerCase(), values: strings(values, `${where}: condition ${key}`) })
    }
  }
  return conditions
}

/** Lower case, as IAM compares condition key names. */
export const supportedConditionKeys = ['dynamodb:leadingkeys', 'dynamodb:attributes', 'dynamodb:select', 'dynamodb:returnvalues', 'dax:enclosingoperation']

function parsePrincipal(principal: unknown, where: string): string[] {
  if (principal === '*') return ['*']
  if (isObject(principal) && Object.keys(principal).length === 1 && 'AWS' in principal) return strings(principal.AWS, `${where}: "Principal"."AWS"`)
  throw new ConfigError(`${where}: "Principal" must be "*" or {"AWS": [account ids or ARNs]}`)
}

function strings(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || !list.every((each) => typeof each === 'string' && each !== '')) {
    throw new ConfigError(`${where} must be a string or a list of strings`)
  }
  return list as string[]
}

/** Actions match case-insensitively (as IAM does); ARNs case-sensitively. */
export function pattern(source: string, ignoreCase: boolean): Pattern {
  const body = source.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return { source, regex: new RegExp(`^${body}$`, ignoreCase ? 'is' : 's') }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
