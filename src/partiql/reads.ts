/**
 * SELECT as a Query or a Scan. An equality on the partition key at the top of the WHERE
 * clause makes it a Query of that partition (narrowed by one sort key condition when there is
 * one); anything else scans. Either way the whole WHERE clause is the filter, so the key
 * conditions are merely checked twice, and results are exactly what the statement asks.
 */
import type { RequestContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { valueAtPath, type Projection, type SortKeyCondition } from '../expressions/index.js'
import { pageBytesMax, readPage, type PageRequest } from '../items/read-pages.js'
import { indexKeyAttributesOf, keyAttributesOf } from '../items/keys.js'
import { mergeReports } from '../items/capacity.js'
import { checkIndexAttributes, readTarget, unprojectedAttributes } from '../items/select.js'
import { findIndex, hasMultiAttributeKey, type IndexSchema, type KeyNames, type TableSchema } from '../tables/schema.js'
import { queryRange } from '../values/key.js'
import { attributeValuesEqual, compareScalars } from '../values/attribute-value.js'
import { typeOf, type AttributeValue, type Item } from '../values/types.js'
import type { Condition, Path, SelectStatement } from './ast.js'
import { compileStatementExpressions, ExpressionWriter } from './expression-writer.js'
import { keyReadPartitions, refuseUnplannedKeyReads } from './key-reads.js'
import { decodeNextToken, encodeNextToken, type TokenRequest } from './next-token.js'
import { conjuncts, disjuncts, equalityValue, namesAttribute, statementPaths, statementTable } from './keys.js'

/** DynamoDB's refusal to read a GSI with multi-attribute keys through PartiQL (its wording names tables). */
export const multiAttributeIndexRefusal =
  'PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.'

export interface ReadOptions extends TokenRequest {
  Limit?: number
  ConsistentRead?: boolean
  NextToken?: string
  ReturnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE'
}

export interface ReadResult {
  Items: Item[]
  NextToken?: string
  LastEvaluatedKey?: Item
  ConsumedCapacity?: unknown
}

export async function runSelect(ctx: RequestContext, statement: SelectStatement, options: ReadOptions): Promise<ReadResult> {
  // The WHERE clause's own problems (an operand of a type its operator cannot take) are the
  // statement's, told before its table is looked up (an AWS-validated suite's PartiQL
  // validation-ordering case).
  const filter = compileFilter(statement.where)
  const table = statementTable(ctx.catalog, statement.table)
  const projection = compiledProjection(statement.projection)
  const target = statementTarget(table, statement, options)
  const { index } = target
  if (index && hasMultiAttributeKey(index)) throw new ValidationException(multiAttributeIndexRefusal)
  refuseProjectionCall(statement)
  const select = projectedSelect(table, target, projection)
  const keyNames = index ? { partitionKey: index.key.partitionKeys[0]!, sortKey: index.key.sortKeys[0] } : table.key
  if (index) refuseUnprojectedFilter(table, index, keyNames, statement.where)
  refuseUnplannedKeyReads(table, keyNames, statement.where)
  const partition = partitionEquality(table, keyNames, statement.where)
  const order = statementOrder(statement, keyNames)
  const exclusiveStartKey = options.NextToken === undefined ? undefined : decodeNextToken(options.NextToken, options, ctx.clock.now())
  const request = {
    table, index, select, filter,
    consistent: options.ConsistentRead === true,
    returnConsumedCapacity: options.ReturnConsumedCapacity,
  }
  let body: PageBody
  if (partition === undefined && order !== undefined) {
    // ORDER BY over several partitions, named by IN or OR: read one after another, in key order.
    const partitions = keyReadPartitions(statement.where, keyNames, order.partitionsDescending)
    if (partitions === undefined) throw new ValidationException('ORDER BY is supported only with an equality condition on the partition key')
    body = await readPartitionsInOrder(ctx, request, keyNames.partitionKey, partitions, order.sortDescending, options.Limit, exclusiveStartKey)
  } else {
    const sort = partition === undefined ? undefined : sortKeyCondition(table, keyNames, statement.where)
    const range = partition === undefined ? {} : queryRange([partition], sort ? [sort] : [], order?.sortDescending ?? false)
    const page = await readPage(ctx, { ...request, range, limit: options.Limit, exclusiveStartKey })
    body = JSON.parse(page.text) as PageBody
  }
  const result: ReadResult = { Items: body.Items.map((item) => project(item, statement.projection)) }
  if (body.LastEvaluatedKey) {
    result.NextToken = encodeNextToken(body.LastEvaluatedKey, options, ctx.clock.now())
    result.LastEvaluatedKey = body.LastEvaluatedKey
  }
  if (body.ConsumedCapacity) result.ConsumedCapacity = body.ConsumedCapacity
  return result
}

/**
 * The table or index a SELECT reads, as readTarget finds it for a Query, but told in
 * ExecuteStatement's own words: an unknown index is not named, and a strongly consistent read of
 * a global index is refused differently (an AWS-validated suite's index-read cases).
 */
function statementTarget(table: TableSchema, statement: SelectStatement, options: ReadOptions): ReturnType<typeof readTarget> {
  const index = statement.index === undefined ? undefined : findIndex(table, statement.index)
  if (statement.index !== undefined && !index) {
    // A vector index is read only by SearchVectors (an AWS-validated suite, eu-west-2, 2026-08-11).
    if (table.vectorIndexes.some((vector) => vector.name === statement.index)) throw new ValidationException('Scan operation not supported on this index type')
    throw new ValidationException('The table does not have the specified index')
  }
  if (options.ConsistentRead === true && index?.kind === 'global') {
    throw new ValidationException('Strongly consistent read is not supported on Global Secondary Indexes')
  }
  return readTarget(table, { IndexName: statement.index, ConsistentRead: options.ConsistentRead }, undefined)
}

/**
 * A SELECT may project document paths only: a function call there (`SELECT attribute_exists(x)`)
 * is "Unexpected path component at <where the call is>" (an AWS-validated suite's PartiQL
 * function cases, 2026). DynamoDB reports it after the table and index checks: a multi-attribute
 * index's refusal comes first even for `SELECT COUNT(*)`.
 */
export function refuseProjectionCall(statement: SelectStatement): void {
  if (statement.projectionCallAt !== undefined) {
    throw new ValidationException(`Unexpected path component at ${statement.projectionCallAt}`)
  }
}

/**
 * Two projected paths that come back under one name (`b, m.b`; `a, a`) are refused, as DynamoDB
 * Local refuses them, rather than one answering for the other; other overlapping or conflicting
 * paths fail as they do in a ProjectionExpression.
 */
export function compiledProjection(projection: Path[] | undefined): Projection | undefined {
  // Empty only when the projection was a function call, which refuseProjectionCall reports.
  if (!projection || projection.length === 0) return undefined
  const names = new Set<string>()
  for (const path of projection) {
    const name = projectedName(path)
    if (names.has(name)) throw new ValidationException(`Duplicate identifiers in select clause: ${name}`)
    names.add(name)
  }
  const writer = new ExpressionWriter()
  const ProjectionExpression = projection.map((path) => writer.path(path)).join(', ')
  return compileStatementExpressions({ ProjectionExpression, ExpressionAttributeNames: writer.placeholders().ExpressionAttributeNames }).projection
}

/**
 * What a SELECT of named attributes reads from an index that does not project them all: a GSI
 * refuses them, as a Query's ProjectionExpression is refused, and an LSI reads each item whole
 * from the table, as a Query of ALL_ATTRIBUTES does (an AWS-validated suite's PartiQL index-read
 * cases); the statement's projection is applied to what comes back.
 */
function projectedSelect(table: TableSchema, target: ReturnType<typeof readTarget>, projection: Projection | undefined): ReturnType<typeof readTarget>['select'] {
  const { index } = target
  if (!index || !projection || index.projectionType === 'ALL') return target.select
  if (index.kind === 'global') {
    checkIndexAttributes(table, index, undefined, projection, 'Scan')
    return target.select
  }
  return unprojectedAttributes(table, index, projection.paths).length > 0 ? 'ALL_ATTRIBUTES' : target.select
}

/**
 * A read of a secondary index keyed on its partition key (an equality, an IN, or an OR of those
 * at the top of WHERE) may not test, beside that key, an attribute the index does not project;
 * GSI and LSI alike are "Secondary index", the attributes named in the statement's order. Unkeyed
 * the read scans the index, where such a test simply matches nothing. A test that also names a key
 * attribute (`g = 'y' AND (g = 'z' OR x = 1)`) is not beside the key. An OR of branches that are
 * each keyed is as many keyed reads, and DynamoDB checks only the one on the partition key value
 * that sorts last: `(g = 'b' AND u1 = 1) OR (g = 'q' AND u2 = 1)` is refused for u2, `(g = 'y' AND
 * x = 1) OR g = 'y2'` runs. An AWS-validated suite's PartiQL index-qualifier cases; floci's
 * PartiQL edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17.
 */
function refuseUnprojectedFilter(table: TableSchema, index: IndexSchema, keyNames: KeyNames, where: Condition | undefined): void {
  if (index.projectionType === 'ALL' || where === undefined) return
  const branches = where.kind === 'or' ? disjuncts(where) : [where]
  const keyedBranches = branches.map((branch) => ({ branch, partition: keyedPartition(branch, keyNames.partitionKey) }))
  const reads = keyedBranches.every((read) => read.partition !== undefined) ? keyedBranches : []
  const mentionsKey = (condition: Condition) =>
    statementPaths(condition).some((steps) => steps.length === 1 && (steps[0] === keyNames.partitionKey || steps[0] === keyNames.sortKey))
  // Only the read on the partition key value that sorts last is checked.
  const checked = reads.reduce<typeof reads[number] | undefined>((last, read) =>
    last === undefined || (compareScalars(read.partition!, last.partition!) ?? 0) >= 0 ? read : last, undefined)
  if (checked === undefined) return
  const paths = conjuncts(checked.branch).filter((condition) => !mentionsKey(condition)).flatMap(statementPaths)
  const missing = new Set(unprojectedAttributes(table, index, paths))
  if (missing.size > 0) {
    const named = [...new Set(paths.map((steps) => String(steps[0])))].filter((name) => missing.has(name))
    throw new ValidationException(`One or more parameter values were invalid: Secondary index ${index.name} does not project one or more filter attributes: [${named.join(', ')}]`)
  }
}

/**
 * The partition key value a condition's top-level AND fixes (by an equality, an IN, or an OR of
 * those: the largest value named, by which reads are ordered), or undefined when it fixes none.
 */
function keyedPartition(condition: Condition, partitionKey: string): AttributeValue | undefined {
  let largest: AttributeValue | undefined
  const consider = (value: AttributeValue | undefined) => {
    if (value !== undefined && (largest === undefined || (compareScalars(value, largest) ?? 0) > 0)) largest = value
  }
  const fixes = (one: Condition): boolean => {
    if (one.kind === 'or') return disjuncts(one).every(fixes)
    const named = one.kind === 'in' && namesAttribute(one.operand, partitionKey)
      ? one.candidates.flatMap((candidate) => candidate.kind === 'value' ? [candidate.value] : [])
      : [equalityValue(one, partitionKey)].filter((value) => value !== undefined)
    named.forEach(consider)
    return named.length > 0 || (one.kind === 'in' && namesAttribute(one.operand, partitionKey))
  }
  return conjuncts(condition).some(fixes) ? largest ?? { NULL: true } : undefined
}

function compileFilter(where: Condition | undefined) {
  if (!where) return undefined
  const writer = new ExpressionWriter()
  const FilterExpression = writer.condition(where)
  return compileStatementExpressions({ FilterExpression, ...writer.placeholders() }).filter
}

/** `pk = value` at the top of WHERE, when the value has the key's type (otherwise nothing matches, as a Scan finds). */
function partitionEquality(table: TableSchema, keyNames: KeyNames, where: Condition | undefined): AttributeValue | undefined {
  for (const condition of conjuncts(where)) {
    const value = equalityValue(condition, keyNames.partitionKey)
    if (value !== undefined && typeOf(value) === table.attributeTypes[keyNames.partitionKey]) return value
  }
  return undefined
}

/** The first top-level condition on the sort key that a key range can express. */
function sortKeyCondition(table: TableSchema, keyNames: KeyNames, where: Condition | undefined): SortKeyCondition | undefined {
  const sortKey = keyNames.sortKey
  if (sortKey === undefined) return undefined
  const sortType = table.attributeTypes[sortKey]
  const isSortKey = (operand: { kind: string }) => operand.kind === 'path' && (operand as Path).steps.length === 1 && (operand as Path).steps[0] === sortKey
  const valueOf = (operand: { kind: string; value?: AttributeValue }) =>
    operand.kind === 'value' && typeOf(operand.value!) === sortType ? operand.value : undefined
  const flipped = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' } as const
  const direct = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' } as const
  for (const condition of conjuncts(where)) {
    if (condition.kind === 'compare' && condition.comparator !== '<>') {
      const comparator = condition.comparator
      const leftValue = valueOf(condition.left)
      const rightValue = valueOf(condition.right)
      if (isSortKey(condition.left) && rightValue) return { op: direct[comparator], value: rightValue }
      if (isSortKey(condition.right) && leftValue) return { op: flipped[comparator], value: leftValue }
    }
    if (condition.kind === 'between' && isSortKey(condition.operand)) {
      const low = valueOf(condition.low)
      const high = valueOf(condition.high)
      if (low && high) return { op: 'BETWEEN', low, high }
    }
    if (condition.kind === 'function' && condition.name === 'begins_with' && sortType !== 'N' &&
      condition.path.steps.length === 1 && condition.path.steps[0] === sortKey) {
      const prefix = valueOf(condition.argument)
      if (prefix) return { op: 'BEGINS_WITH', value: prefix }
    }
  }
  return undefined
}

/** The key order ORDER BY asks for: of the partitions read (when several are), and within each. */
interface StatementOrder {
  partitionsDescending: boolean
  sortDescending: boolean
}

/**
 * ORDER BY works on the key of a Query: the partition key, the sort key, or both. Partitions
 * come in the partition key's order (ascending when only the sort key is named); within one,
 * items come in the sort key's order, or the partition key's when only it is named.
 */
function statementOrder(statement: SelectStatement, keyNames: KeyNames): StatementOrder | undefined {
  if (statement.orderBy.length === 0) return undefined
  if (!statement.where) throw new ValidationException('Must have WHERE clause in the statement when using ORDER BY clause.')
  for (const order of statement.orderBy) {
    const name = order.path.steps.length === 1 ? order.path.steps[0] : undefined
    if (name !== keyNames.partitionKey && name !== keyNames.sortKey) {
      // DynamoDB Local's words; a DynamoDB user's note quotes the same ending.
      throw new ValidationException(`Variable reference ${pathText(order.path)} in ORDER BY clause must be part of the primary key`)
    }
  }
  const partitionOrder = statement.orderBy.find((order) => order.path.steps[0] === keyNames.partitionKey)
  const sortOrder = statement.orderBy.find((order) => order.path.steps[0] === keyNames.sortKey)
  return {
    partitionsDescending: partitionOrder?.descending ?? false,
    sortDescending: (sortOrder ?? statement.orderBy[0]!).descending,
  }
}

function pathText(path: Path): string {
  return path.steps.map((step, index) => typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`).join('')
}

/** What a page of results holds, as readPage writes it. */
interface PageBody {
  Items: Item[]
  ScannedCount?: number
  LastEvaluatedKey?: Item
  ConsumedCapacity?: unknown
}

/**
 * Reads the partitions one after another, each as a Query of the whole partition (the WHERE
 * clause filters), starting at the one a NextToken stopped in. Limit counts the items read over
 * all of them, as a single Query's does; a page stops where its Query stops, or once it holds
 * 1 MB after a partition, after its last item (the next page reads again any items past it that
 * the filter left out, and leaves them out again).
 */
async function readPartitionsInOrder(
  ctx: RequestContext, request: Omit<PageRequest, 'range' | 'limit' | 'exclusiveStartKey'>, partitionKey: string,
  partitions: AttributeValue[], sortDescending: boolean, limit: number | undefined, exclusiveStartKey: Item | undefined,
): Promise<PageBody> {
  const startValue = exclusiveStartKey?.[partitionKey]
  const first = startValue === undefined ? 0 : Math.max(0, partitions.findIndex((partition) => attributeValuesEqual(partition, startValue)))
  const result: PageBody = { Items: [] }
  let remaining = limit
  let pageBytes = 0
  for (let position = first; position < partitions.length; position++) {
    const { text } = await readPage(ctx, {
      ...request,
      range: queryRange([partitions[position]!], [], sortDescending),
      limit: remaining,
      exclusiveStartKey: position === first ? exclusiveStartKey : undefined,
    })
    const page = JSON.parse(text) as PageBody
    result.Items.push(...page.Items)
    pageBytes += text.length
    if (page.ConsumedCapacity !== undefined) {
      // One table's reports, summed as a PartiQL batch's are.
      const reports = [result.ConsumedCapacity, page.ConsumedCapacity].filter((report) => report !== undefined) as Array<Record<string, unknown>>
      result.ConsumedCapacity = mergeReports(reports)[0]
    }
    if (page.LastEvaluatedKey !== undefined) return { ...result, LastEvaluatedKey: page.LastEvaluatedKey }
    if (remaining !== undefined) remaining -= page.ScannedCount ?? 0
    const last = result.Items.at(-1)
    if (pageBytes >= pageBytesMax && last !== undefined && position < partitions.length - 1) {
      const { table, index } = request
      return { ...result, LastEvaluatedKey: index ? indexKeyAttributesOf(table, index, last) : keyAttributesOf(table, last) }
    }
  }
  return result
}

/**
 * A projected path comes back under its last name, with any list indexes after it as written:
 * `a.b` as "b", `x[0]` as "x[0]" (DynamoDB Local's naming).
 */
export function project(item: Item, projection: Path[] | undefined): Item {
  if (!projection) return item
  const result: Item = {}
  for (const path of projection) {
    const value = valueAtPath(item, path.steps)
    if (value === undefined) continue
    result[projectedName(path)] = value
  }
  return result
}

function projectedName(path: Path): string {
  let lastName = 0
  path.steps.forEach((step, index) => { if (typeof step === 'string') lastName = index })
  return path.steps.slice(lastName).map((step) => typeof step === 'number' ? `[${step}]` : step).join('')
}
