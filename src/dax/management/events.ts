/**
 * DescribeEvents: what the management API did in one region, kept in memory like the rest of the
 * DAX management state. The registries record an event after each change succeeds (clusters.ts,
 * parameter-groups.ts, subnet-groups.ts); DescribeEvents filters them by source and time and pages
 * them newest first, the order of the AWS CLI's describe-events example.
 */
import { InvalidParameterCombinationException, InvalidParameterValueException } from './errors.js'
import { integerOfToken, pageSizeOf, tokenOf } from './paging.js'
import type { DescribeEventsInput, EventSourceType } from './shapes.js'

/** Bounds a busy region's memory; past it the oldest event goes. */
export const eventsPerRegionMax = 1000

const minuteMs = 60_000
const dayMs = 24 * 60 * minuteMs

/** "You can retrieve up to 14 days' worth of events" (DescribeEvents reference). */
export const eventRetentionMs = 14 * dayMs

/** "By default, only the events occurring within the last 24 hours are returned" (the same). */
export const defaultEventWindowMs = dayMs

/**
 * The messages, in one place. "Cluster created.", "Cluster deleted." and "Removed node <id>." are
 * DAX's (the AWS CLI's describe-events example; a cluster's node events name the cluster as their
 * source). The others are ours, in the same form: DAX's wording for them is not published.
 */
export const eventMessages = {
  clusterCreated: 'Cluster created.',
  clusterDeleted: 'Cluster deleted.',
  nodeAdded: (nodeId: string) => `Added node ${nodeId}.`,
  nodeRemoved: (nodeId: string) => `Removed node ${nodeId}.`,
  nodeRebooted: (nodeId: string) => `Rebooted node ${nodeId}.`,
  /** "Parameter group created.", "Subnet group deleted.", ... */
  groupChanged: (sourceType: GroupSourceType, change: GroupChange) =>
    `${sourceType === 'PARAMETER_GROUP' ? 'Parameter group' : 'Subnet group'} ${change}.`,
} as const

export type GroupSourceType = Exclude<EventSourceType, 'CLUSTER'>
export type GroupChange = 'created' | 'updated' | 'deleted'

interface DaxEvent {
  /** Rises by one per event; NextToken names the next event to list by it. */
  readonly sequence: number
  readonly sourceType: EventSourceType
  readonly sourceName: string
  readonly message: string
  readonly dateMs: number
}

export interface EventDescription { SourceName: string; SourceType: EventSourceType; Message: string; Date: number }

interface TimeWindow { startMs: number; endMs: number }

export class DaxEvents {
  /** Oldest first. */
  readonly #events: DaxEvent[] = []
  readonly #now: () => number
  #lastSequence = 0

  constructor(now: () => number) {
    this.#now = now
  }

  record(sourceType: EventSourceType, sourceName: string, message: string): void {
    this.#events.push({ sequence: ++this.#lastSequence, sourceType, sourceName, message, dateMs: this.#now() })
    if (this.#events.length > eventsPerRegionMax) this.#events.shift()
  }

  recordGroupChange(sourceType: GroupSourceType, groupName: string, change: GroupChange): void {
    this.record(sourceType, groupName, eventMessages.groupChanged(sourceType, change))
  }

  /**
   * One page, newest first. The token is a sequence number rather than an offset, so events
   * recorded between two pages do not shift the next page.
   */
  describe(input: DescribeEventsInput): { Events: EventDescription[]; NextToken?: string } {
    const nowMs = this.#now()
    const window = eventWindowOf(input, nowMs)
    const oldestKeptMs = nowMs - eventRetentionMs
    const lastSequence = input.NextToken === undefined ? this.#lastSequence : integerOfToken(input.NextToken)
    const pageSize = pageSizeOf(input.MaxResults)
    // One more than a page: whether it exists decides NextToken.
    const found: DaxEvent[] = []
    for (let index = this.#events.length - 1; index >= 0 && found.length <= pageSize; index--) {
      const event = this.#events[index]!
      if (event.sequence <= lastSequence && event.dateMs >= oldestKeptMs && isMatch(event, input, window)) found.push(event)
    }
    const next = found[pageSize]
    return {
      Events: found.slice(0, pageSize).map(describeEvent),
      ...(next !== undefined && { NextToken: tokenOf(next.sequence) }),
    }
  }
}

/**
 * The time range DescribeEvents covers. StartTime and EndTime bound it; Duration (minutes) runs
 * forward from StartTime, or back from EndTime or now; with none, the last 24 hours. DAX does not
 * document how the three combine: we take them as RDS and ElastiCache describe theirs, and refuse
 * all three together.
 */
export function eventWindowOf(input: DescribeEventsInput, nowMs: number): TimeWindow {
  const { StartTime, EndTime, Duration } = input
  if (StartTime !== undefined && EndTime !== undefined && Duration !== undefined) {
    throw new InvalidParameterCombinationException('Duration cannot be given together with both StartTime and EndTime.')
  }
  if (Duration !== undefined && Duration < 0) {
    throw new InvalidParameterValueException(`Duration must not be negative: ${Duration}`)
  }
  if (StartTime !== undefined && EndTime !== undefined && StartTime > EndTime) {
    throw new InvalidParameterValueException('StartTime must not be later than EndTime.')
  }
  const durationMs = Duration === undefined ? undefined : Duration * minuteMs
  const startMs = StartTime === undefined ? undefined : StartTime * 1000
  const endMs = EndTime === undefined ? undefined : EndTime * 1000
  // A StartTime still to come, without an EndTime, covers nothing yet: an empty range, no fault.
  return startMs === undefined
    ? { startMs: (endMs ?? nowMs) - (durationMs ?? defaultEventWindowMs), endMs: endMs ?? nowMs }
    : { startMs, endMs: endMs ?? (durationMs === undefined ? nowMs : startMs + durationMs) }
}

/** SourceName is compared as given: DAX does not say whether it folds case here. */
function isMatch(event: DaxEvent, input: DescribeEventsInput, window: TimeWindow): boolean {
  return (input.SourceType === undefined || event.sourceType === input.SourceType) &&
    (input.SourceName === undefined || event.sourceName === input.SourceName) &&
    event.dateMs >= window.startMs && event.dateMs <= window.endMs
}

function describeEvent(event: DaxEvent): EventDescription {
  // JSON 1.1 timestamps are seconds since the epoch.
  return { SourceName: event.sourceName, SourceType: event.sourceType, Message: event.message, Date: event.dateMs / 1000 }
}
