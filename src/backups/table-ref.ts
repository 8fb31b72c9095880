/** The table a backup operation names by TableName, which may be the table's name or its ARN. */
import type { RegionContext } from '../api/context.js'
import { TableNotFoundException } from '../errors.js'
import type { TableRecord } from '../tables/record.js'

export function findTable(ctx: RegionContext, nameOrArn: string): TableRecord | undefined {
  return nameOrArn.startsWith('arn:') ? ctx.catalog.recordByArn(nameOrArn) : ctx.catalog.record(nameOrArn)
}

/** The table a backup or PITR setting is asked of; a table being restored is not found yet (TableCatalog.settingsRecord). */
export function requireTable(ctx: RegionContext, nameOrArn: string): TableRecord {
  const found = findTable(ctx, nameOrArn)
  const record = found && ctx.catalog.settingsRecord(found.description.TableName)
  if (!record) throw new TableNotFoundException(`Table not found: ${nameOrArn}`)
  return record
}
