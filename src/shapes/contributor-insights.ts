/**
 * UpdateContributorInsights, DescribeContributorInsights and ListContributorInsights:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateContributorInsights.html
 */
import { indexName } from './common.js'
import { integer, operation, string, structure } from './shape.js'
import { controlPlaneTableName } from './table-definitions.js'
import { tableNameFirst } from '../validate/first-checks.js'

export type ContributorInsightsMode = 'ACCESSED_AND_THROTTLED_KEYS' | 'THROTTLED_KEYS'

export interface ContributorInsightsTarget {
  TableName: string
  IndexName?: string
}

export interface UpdateContributorInsightsInput extends ContributorInsightsTarget {
  ContributorInsightsAction: 'ENABLE' | 'DISABLE'
  ContributorInsightsMode?: ContributorInsightsMode
}

export interface ListContributorInsightsInput {
  TableName?: string
  NextToken?: string
  MaxResults?: number
}

const modes = ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS']

export const updateContributorInsightsShape = operation<UpdateContributorInsightsInput>({
  firstCheck: tableNameFirst,
  input: structure('UpdateContributorInsightsInput', {
    TableName: controlPlaneTableName(),
    IndexName: indexName(),
    ContributorInsightsAction: string({ notNull: true, enum: ['ENABLE', 'DISABLE'] }),
    ContributorInsightsMode: string({ enum: modes }),
  }),
})

export const describeContributorInsightsShape = operation<ContributorInsightsTarget>({
  firstCheck: tableNameFirst,
  input: structure('DescribeContributorInsightsInput', {
    TableName: controlPlaneTableName(),
    IndexName: indexName(),
  }),
})

/** ListContributorInsights takes at most 100 results a page (the API reference). */
export const contributorInsightsPageMax = 100

export const listContributorInsightsShape = operation<ListContributorInsightsInput>({
  input: structure('ListContributorInsightsInput', {
    TableName: controlPlaneTableName(),
    NextToken: string(),
    MaxResults: integer({ valueMax: contributorInsightsPageMax }),
  }),
})
