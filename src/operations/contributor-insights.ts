/**
 * Contributor Insights: UpdateContributorInsights, DescribeContributorInsights and
 * ListContributorInsights keep each table's and global index's setting in the table's record,
 * so it lives and dies with the table. EddyDB has no CloudWatch: the rules are named as DynamoDB
 * names them but nothing is collected. An update answers ENABLING or DISABLING, as DynamoDB does;
 * the change is done at once, so the next Describe already reports ENABLED or DISABLED (DynamoDB
 * takes about a second).
 */
import type { OperationHandler, RegionContext } from '../api/context.js'
import { ResourceNotFoundException, ValidationException } from '../errors.js'
import type {
  ContributorInsightsMode, ContributorInsightsTarget, ListContributorInsightsInput, UpdateContributorInsightsInput,
} from '../shapes/contributor-insights.js'
import { contributorInsightsPageMax } from '../shapes/contributor-insights.js'
import type { ContributorInsightsSetting, TableRecord } from '../tables/record.js'
import { findIndex, type TableSchema } from '../tables/schema.js'

/** The key the table's own setting is kept under (index names have at least 3 characters). */
const tableTarget = ''

export const updateContributorInsights: OperationHandler<UpdateContributorInsightsInput> = async (ctx, input) => {
  const target = targetOf(ctx, input)
  const enable = input.ContributorInsightsAction === 'ENABLE'
  // ENABLE without a mode means the default mode again, even after THROTTLED_KEYS.
  const mode: ContributorInsightsMode = input.ContributorInsightsMode ?? 'ACCESSED_AND_THROTTLED_KEYS'
  const current = ctx.catalog.requireRecord(input.TableName).contributorInsights?.[target]
  // ENABLE in the mode already on changes nothing and answers ENABLED (the ACK API-quirks lab,
  // verified against DynamoDB 2026-10-08, DDB-TABLE-092).
  if (enable && current?.Status === 'ENABLED' && current.Mode === mode) {
    return { ...named(input), ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: mode }
  }
  // DISABLE where nothing is on changes nothing and answers DISABLED; a target never enabled keeps
  // its bare description (DDB-TABLE-091, DDB-TABLE-089 of the same lab).
  if (!enable && current?.Status !== 'ENABLED') {
    return { ...named(input), ContributorInsightsStatus: 'DISABLED', ...(current ? { ContributorInsightsMode: current.Mode } : {}) }
  }
  // DISABLE takes no mode: one sent is ignored, and the answer echoes the mode the target had.
  const Mode = enable ? mode : current?.Mode ?? mode
  await ctx.catalog.update(input.TableName, (draft) => {
    const settings = draft.contributorInsights ??= {}
    settings[target] = { Status: enable ? 'ENABLED' : 'DISABLED', Mode, changedAtMs: ctx.clock.now() }
  })
  return { ...named(input), ContributorInsightsStatus: enable ? 'ENABLING' : 'DISABLING', ContributorInsightsMode: Mode }
}

export const describeContributorInsights: OperationHandler<ContributorInsightsTarget> = async (ctx, input) => {
  const target = targetOf(ctx, input)
  const record = ctx.catalog.requireRecord(input.TableName)
  const setting = record.contributorInsights?.[target]
  if (setting === undefined) return { ...named(input), ContributorInsightsStatus: 'DISABLED' }
  const schema = tableSchema(ctx, input.TableName)
  return {
    ...named(input),
    ...(setting.Status === 'ENABLED' ? { ContributorInsightsRuleList: ruleNames(schema, input.IndexName, setting) } : {}),
    ContributorInsightsStatus: setting.Status,
    LastUpdateDateTime: setting.changedAtMs / 1000,
    ContributorInsightsMode: setting.Mode,
  }
}

/**
 * The tables and global indexes whose Contributor Insights are on: of one table, or of every
 * table. A DISABLED target is never listed, as DynamoDB lists none (DDB-TABLE-095, DDB-TABLE-343
 * of the API-quirks lab). In table name order, a table before its indexes; a page of MaxResults
 * (at most 100).
 */
export const listContributorInsights: OperationHandler<ListContributorInsightsInput> = async (ctx, input) => {
  const names = input.TableName === undefined ? ctx.catalog.names() : [ctx.catalog.requireRecord(input.TableName).description.TableName]
  const summaries = names.flatMap((name) => summariesOf(ctx, name))
    .filter((summary) => summary.ContributorInsightsStatus === 'ENABLED')
  const start = input.NextToken === undefined ? 0 : positionAfter(summaries, input.NextToken)
  const size = input.MaxResults ?? contributorInsightsPageMax
  const page = summaries.slice(start, start + size)
  const more = start + size < summaries.length
  return { ContributorInsightsSummaries: page, ...(more ? { NextToken: tokenFor(page.at(-1)!) } : {}) }
}

interface Summary {
  TableName: string
  IndexName?: string
  ContributorInsightsStatus: 'ENABLED' | 'DISABLED'
  ContributorInsightsMode?: ContributorInsightsMode
}

function summariesOf(ctx: RegionContext, name: string): Summary[] {
  const record = ctx.catalog.record(name)
  if (record === undefined) return []
  const globalIndexes = (record.description.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)
  return [undefined, ...globalIndexes].map((IndexName) => summaryOf(record, IndexName))
}

function summaryOf(record: TableRecord, IndexName: string | undefined): Summary {
  const setting = record.contributorInsights?.[IndexName ?? tableTarget]
  return {
    TableName: record.description.TableName,
    ...(IndexName === undefined ? {} : { IndexName }),
    ContributorInsightsStatus: setting?.Status ?? 'DISABLED',
    ...(setting === undefined ? {} : { ContributorInsightsMode: setting.Mode }),
  }
}

/** The key a setting is kept under; a table or global index that does not exist is ResourceNotFoundException. */
function targetOf(ctx: RegionContext, input: ContributorInsightsTarget): string {
  const schema = tableSchema(ctx, input.TableName)
  if (input.IndexName === undefined) return tableTarget
  if (findIndex(schema, input.IndexName)?.kind !== 'global') {
    throw new ResourceNotFoundException(
      `Requested resource not found: Index: ${input.IndexName} not found for table: ${input.TableName}`)
  }
  return input.IndexName
}

/** The table's schema; a missing table gets the control plane's ResourceNotFoundException. */
function tableSchema(ctx: RegionContext, name: string): TableSchema {
  ctx.catalog.requireRecord(name)
  return ctx.catalog.get(name)!
}

function named(input: ContributorInsightsTarget): ContributorInsightsTarget {
  return input.IndexName === undefined ? { TableName: input.TableName } : { TableName: input.TableName, IndexName: input.IndexName }
}

/**
 * The CloudWatch rules DynamoDB makes, "DynamoDBContributorInsights-<kind>-<resource>-<creation
 * time in ms>" (Developer Guide, Contributor Insights): most accessed (PKC, SKC) in the default
 * mode only, most throttled (PKT, SKT) in both; the sort key's only where there is one. An index's
 * resource is "<table>-<index>".
 */
function ruleNames(schema: TableSchema, indexName: string | undefined, setting: ContributorInsightsSetting): string[] {
  const hasSortKey = indexName === undefined
    ? schema.key.sortKey !== undefined
    : findIndex(schema, indexName)!.key.sortKeys.length > 0
  const kinds = [
    ...(setting.Mode === 'ACCESSED_AND_THROTTLED_KEYS' ? ['PKC', ...(hasSortKey ? ['SKC'] : [])] : []),
    'PKT', ...(hasSortKey ? ['SKT'] : []),
  ]
  const resource = indexName === undefined ? schema.name : `${schema.name}-${indexName}`
  return kinds.map((kind) => `DynamoDBContributorInsights-${kind}-${resource}-${setting.changedAtMs}`)
}

/** A NextToken: the last summary listed, as base64 of its table and index names. */
function tokenFor(summary: Summary): string {
  return Buffer.from(JSON.stringify([summary.TableName, summary.IndexName ?? tableTarget])).toString('base64')
}

function positionAfter(summaries: Summary[], token: string): number {
  let after: unknown
  try {
    after = JSON.parse(Buffer.from(token, 'base64').toString('utf8'))
  } catch {
    after = undefined
  }
  const index = Array.isArray(after)
    ? summaries.findIndex((summary) => summary.TableName === after[0] && (summary.IndexName ?? tableTarget) === after[1])
    : -1
  if (index < 0) throw new ValidationException('Invalid NextToken for ListContributorInsights')
  return index + 1
}
