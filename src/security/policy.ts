/**
 * IAM-style policy documents, parsed once at startup into statements whose action and resource
 * patterns are ready to match. See docs/security.md for what is supported and how it differs
 * from IAM.
 */
import { ConfigError } from '../startup-error.js'
import { globRegex, parseConditionOperator, type ConditionOperator } from './policy-conditions.js'

export interface Statement {
  effect: 'Allow' | 'Deny'
  /**
   * Resource-based policies only: whom the statement is about ('*', account ids, user or root
   * ARNs), or with `principalsExcepted` whom it is not about (NotPrincipal).
   */
  principals?: string[]
  principalsExcepted?: boolean
  /** The actions it names, or with `actionsExcepted` every action but these (NotAction). */
  actions: Pattern[]
  actionsExcepted: boolean
  /** The resources it names, or with `resourcesExcepted` every resource but these (NotResource). */
  resources: Pattern[]
  resourcesExcepted: boolean
  /** Every condition must hold. */
  conditions: Condition[]
}

export interface Condition {
  operator: ConditionOperator
  /** The condition key, in lower case (IAM compares key names case-insensitively). */
  key: string
  values: string[]
  /** The values hold policy variables to substitute (a Version 2012-10-17 policy). */
  variables: boolean
}

export interface Policy {
  statements: Statement[]
}

/** A glob with `*` (any run) and `?` (one character), as IAM matches actions and ARNs. */
export interface Pattern {
  source: string
  regex: RegExp
  /** The source holds policy variables, substituted per request before it is matched. */
  variables: boolean
}

/** The policy language version whose policies may hold variables (`${aws:username}`). */
const variablesVersion = '2012-10-17'

/** An identity policy (no Principal), or with `resourceBased` a table's or stream's policy (Principal required). */
export function parsePolicy(document: unknown, where: string, resourceBased = false): Policy {
  if (!isObject(document)) throw new ConfigError(`${where} must be a policy document object`)
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement]
  const variables = document.Version === variablesVersion
  return {
    statements: statements.map((statement, index) => parseStatement(statement, `${where}.Statement[${index}]`, resourceBased, variables)),
  }
}

function parseStatement(statement: unknown, where: string, resourceBased: boolean, variables: boolean): Statement {
  if (!isObject(statement)) throw new ConfigError(`${where} must be an object`)
  const { Effect, Condition } = statement
  if (Effect !== 'Allow' && Effect !== 'Deny') throw new ConfigError(`${where}: "Effect" must be Allow or Deny`)
  if (!resourceBased) {
    for (const member of ['Principal', 'NotPrincipal']) {
      if (member in statement) throw new ConfigError(`${where}: "${member}" belongs in resource-based policies, not in a key's policies`)
    }
  }
  const actions = oneOf(statement, 'Action', 'NotAction', where)
  const resources = statement.Resource === undefined && statement.NotResource === undefined
    ? { values: ['*'], excepted: false } : oneOf(statement, 'Resource', 'NotResource', where)
  return {
    effect: Effect,
    ...(resourceBased ? parsePrincipals(statement, where) : {}),
    actions: actions.values.map((action) => pattern(action, true)),
    actionsExcepted: actions.excepted,
    resources: resources.values.map((resource) => pattern(resource, false, variables)),
    resourcesExcepted: resources.excepted,
    conditions: parseConditions(Condition, where, variables),
  }
}

/** A statement's `Action` or `NotAction` (and so on): exactly one of the two. */
function oneOf(statement: Record<string, unknown>, member: string, exceptMember: string, where: string): { values: string[]; excepted: boolean } {
  const [given, excepted] = [statement[member], statement[exceptMember]]
  if ((given === undefined) === (excepted === undefined)) throw new ConfigError(`${where}: give exactly one of "${member}" and "${exceptMember}"`)
  return given === undefined
    ? { values: strings(excepted, `${where}: "${exceptMember}"`), excepted: true }
    : { values: strings(given, `${where}: "${member}"`), excepted: false }
}

function parsePrincipals(statement: Record<string, unknown>, where: string): Pick<Statement, 'principals' | 'principalsExcepted'> {
  const { Principal, NotPrincipal } = statement
  if ((Principal === undefined) === (NotPrincipal === undefined)) throw new ConfigError(`${where}: give exactly one of "Principal" and "NotPrincipal"`)
  // IAM: "NotPrincipal must be used with Effect: Deny".
  if (NotPrincipal !== undefined && statement.Effect !== 'Deny') throw new ConfigError(`${where}: "NotPrincipal" must be used with "Effect": "Deny"`)
  return Principal === undefined
    ? { principals: parsePrincipal(NotPrincipal, where, 'NotPrincipal'), principalsExcepted: true }
    : { principals: parsePrincipal(Principal, where, 'Principal'), principalsExcepted: false }
}

function parseConditions(block: unknown, where: string, variables: boolean): Condition[] {
  if (block === undefined) return []
  if (!isObject(block)) throw new ConfigError(`${where}: "Condition" must be an object`)
  const conditions: Condition[] = []
  for (const [name, keys] of Object.entries(block)) {
    const operator = parseConditionOperator(name)
    if (operator === undefined) throw new ConfigError(`${where}: ${name} is not a condition operator of IAM`)
    if (!isObject(keys)) throw new ConfigError(`${where}: "Condition"."${name}" must be an object`)
    for (const [key, values] of Object.entries(keys)) {
      if (key === '') throw new ConfigError(`${where}: "Condition"."${name}" names an empty condition key`)
      const texts = conditionValues(values, `${where}: condition ${key}`)
      conditions.push({ operator, key: key.toLowerCase(), values: texts, variables: variables && texts.some(holdsVariable) })
    }
  }
  return conditions
}

/** A condition's values: strings, or numbers and booleans, which IAM reads as their text. */
function conditionValues(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  const texts = list.map((each) => typeof each === 'number' || typeof each === 'boolean' ? String(each) : each)
  return strings(texts, where)
}

function parsePrincipal(principal: unknown, where: string, member: string): string[] {
  if (principal === '*') return ['*']
  if (isObject(principal) && Object.keys(principal).length === 1 && 'AWS' in principal) return strings(principal.AWS, `${where}: "${member}"."AWS"`)
  throw new ConfigError(`${where}: "${member}" must be "*" or {"AWS": [account ids or ARNs]}`)
}

function strings(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || !list.every((each) => typeof each === 'string' && each !== '')) {
    throw new ConfigError(`${where} must be a string or a list of strings`)
  }
  return list as string[]
}

/** Actions match case-insensitively (as IAM does); ARNs case-sensitively, and only they hold variables. */
export function pattern(source: string, ignoreCase: boolean, variables = false): Pattern {
  return { source, regex: globRegex(source, ignoreCase), variables: variables && holdsVariable(source) }
}

function holdsVariable(text: string): boolean {
  return text.includes('${')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
