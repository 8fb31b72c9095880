/**
 * A table's resource-based policy document as DynamoDB keeps it, and the checks PutResourcePolicy
 * makes of it before the policy is parsed for evaluation (policy.ts). DynamoDB stores a canonical
 * form: minified; Version first (2008-10-17 when absent), then Statement, always a list; each
 * statement's members in the order Sid, Effect, Principal, Action, Resource, Condition; a list of
 * one value written as the value (in Action, Resource, Principal and a condition's values); an
 * account id as a principal written as its root ARN; an Effect in any case written Allow or Deny. GetResourcePolicy returns that form, and a Put of a document
 * with the same form changes nothing, its RevisionId included (an API-quirks lab's DDB-TABLE-207,
 * -208, -351 to -356 and -211, verified against DynamoDB in 2026, which also give the messages).
 */
import { ValidationException } from '../errors.js'

/** AWS's size limit of a resource-based policy document, in bytes. */
export const policyDocumentBytesMax = 20 * 1024

const invalid = 'One or more parameter values were invalid: '
const invalidDocument = `${invalid}Invalid policy document: `
const statementMembers = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']
const listMembers = new Set(['Action', 'NotAction', 'Resource', 'NotResource'])

/** The document's canonical text, or the ValidationException DynamoDB gives for it. */
export function canonicalPolicyDocument(text: string, partition: string): string {
  if (Buffer.byteLength(text) > policyDocumentBytesMax) {
    throw new ValidationException(`${invalid}Maximum policy size of ${policyDocumentBytesMax} bytes exceeded`)
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw new ValidationException(`${invalidDocument}This policy contains invalid Json`)
  }
  // JSON that is not an object, and an object without a Statement, in DynamoDB's words (DDB-TABLE-457).
  if (!isObject(document)) throw new ValidationException(`${invalidDocument}This text appears not to be a policy`)
  const given = document.Statement
  if (given === undefined) throw new ValidationException(`${invalidDocument}Syntax error at position ${endPosition(text)}`)
  const statements = (Array.isArray(given) ? given : [given]).map((statement) => canonicalStatement(statement, partition))
  if (statements.length === 0) throw new ValidationException(`${invalidDocument}Could not parse the policy: Statement is empty!`)
  const sids = statements.map((statement) => statement.Sid).filter((sid) => sid !== undefined)
  if (new Set(sids).size !== sids.length) throw new ValidationException(`${invalidDocument}The Statement Ids in the policy are not unique`)
  for (const statement of statements) checkStatement(statement)
  const canonical: Record<string, unknown> = { Version: document.Version ?? '2008-10-17' }
  if (document.Id !== undefined) canonical.Id = document.Id
  canonical.Statement = statements
  return JSON.stringify(canonical)
}

function canonicalStatement(statement: unknown, partition: string): Record<string, unknown> {
  if (!isObject(statement)) throw new ValidationException(`${invalidDocument}This policy contains invalid Json`)
  const canonical: Record<string, unknown> = {}
  const members = [...statementMembers, ...Object.keys(statement).filter((member) => !statementMembers.includes(member))]
  for (const member of members) {
    const value = statement[member]
    if (value === undefined) continue
    if (member === 'Effect' && typeof value === 'string') canonical[member] = value.charAt(0).toUpperCase() + value.slice(1).toLowerCase()
    else if (member === 'Principal' || member === 'NotPrincipal') canonical[member] = canonicalPrincipal(value, partition)
    else if (member === 'Condition') canonical[member] = canonicalCondition(value)
    else canonical[member] = listMembers.has(member) ? single(value) : value
  }
  return canonical
}

/** '*' stays; under each principal type an account id becomes its root ARN (in the table's partition). */
function canonicalPrincipal(principal: unknown, partition: string): unknown {
  if (!isObject(principal)) return principal
  const canonical: Record<string, unknown> = {}
  for (const [type, value] of Object.entries(principal)) {
    const rooted = (entry: unknown) => typeof entry === 'string' && /^\d{12}$/.test(entry) ? `arn:${partition}:iam::${entry}:root` : entry
    // An account named twice (by id and by root ARN) is named once (DDB-TABLE-352).
    canonical[type] = single(Array.isArray(value) ? [...new Set(value.map(rooted))] : rooted(value))
  }
  return canonical
}

/** Under each operator, a key's list of one value written as the value (DDB-TABLE-353). */
function canonicalCondition(condition: unknown): unknown {
  if (!isObject(condition)) return condition
  const canonical: Record<string, unknown> = {}
  for (const [operator, keys] of Object.entries(condition)) {
    canonical[operator] = isObject(keys) ? Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, single(value)])) : keys
  }
  return canonical
}

function single(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value
}

/** Where a policy's parser stops at the end of the text: (line,column), both from 1, as IAM's messages give it. */
function endPosition(text: string): string {
  const lines = text.split('\n')
  return `(${lines.length},${lines.at(-1)!.length + 1})`
}

function checkStatement(statement: Record<string, unknown>): void {
  if (statement.Effect === undefined) throw new ValidationException(`${invalidDocument}Missing required field Effect`)
  if (statement.Resource === undefined && statement.NotResource === undefined) {
    throw new ValidationException(`${invalidDocument}Missing required field Resource`)
  }
  for (const member of ['Principal', 'NotPrincipal']) {
    const named = statement[member]
    if (isObject(named) && [named.AWS ?? []].flat().some((entry) => typeof entry === 'string' && !isPrincipal(entry))) {
      throw new ValidationException(`${invalid}Invalid principal in policy document.`)
    }
  }
  const principal = statement.Principal
  const everyone = principal === '*' || (isObject(principal) && [principal.AWS].flat().includes('*'))
  if (everyone && statement.Effect === 'Allow' && statement.Condition === undefined) {
    throw new ValidationException('Resource-based policy grants unbounded access in one or more elements. ' +
      'Please revise the policy to ensure least-privilege form of access')
  }
}

/**
 * An AWS principal IAM would take: everyone, an account (its id or root), a user, role or
 * federated user, an assumed-role session (DDB-TABLE-352 of the lab: "notaprincipal" is refused).
 */
function isPrincipal(entry: string): boolean {
  return entry === '*' || /^\d{12}$/.test(entry) ||
    /^arn:[a-z-]+:iam::\d{12}:(root|(user|role|federated-user)\/.+)$/.test(entry) || /^arn:[a-z-]+:sts::\d{12}:assumed-role\/.+$/.test(entry)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
