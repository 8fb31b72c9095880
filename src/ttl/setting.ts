/**
 * A table's TTL setting: how UpdateTimeToLive may change it, and how DescribeTimeToLive shows
 * it. Pure functions over the stored TimeToLiveSetting (src/tables/record.ts).
 *
 * DynamoDB refuses every request that would not change the setting, and refuses to move TTL to
 * another attribute while it is on: the user must disable it (naming the current attribute)
 * and then enable it again. The messages are DynamoDB's (scylla test_ttl.py passes against AWS;
 * the texts were observed on AWS by terraform-provider-aws and other clients that match on them).
 */
import { ValidationException } from '../errors.js'
import type { TimeToLiveSetting } from '../tables/record.js'

export interface TimeToLiveSpecification {
  AttributeName: string
  Enabled: boolean
}

/**
 * The statuses clients must accept. We report the final state at once (as AWS was observed to
 * do right after enabling), so ENABLING and DISABLING are never shown.
 */
export type TimeToLiveStatus = 'ENABLING' | 'DISABLING' | 'ENABLED' | 'DISABLED'

export interface TimeToLiveDescription {
  TimeToLiveStatus: TimeToLiveStatus
  AttributeName?: string
}

/** The setting after applying `specification`, or the ValidationException DynamoDB gives. */
export function nextTimeToLiveSetting(
  current: TimeToLiveSetting | undefined, specification: TimeToLiveSpecification,
): TimeToLiveSetting {
  const enabledOn = current?.Enabled ? current.AttributeName : undefined
  if (enabledOn !== undefined && enabledOn !== specification.AttributeName) {
    // Both enabling on another attribute and disabling while naming another attribute.
    throw new ValidationException(`TimeToLive is active on a different AttributeName: current AttributeName is ${enabledOn}`)
  }
  if (specification.Enabled && enabledOn !== undefined) throw new ValidationException('TimeToLive is already enabled')
  if (!specification.Enabled && enabledOn === undefined) throw new ValidationException('TimeToLive is already disabled')
  return { AttributeName: specification.AttributeName, Enabled: specification.Enabled }
}

/** DescribeTimeToLive's TimeToLiveDescription: a disabled (or never enabled) TTL names no attribute. */
export function describeTimeToLiveSetting(setting: TimeToLiveSetting | undefined): TimeToLiveDescription {
  return setting?.Enabled
    ? { TimeToLiveStatus: 'ENABLED', AttributeName: setting.AttributeName }
    : { TimeToLiveStatus: 'DISABLED' }
}
