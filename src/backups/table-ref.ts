/** The table a backup operation names by TableName, which may be the table's name or its ARN. */
import type { RegionContext } from '../api/context.js'
import { TableNotFoundException } from '../errors.js'
import type { TableRecord } from '../tables/record.js'

export function findTable(ctx: RegionContext, nameOrArn: string): TableRecord | undefined {
  return nameOrArn.startsWith('arn:') ? ctx.catalog.recordByArn(nameOrArn) : ctx.catalog.record(nameOrArn)
}

export function requireTable(ctx: RegionContext, nameOrArn: string): TableRecord {
  const record = findTable(ctx, nameOrArn)
  if (!record) throw new TableNotFoundException(`Table not found: ${nameOrArn}`)
  return record
}
