/**
 * UpdateTable's capacity changes: BillingMode, the table's ProvisionedThroughput and
 * OnDemandThroughput. Each function checks against the current record and edits a draft.
 */
import { LimitExceededException, ValidationException } from '../errors.js'
import { checkOnDemandRange, checkThroughputBounds } from './definition-checks.js'
import type { OnDemandThroughput } from '../shapes/table-definitions.js'
import type { ThroughputInput } from './definition-checks.js'
import type { BillingMode, StoredDescription, ThroughputDescription } from './record.js'
import { billingModeOf } from './record.js'
import { keepReachedWarmThroughput } from './warm-throughput.js'
import type { UpdateTableInput } from './update-input.js'

const invalid = 'One or more parameter values were invalid: '
const guideReference = 'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.'

/**
 * The text DynamoDB gives when a throughput update would change nothing. `subject` is
 * "table" or "index NAME".
 */
export function unchangedThroughputMessage(subject: string, current: ThroughputDescription): string {
  // "for the table", but "for index <name>" (DDB-TABLE-164 of an API-quirks lab, against AWS, 2026-10).
  const owner = subject === 'table' ? 'the table' : subject
  return `The provisioned throughput for the ${subject} will not change. The requested value equals the current value. ` +
    `Current ReadCapacityUnits provisioned for ${owner}: ${current.ReadCapacityUnits}. ` +
    `Requested ReadCapacityUnits: ${current.ReadCapacityUnits}. ` +
    `Current WriteCapacityUnits provisioned for ${owner}: ${current.WriteCapacityUnits}. ` +
    `Requested WriteCapacityUnits: ${current.WriteCapacityUnits}. ${guideReference}`
}

/**
 * New provisioned capacity, keeping DynamoDB's bookkeeping: the time of the last increase or
 * decrease, and the decreases made today.
 */
export function changedThroughput(
  current: ThroughputDescription, requested: ThroughputInput, nowMs: number,
): ThroughputDescription {
  const nowSeconds = nowMs / 1000
  const next: ThroughputDescription = { ...current }
  const increased = requested.ReadCapacityUnits > current.ReadCapacityUnits ||
    requested.WriteCapacityUnits > current.WriteCapacityUnits
  const decreased = isDecrease(current, requested)
  // Capacity given to a table or index that had none (it was on demand) is no increase (DDB-TABLE-055).
  const hadCapacity = current.ReadCapacityUnits > 0 || current.WriteCapacityUnits > 0
  if (increased && hadCapacity) next.LastIncreaseDateTime = nowSeconds
  if (decreased) {
    next.NumberOfDecreasesToday = decreasesToday(current, nowMs) + 1
    next.LastDecreaseDateTime = nowSeconds
  }
  next.ReadCapacityUnits = requested.ReadCapacityUnits
  next.WriteCapacityUnits = requested.WriteCapacityUnits
  return next
}

/** Whether a change lowers either unit (one that lowers both is one decrease, as DynamoDB counts them). */
function isDecrease(current: ThroughputDescription, requested: ThroughputInput): boolean {
  return requested.ReadCapacityUnits < current.ReadCapacityUnits || requested.WriteCapacityUnits < current.WriteCapacityUnits
}

/** Decreases a table or index may make in a UTC day before it must wait between them. */
const freeDecreasesPerDay = 4
/** The wait between decreases once the day's free ones are made. */
const decreaseIntervalMs = 3600_000

/**
 * A change of provisioned capacity that a request asks for: as changedThroughput, after
 * DynamoDB's limit on decreases (the first four of a UTC day at once, then one an hour), with
 * its message (DDB-TABLE-184 of an API-quirks lab, against AWS, 2026-10). A replica applying a
 * change its origin made takes changedThroughput directly: the origin has checked it.
 */
export function requestedThroughput(current: ThroughputDescription, requested: ThroughputInput, nowMs: number): ThroughputDescription {
  const today = decreasesToday(current, nowMs)
  if (isDecrease(current, requested) && today >= freeDecreasesPerDay) {
    const lastMs = current.LastDecreaseDateTime! * 1000
    const nextMs = Math.min(lastMs + decreaseIntervalMs, (utcDay(nowMs) + 1) * 86_400_000)
    if (nowMs < nextMs) {
      throw new LimitExceededException('Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. ' +
        `After the first ${freeDecreasesPerDay} decreases, each subsequent decrease in the same UTC day can be performed at most once every ` +
        `${decreaseIntervalMs / 1000} seconds. Number of decreases today: ${today}. Last decrease at ${spelledTime(lastMs)}. ` +
        `Next decrease can be made at ${spelledTime(nextMs)}.`)
    }
  }
  return changedThroughput(current, requested, nowMs)
}

/** A time as DynamoDB spells it in that message: "Thursday, October 8, 2026 at 11:20:48 PM Coordinated Universal Time". */
const spelledTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'full', timeZone: 'UTC' })
function spelledTime(ms: number): string {
  // Newer ICU puts a narrow no-break space before AM/PM.
  return spelledTimeFormat.format(ms).replace(/\u202f/g, ' ')
}

/** The decreases made on the current UTC day: DynamoDB's count starts again at 00:00 UTC. */
export function decreasesToday(throughput: ThroughputDescription, nowMs: number): number {
  const last = throughput.LastDecreaseDateTime
  return last !== undefined && utcDay(last * 1000) === utcDay(nowMs) ? throughput.NumberOfDecreasesToday : 0
}

function utcDay(ms: number): number {
  return Math.floor(ms / 86_400_000)
}

/** Throughput as DescribeTable shows it at `nowMs`: the day's decreases, none after midnight UTC. */
export function describedThroughput(throughput: ThroughputDescription, nowMs: number): ThroughputDescription {
  const today = decreasesToday(throughput, nowMs)
  return today === throughput.NumberOfDecreasesToday ? throughput : { ...throughput, NumberOfDecreasesToday: today }
}

export function targetBillingMode(input: UpdateTableInput, description: StoredDescription): BillingMode {
  return input.BillingMode ?? billingModeOf(description)
}

function checkCapacity(input: UpdateTableInput, description: StoredDescription): void {
  const target = targetBillingMode(input, description)
  const requested = input.ProvisionedThroughput
  if (target === 'PAY_PER_REQUEST' && requested) {
    // A provisioned table switching to on-demand is told otherwise than one already on demand (DDB-TABLE-056 of an API-quirks lab).
    throw new ValidationException(billingModeOf(description) === 'PROVISIONED'
      ? `${invalid}ProvisionedThroughput cannot be specified when BillingMode is PAY_PER_REQUEST`
      : `${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`)
  }
  if (target === 'PROVISIONED' && billingModeOf(description) === 'PAY_PER_REQUEST' && !requested) {
    throw new ValidationException(`${invalid}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`)
  }
  checkThroughputBounds(requested)
  const current = description.ProvisionedThroughput
  if (requested && billingModeOf(description) === 'PROVISIONED' &&
    requested.ReadCapacityUnits === current.ReadCapacityUnits &&
    requested.WriteCapacityUnits === current.WriteCapacityUnits &&
    !input.GlobalSecondaryIndexUpdates) {
    throw new ValidationException(unchangedThroughputMessage('table', current))
  }
  if (input.OnDemandThroughput && target === 'PROVISIONED') {
    const member = input.OnDemandThroughput.MaxReadRequestUnits !== undefined ? 'MaxReadRequestUnits' : 'MaxWriteRequestUnits'
    throw new ValidationException(`${invalid}${member} for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`)
  }
  checkOnDemandRange(input.OnDemandThroughput, 'table', true)
}

/**
 * Moves the draft to `target` billing, if it has another: on-demand zeroes the table's and GSIs'
 * provisioned units and notes when. Returns whether the mode changed.
 */
export function switchBillingMode(description: StoredDescription, target: BillingMode, nowMs: number): boolean {
  if (billingModeOf(description) === target) return false
  for (const index of description.GlobalSecondaryIndexes ?? []) keepReachedWarmThroughput(index, billingModeOf(description))
  const summary = { ...description.BillingModeSummary, BillingMode: target }
  if (target === 'PROVISIONED') {
    // On-demand maxima go with the mode, the table's and each GSI's (DDB-TABLE-153 of the same lab).
    delete description.OnDemandThroughput
    for (const index of description.GlobalSecondaryIndexes ?? []) delete index.OnDemandThroughput
  }
  if (target === 'PAY_PER_REQUEST') {
    summary.LastUpdateToPayPerRequestDateTime = nowMs / 1000
    description.ProvisionedThroughput = { ...description.ProvisionedThroughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 }
    for (const index of description.GlobalSecondaryIndexes ?? []) {
      index.ProvisionedThroughput = { ...index.ProvisionedThroughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 }
    }
  }
  description.BillingModeSummary = summary
  return true
}

/** Applies BillingMode, ProvisionedThroughput and OnDemandThroughput to the draft description. */
export function applyCapacity(input: UpdateTableInput, description: StoredDescription, nowMs: number): void {
  checkCapacity(input, description)
  const target = targetBillingMode(input, description)
  // Naming the mode a table already has adds no BillingModeSummary to one that never had one.
  switchBillingMode(description, target, nowMs)
  if (input.ProvisionedThroughput) {
    description.ProvisionedThroughput = requestedThroughput(description.ProvisionedThroughput, input.ProvisionedThroughput, nowMs)
  }
  if (input.OnDemandThroughput) {
    const merged = mergeOnDemand(description.OnDemandThroughput, input.OnDemandThroughput)
    if (merged) description.OnDemandThroughput = merged
    else delete description.OnDemandThroughput
  }
}

/**
 * OnDemandThroughput merged member by member; -1 takes a limit away, and with both gone there is
 * no OnDemandThroughput at all (DynamoDB shows the -1 for about a second, then this: DDB-TABLE-182).
 */
/** Whether an OnDemandThroughput names a maximum at all (`{}` names none). */
export function setsOnDemandMaximum(value: OnDemandThroughput | undefined): value is OnDemandThroughput {
  return value !== undefined && (value.MaxReadRequestUnits !== undefined || value.MaxWriteRequestUnits !== undefined)
}

export function mergeOnDemand(current: OnDemandThroughput | undefined, requested: OnDemandThroughput): OnDemandThroughput | undefined {
  const merged: OnDemandThroughput = { ...current, ...requested }
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    if (merged[member] === -1) delete merged[member]
  }
  return Object.keys(merged).length > 0 ? merged : undefined
}
