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
import { afterToken, pageToken } from '../s3/jobs.js'

/** The key the table's own setting is kept under (index names have at least 3 characters). */
const tableTarget = ''

export const updateContributorInsights: OperationHandler<UpdateContributorInsightsInput> = async (ctx, input) => {
  const { record, target } = targetOf(ctx, input)
  const enable = input.ContributorInsightsAction === 'ENABLE'
  if (enable) checkReadyForInsights(record, input.IndexName)
  // ENABLE without a mode means the default mode again, even after THROTTLED_KEYS.
  const mode: ContributorInsightsMode = input.ContributorInsightsMode ?? 'ACCESSED_AND_THROTTLED_KEYS'
  const current = record.contributorInsights?.[target]
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
  const nowMs = ctx.clock.now()
  // Narrowing to THROTTLED_KEYS drops the most-accessed rules and keeps the others as they were
  // (DDB-TABLE-341 of the same lab); enabling, or widening, makes new ones.
  const narrowed = enable && current?.Status === 'ENABLED' && Mode === 'THROTTLED_KEYS'
  const rulesMadeAtMs = narrowed ? current.rulesMadeAtMs ?? current.changedAtMs : nowMs
  await ctx.catalog.update(input.TableName, (draft) => {
    // Checked again on the record as stored: an index deleted meanwhile (on another node) must not
    // leave its setting behind, for an index made later under its name to inherit.
    checkGlobalIndex(draft, input)
    if (enable) checkReadyForInsights(draft, input.IndexName)
    const settings = draft.contributorInsights ??= {}
    settings[target] = { Status: enable ? 'ENABLED' : 'DISABLED', Mode, changedAtMs: nowMs, rulesMadeAtMs }
  })
  return { ...named(input), ContributorInsightsStatus: enable ? 'ENABLING' : 'DISABLING', ContributorInsightsMode: Mode }
}

export const describeContributorInsights: OperationHandler<ContributorInsightsTarget> = async (ctx, input) => {
  const { record, schema, target } = targetOf(ctx, input)
  const setting = record.contributorInsights?.[target]
  if (setting === undefined) return { ...named(input), ContributorInsightsStatus: 'DISABLED' }
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
  const listed = names.flatMap((name) => enabledTargets(ctx.catalog.record(name)))
  const after = input.NextToken === undefined ? undefined : afterToken(input.NextToken, 'Invalid NextToken for ListContributorInsights')
  const start = after === undefined ? 0 : listed.findIndex((each) => each.arn === after) + 1
  if (start === 0 && after !== undefined) throw new ValidationException('Invalid NextToken for ListContributorInsights')
  // A MaxResults below 1 (the model sets no minimum) is taken as none.
  const size = input.MaxResults !== undefined && input.MaxResults >= 1 ? input.MaxResults : contributorInsightsPageMax
  const page = listed.slice(start, start + size)
  const more = start + size < listed.length
  return {
    ContributorInsightsSummaries: page.map((each) => each.summary),
    ...(more ? { NextToken: pageToken(page.at(-1)!.arn) } : {}),
  }
}

/** A table's targets whose Contributor Insights are on, each with its ARN (what a NextToken names). */
function enabledTargets(record: TableRecord | undefined): Array<{ arn: string; summary: Record<string, string> }> {
  if (record === undefined) return []
  const TableName = record.description.TableName
  const targets = [
    { arn: record.description.TableArn, IndexName: undefined as string | undefined },
    ...(record.description.GlobalSecondaryIndexes ?? []).map((index) => ({ arn: index.IndexArn, IndexName: index.IndexName })),
  ]
  return targets.flatMap(({ arn, IndexName }) => {
    const setting = record.contributorInsights?.[IndexName ?? tableTarget]
    if (setting?.Status !== 'ENABLED') return []
    const summary = { TableName, ...(IndexName === undefined ? {} : { IndexName }), ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: setting.Mode }
    return [{ arn, summary }]
  })
}

/**
 * The table's record and schema, and the key the setting is kept under; a table or global index
 * that does not exist is ResourceNotFoundException (the table's in the control plane's words).
 */
function targetOf(ctx: RegionContext, input: ContributorInsightsTarget): { record: TableRecord; schema: TableSchema; target: string } {
  const record = ctx.catalog.requireSettingsRecord(input.TableName)
  const schema = ctx.catalog.get(input.TableName)!
  if (input.IndexName === undefined) return { record, schema, target: tableTarget }
  checkGlobalIndex(record, input)
  return { record, schema, target: input.IndexName }
}

function checkGlobalIndex(record: TableRecord, input: ContributorInsightsTarget): void {
  if (input.IndexName === undefined) return
  if (!record.description.GlobalSecondaryIndexes?.some((index) => index.IndexName === input.IndexName)) {
    throw new ResourceNotFoundException(
      `Requested resource not found: Index: ${input.IndexName} not found for table: ${input.TableName}`)
  }
}

/**
 * Insights are turned on only for an index that is ready, not one still being built (an
 * API-quirks lab, against AWS, 2026-10, DDB-TABLE-116).
 */
function checkReadyForInsights(record: TableRecord, indexName: string | undefined): void {
  const notReady = 'Table or Index is not in a valid state to update Key Access Insights: '
  const index = indexName === undefined ? undefined : record.description.GlobalSecondaryIndexes?.find((each) => each.IndexName === indexName)
  if (index !== undefined && index.IndexStatus !== 'ACTIVE') throw new ValidationException(`${notReady}IndexStatus must be ACTIVE to enable ContributorInsights.`)
}

function named(input: ContributorInsightsTarget): ContributorInsightsTarget {
  return input.IndexName === undefined ? { TableName: input.TableName } : { TableName: input.TableName, IndexName: input.IndexName }
}

/**
 * The CloudWatch rules DynamoDB makes, "DynamoDBContributorInsights-<kind>-<resource>-<the rules'
 * creation time in ms>" (Developer Guide, Contributor Insights): most accessed (PKC, SKC) in the default
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
  return kinds.map((kind) => `DynamoDBContributorInsights-${kind}-${resource}-${setting.rulesMadeAtMs ?? setting.changedAtMs}`)
}
