/**
 * Consumed capacity, by DynamoDB's arithmetic: a read unit is 4 KB (half a unit when eventually
 * consistent), a write unit is 1 KB, transactions cost double, and every index row written costs
 * write units on that index. Reported only when the request asks (ReturnConsumedCapacity).
 */
import type { TableSchema } from '../tables/schema.js'
import { ownMember, setMember } from '../values/members.js'

export const readUnitBytes = 4096
export const writeUnitBytes = 1024

export type CapacityDetail = 'NONE' | 'TOTAL' | 'INDEXES'

export function readUnits(sizeBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / readUnitBytes))
  return consistent ? units : units / 2
}

export function writeUnits(sizeBytes: number): number {
  return Math.max(1, Math.ceil(sizeBytes / writeUnitBytes))
}

/**
 * Whose units a transactional report names: transactions (and only they) report
 * `ReadCapacityUnits` or `WriteCapacityUnits` beside `CapacityUnits` (an AWS-validated suite's
 * ConsumedCapacity cases, eu-west-2 2026).
 */
export type TransactionalUse = 'read' | 'write'

/** Accumulates what one request consumed on one table and its indexes. */
export class CapacityMeter {
  table = 0
  readonly indexes = new Map<string, number>()
  /** Bytes written to each vector index (src/vectors/capacity.ts), reported apart from units. */
  readonly vectorIndexes = new Map<string, number>()

  /** `transactional`: the kind of units to report apart, for a transaction's meter. */
  constructor(readonly schema: TableSchema, readonly transactional?: TransactionalUse) {}

  addTable(units: number): void {
    this.table += units
  }

  addIndex(name: string, units: number): void {
    this.indexes.set(name, (this.indexes.get(name) ?? 0) + units)
  }

  addVectorIndex(name: string, bytes: number): void {
    this.vectorIndexes.set(name, (this.vectorIndexes.get(name) ?? 0) + bytes)
  }

  /** Only transactions name their units' kind. */
  private split(units: number): Record<string, number> {
    if (this.transactional === undefined) return {}
    return this.transactional === 'read' ? { ReadCapacityUnits: units } : { WriteCapacityUnits: units }
  }

  /** Adds what another meter of the same table counted (one write of a batch or transaction). */
  addAll(other: CapacityMeter): void {
    this.addTable(other.table)
    for (const [name, units] of other.indexes) this.addIndex(name, units)
    for (const [name, bytes] of other.vectorIndexes) this.addVectorIndex(name, bytes)
  }

  total(): number {
    let sum = this.table
    for (const units of this.indexes.values()) sum += units
    return sum
  }

  /** The ConsumedCapacity wire shape, or undefined when the request did not ask. */
  report(detail: CapacityDetail | undefined): Record<string, unknown> | undefined {
    if (!detail || detail === 'NONE') return undefined
    const consumed: Record<string, unknown> = { TableName: this.schema.name, CapacityUnits: this.total(), ...this.split(this.total()) }
    if (detail === 'INDEXES') {
      consumed.Table = { CapacityUnits: this.table, ...this.split(this.table) }
      const global: Record<string, Record<string, number>> = {}
      const local: Record<string, Record<string, number>> = {}
      for (const [name, units] of this.indexes) {
        const index = this.schema.indexes.find((candidate) => candidate.name === name)
        // A transaction's index arms name their units' kind too (a TransactWriteItems reply
        // recorded from AWS in rusoto issue 1919: "gsi1":{"CapacityUnits":2.0,"WriteCapacityUnits":2.0}).
        setMember(index?.kind === 'local' ? local : global, name, { CapacityUnits: units, ...this.split(units) })
      }
      if (Object.keys(global).length) consumed.GlobalSecondaryIndexes = global
      if (Object.keys(local).length) consumed.LocalSecondaryIndexes = local
      // Vector writes only under INDEXES, and only where the write changed what an index holds
      // (an AWS-validated suite's vector capacity cases, eu-west-2, 2026-08-11).
      if (this.vectorIndexes.size) {
        consumed.VectorIndexes = Object.fromEntries([...this.vectorIndexes].map(([name, bytes]) => [name, { VectorWriteRequestBytes: bytes }]))
      }
    }
    return consumed
  }
}

/** Reports for several tables (batches, transactions), in the order the tables were first met. */
export function reportAll(meters: Iterable<CapacityMeter>, detail: CapacityDetail | undefined): Record<string, unknown>[] | undefined {
  if (!detail || detail === 'NONE') return undefined
  return [...meters].map((meter) => meter.report(detail)!)
}

type IndexArms = Record<string, { CapacityUnits: number }>

/**
 * One report per table from several reports of single requests (the members of a PartiQL batch),
 * in the order the tables were first met: the units, the table arm and each index arm summed.
 */
export function mergeReports(reports: Array<Record<string, unknown>>): Record<string, unknown>[] {
  const byTable = new Map<string, Record<string, unknown>>()
  for (const report of reports) {
    const merged = byTable.get(report.TableName as string)
    if (!merged) {
      byTable.set(report.TableName as string, structuredClone(report))
      continue
    }
    merged.CapacityUnits = (merged.CapacityUnits as number) + (report.CapacityUnits as number)
    if (report.Table) {
      const table = (merged.Table ??= { CapacityUnits: 0 }) as { CapacityUnits: number }
      table.CapacityUnits += (report.Table as { CapacityUnits: number }).CapacityUnits
    }
    for (const arms of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
      for (const [name, arm] of Object.entries((report[arms] ?? {}) as IndexArms)) {
        const into = (merged[arms] ??= {}) as IndexArms
        setMember(into, name, { CapacityUnits: (ownMember(into, name)?.CapacityUnits ?? 0) + arm.CapacityUnits })
      }
    }
  }
  return [...byTable.values()]
}
