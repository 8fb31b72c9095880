/**
 * A table named by its ARN. DynamoDB accepts the table's ARN wherever the data plane and the
 * control plane take a table name (TableName, the keys of BatchGetItem's and BatchWriteItem's
 * RequestItems, each TransactItems entry): "If you only provide the table name ... the API
 * operation will be performed on the table in the account to which the requestor belongs"
 * (Developer Guide, cross-account access with resource-based policies).
 *
 * The operation is given the request with bare names, so that every lookup, lock,
 * duplicate check and change record knows one name per table; what the client sees is then put
 * back: ConsumedCapacity.TableName and the batch maps are keyed the way the request named the
 * table ("If you had specified the ARN of a table in the input, you'll see the table ARN in the
 * response", API Reference, ConsumedCapacity), while a TableDescription keeps the bare name (an
 * API-quirks lab's DDB-TABLE-011, verified against DynamoDB in 2026).
 *
 * The errors: an ARN of another region is "Invalid AWS region in '<arn>'" and of another account
 * AccessDeniedException "Access is denied" (the same finding); an ARN that is not
 * arn:<partition>:dynamodb:<region>:<account>:table/<name> is refused in DynamoDB Local's words
 * (2026-05-28), the only implementation whose texts for these could be observed.
 */
import { JsonText } from '../api/json-text.js'
import type { RegionContext } from '../api/context.js'
import { AccessDeniedException, ValidationException } from '../errors.js'
import { arnPartition } from '../region-names.js'

/** What the request called each table it named by ARN: bare name → the ARN as sent. */
export type TableArnNames = Map<string, string>

const arnFormatMessage =
  "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', " +
  'where Resource name must have length less than or equal to 255, Resource name must have length ' +
  // Sic: DynamoDB Local's text runs "satisfy" and "regular" together.
  'greater than or equal to 3, Resource name must satisfyregular expression pattern: [a-zA-Z0-9_.-]+'

const tableNameMessage =
  "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'"

const bareTableName = /^[a-zA-Z0-9_.-]{3,255}$/

/** Whether a table-name member holds an ARN, to be checked here rather than by the name's pattern. */
export function isArnForm(name: string): boolean {
  return name.startsWith('arn:')
}

/** The name of the table `arn` names in `region`, or the error DynamoDB gives for it. */
export function tableNameOfArn(arn: string, region: Pick<RegionContext, 'region' | 'accountId'>): string {
  const parts = arn.split(':')
  const resource = parts[5] ?? ''
  const slash = resource.indexOf('/')
  if (parts.length !== 6 || parts[2] !== 'dynamodb' || slash <= 0) throw new ValidationException(arnFormatMessage)
  if (parts[1] !== arnPartition(region.region)) throw new ValidationException(`1 validation error detected: Invalid AWS partition in '${arn}'`)
  if (resource.slice(0, slash) !== 'table') {
    throw new ValidationException(`1 validation error detected: Invalid resource type in '${arn}'`)
  }
  if (parts[3] !== region.region) throw new ValidationException(`1 validation error detected: Invalid AWS region in '${arn}'`)
  const name = resource.slice(slash + 1)
  // An index's or a stream's ARN leaves a slash in the name.
  if (!bareTableName.test(name)) throw new ValidationException(tableNameMessage)
  if (parts[4] !== region.accountId) throw new AccessDeniedException('Access is denied')
  return name
}

/**
 * The request with every table it names by ARN named by its bare name instead, and what was
 * renamed; undefined when the request used names only (nearly always: then firstTableArn's few
 * property reads are all it costs). The request itself is left as sent, as a request may run
 * more than once (catalog-miss.ts).
 */
export function withTableArnsResolved(
  input: Record<string, unknown>, region: Pick<RegionContext, 'region' | 'accountId'>,
): { input: Record<string, unknown>; names: TableArnNames } | undefined {
  if (firstTableArn(input) === undefined) return undefined
  const names: TableArnNames = new Map()
  const named = (value: unknown): string | undefined => {
    if (typeof value !== 'string' || !isArnForm(value)) return undefined
    const name = tableNameOfArn(value, region)
    names.set(name, value)
    return name
  }
  const resolved = { ...input }
  const tableName = named(input.TableName)
  if (tableName !== undefined) resolved.TableName = tableName
  if (isObject(input.RequestItems)) resolved.RequestItems = renameKeys(input.RequestItems, (key) => named(key) ?? key)
  if (Array.isArray(input.TransactItems)) {
    resolved.TransactItems = input.TransactItems.map((item) => isObject(item)
      ? Object.fromEntries(Object.entries(item).map(([kind, action]) =>
        [kind, isObject(action) ? { ...action, TableName: named(action.TableName) ?? action.TableName } : action]))
      : item)
  }
  return { input: resolved, names }
}

/**
 * The first table the request names by ARN, if any. A DAX node refuses them (DAX's API predates
 * ARNs as names, and its caches key items by the name the request gives).
 */
export function firstTableArn(input: Record<string, unknown>): string | undefined {
  if (typeof input.TableName === 'string' && isArnForm(input.TableName)) return input.TableName
  if (isObject(input.RequestItems)) {
    const arn = Object.keys(input.RequestItems).find(isArnForm)
    if (arn !== undefined) return arn
  }
  if (!Array.isArray(input.TransactItems)) return undefined
  for (const item of input.TransactItems) {
    for (const action of isObject(item) ? Object.values(item) : []) {
      if (isObject(action) && typeof action.TableName === 'string' && isArnForm(action.TableName)) return action.TableName
    }
  }
  return undefined
}

/** The output as the client named its tables: ConsumedCapacity and the batch maps by ARN. */
export function echoTableArns(output: object, names: TableArnNames): object {
  const text = output instanceof JsonText
  if (text && output.text === '') return output
  const fields = (text ? JSON.parse(output.text) : output) as Record<string, unknown>
  const echoed = (name: string) => names.get(name) ?? name
  const capacity = fields.ConsumedCapacity
  for (const report of Array.isArray(capacity) ? capacity : [capacity]) {
    if (isObject(report) && typeof report.TableName === 'string') report.TableName = echoed(report.TableName)
  }
  for (const member of ['Responses', 'UnprocessedKeys', 'UnprocessedItems', 'ItemCollectionMetrics']) {
    const map = fields[member]
    if (isObject(map)) fields[member] = renameKeys(map, echoed)
  }
  return text ? new JsonText(JSON.stringify(fields)) : fields
}

/**
 * The map with its keys renamed, in their order. Two keys naming one table (its name and its
 * ARN) become one, their requests joined, so that the operation's own checks see them all.
 */
function renameKeys(map: Record<string, unknown>, rename: (key: string) => string): Record<string, unknown> {
  const renamed: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(map)) {
    const name = rename(key)
    renamed[name] = name in renamed ? joined(renamed[name], value) : value
  }
  return renamed
}

/** Two requests for one table: BatchWriteItem's lists joined, or BatchGetItem's Keys. */
function joined(earlier: unknown, later: unknown): unknown {
  if (Array.isArray(earlier) && Array.isArray(later)) return [...earlier, ...later]
  if (isObject(earlier) && isObject(later) && Array.isArray(earlier.Keys) && Array.isArray(later.Keys)) {
    return { ...earlier, Keys: [...earlier.Keys, ...later.Keys] }
  }
  return later
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
