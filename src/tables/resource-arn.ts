/**
 * Resolving the ResourceArn of the tagging operations to a table of this region, with the
 * errors DynamoDB gives for each way an ARN can be wrong.
 */
import { AccessDeniedException, ResourceNotFoundException, ValidationException } from '../errors.js'
import type { TableCatalog } from './catalog.js'
import type { TableRecord } from './record.js'
import { arnPartition } from '../region-names.js'

const invalid = 'One or more parameter values were invalid: '

/**
 * Checks the ARN's form (before any other check of the request). The tagging operations take a
 * table's ARN; the resource-policy operations a table's or a stream's, and word an ARN of
 * another region or account their own way (an API-quirks lab's DDB-TABLE-071, -212, -214, -236).
 */
export function checkResourceArn(arn: string | undefined, region: string, accountId: string, api: 'tagging' | 'policy' = 'tagging'): string {
  if (arn === undefined) throw new ValidationException('Invalid TableArn')
  if (!arn.startsWith('arn:')) throw new ValidationException(`${invalid}ARNs must start with 'arn:': ${arn}`)
  const parts = arn.split(':')
  if (parts.length < 6 || parts[2] !== 'dynamodb') {
    throw new ValidationException(`${invalid}Provided Arn is not a DynamoDB resource arn: ${arn}`)
  }
  const resource = parts.slice(5).join(':').split('/')
  if (resource[0] === 'table' && resource.length > 2 && resource[2] !== 'stream') {
    throw new ValidationException(`${invalid}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`)
  }
  const tableName = resource[1] ?? ''
  const kinds = api === 'policy' ? [2, 4] : [2]
  const wellFormed = resource[0] === 'table' && kinds.includes(resource.length) && /^[a-zA-Z0-9_.-]{3,255}$/.test(tableName)
  const partition = arnPartition(region)
  if (wellFormed && parts[1] === partition && parts[3] === region && parts[4] !== accountId) {
    // Another account's table: the tagging operations are denied (DDB-TABLE-071 of the lab, 2026-10, and an
    // AWS-validated conformance suite), the policy operations refused.
    if (api === 'tagging') throw new AccessDeniedException('Access is denied')
    throw new ValidationException('This action is only supported by accounts that match the resource owner’s account.')
  }
  if (!wellFormed || parts[3] !== region || parts[4] !== accountId || parts[1] !== partition) {
    throw new ValidationException(api === 'policy' ? `${invalid}Invalid resource Arn: ${arn}` : `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`)
  }
  return arn
}

/**
 * The table an ARN names. The tagging operations report a missing one by its ARN, the
 * resource-policy operations by the table's name, as DynamoDB words them in 2026 (an API-quirks
 * lab's DDB-TABLE-070, DDB-TABLE-446, DDB-TABLE-214; older answers spelled "ResourcArn").
 */
export function requireTableByArn(catalog: TableCatalog, arn: string, naming: 'arn' | 'table' = 'arn'): TableRecord {
  const record = catalog.recordByArn(arn)
  // A table being restored has no tags or policy to change yet (TableCatalog.settingsRecord).
  if (record && catalog.settingsRecord(record.description.TableName) === record) return record
  const what = naming === 'arn' ? `ResourceArn: ${arn}` : `Table: ${arn.slice(arn.indexOf('/') + 1)}`
  throw new ResourceNotFoundException(`Requested resource not found: ${what} not found`)
}
