/**
 * WarmThroughput: the reads and writes a second a table or a global index can take at once.
 * EddyDB has no partitions to pre-warm, so it keeps and reports the values the way DynamoDB does
 * (an API-quirks lab's findings verified against DynamoDB in 2026, DDB-TABLE-032, -039, -061,
 * -179; Alternator's test_warm_throughput.py, which its authors run against DynamoDB):
 * - DescribeTable always shows it: an on-demand table starts at 12,000 reads and 4,000 writes, a
 *   provisioned one at its capacity, and it only ever rises (it keeps the highest capacity ever
 *   provisioned, and 12,000/4,000 once the table has been on demand).
 * - CreateTable's answer carries it only if the request set it.
 * - A request may set one unit; the other keeps its current value.
 * - A requested value below the on-demand start, below the provisioned capacity or below the
 *   current value is refused, naming the unit.
 */
import { ValidationException } from '../errors.js'
import type { BillingMode, ThroughputDescription, WarmThroughputDescription } from './record.js'

export interface WarmUnits {
  ReadUnitsPerSecond: number
  WriteUnitsPerSecond: number
}

export type RequestedWarmThroughput = Partial<WarmUnits>

/** What every on-demand table and index starts with, and the least it can be set to. */
export const onDemandWarmStart: WarmUnits = { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_000 }

const invalid = 'One or more parameter values were invalid: '
const units = ['ReadUnitsPerSecond', 'WriteUnitsPerSecond'] as const
const capacityOf = { ReadUnitsPerSecond: 'ReadCapacityUnits', WriteUnitsPerSecond: 'WriteCapacityUnits' } as const

/** Provisioned capacity, as stored or as a CreateTable request gives it. */
type Capacity = Pick<ThroughputDescription, 'ReadCapacityUnits' | 'WriteCapacityUnits'>

/** The warm throughput the billing mode alone gives. */
function baseline(billingMode: BillingMode, throughput: Capacity | undefined): WarmUnits {
  if (billingMode === 'PAY_PER_REQUEST' || throughput === undefined) return onDemandWarmStart
  return { ReadUnitsPerSecond: throughput.ReadCapacityUnits, WriteUnitsPerSecond: throughput.WriteCapacityUnits }
}

/** The warm throughput to report: what was set or reached, and at least what the billing gives. */
export function effectiveWarmThroughput(
  stored: WarmThroughputDescription | undefined, billingMode: BillingMode, throughput: Capacity | undefined,
): WarmThroughputDescription & WarmUnits {
  const floor = baseline(billingMode, throughput)
  return {
    ReadUnitsPerSecond: Math.max(stored?.ReadUnitsPerSecond ?? 0, floor.ReadUnitsPerSecond),
    WriteUnitsPerSecond: Math.max(stored?.WriteUnitsPerSecond ?? 0, floor.WriteUnitsPerSecond),
    Status: stored?.Status ?? 'ACTIVE',
  }
}

/**
 * Checks a requested warm throughput for a table (`target` 'table') or a global index
 * (`index <name>`), against the billing mode and, for an existing one, its current value.
 */
export function checkWarmThroughput(
  requested: RequestedWarmThroughput, target: string, billingMode: BillingMode,
  throughput: Capacity | undefined, current?: WarmUnits,
): void {
  // On a provisioned table a decrease is named before the capacity (DDB-TABLE-059 of an API-quirks
  // lab, 2026-10); on demand, a value below the initial throughput is named first (DDB-TABLE-179).
  const decreaseFirst = current !== undefined && billingMode === 'PROVISIONED'
  const decreasing = (unit: (typeof units)[number]) =>
    new ValidationException(`${invalid}Requested ${unit} for WarmThroughput for ${target} is lower than current ` +
      'WarmThroughput, decreasing WarmThroughput is not supported')
  for (const unit of units) {
    const value = requested[unit]
    if (value === undefined) continue
    if (decreaseFirst && value < current[unit]) throw decreasing(unit)
    if (billingMode === 'PAY_PER_REQUEST' || throughput === undefined) {
      if (value < onDemandWarmStart[unit]) {
        throw new ValidationException(`${invalid}Requested ${unit} for WarmThroughput for ${target} is lower than initial ` +
          'throughput for OnDemand. See: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial')
      }
    } else if (value < throughput[capacityOf[unit]]) {
      throw new ValidationException(`${invalid}Requested ${unit} for WarmThroughput for ${target} is lower than ` +
        `${capacityOf[unit]} of ProvisionedThroughput`)
    }
    if (current !== undefined && value < current[unit]) throw decreasing(unit)
  }
}

/** A new table's or index's warm throughput, when its request sets one (checkWarmThroughput checked it). */
export function initialWarmThroughput(
  requested: RequestedWarmThroughput, billingMode: BillingMode, throughput: Capacity | undefined,
): WarmThroughputDescription {
  return raisedWarmThroughput(effectiveWarmThroughput(undefined, billingMode, throughput), requested)
}

/** The warm throughput after a request set some of its units over `current`. */
export function raisedWarmThroughput(current: WarmUnits, requested: RequestedWarmThroughput = {}): WarmThroughputDescription {
  return {
    ReadUnitsPerSecond: requested.ReadUnitsPerSecond ?? current.ReadUnitsPerSecond,
    WriteUnitsPerSecond: requested.WriteUnitsPerSecond ?? current.WriteUnitsPerSecond,
    Status: 'ACTIVE',
  }
}

/**
 * Keeps what a GSI's warm throughput has reached before its capacity or the table's billing mode
 * changes: it only rises, as the table's does, though what it is derived from may fall (DDB-TABLE-134
 * and -153 of an API-quirks lab, against AWS, 2026-10).
 */
export function keepReachedWarmThroughput(
  index: { WarmThroughput?: WarmThroughputDescription; ProvisionedThroughput: ThroughputDescription }, billingMode: BillingMode,
): void {
  index.WarmThroughput = raisedWarmThroughput(effectiveWarmThroughput(index.WarmThroughput, billingMode, index.ProvisionedThroughput))
}
