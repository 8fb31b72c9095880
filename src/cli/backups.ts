/**
 * The backup commands, against a running server through its public API:
 *   eddydb backup create TABLE NAME | list [TABLE] [--type T] | restore ARN TARGET | delete ARN
 *   eddydb backup copy ARN --to-region R   (POST /_eddydb/backups/copy, then DescribeBackup in R)
 *   eddydb restore SOURCE TARGET --to-time TIME|latest
 *   eddydb scan TABLE --as-of TIME   (the table as it was, without restoring it: /_eddydb/as-of)
 * Restores wait for the new table with a progress bar unless --no-wait is given.
 */
import { ConfigError } from '../config.js'
import { copyBackupPath } from '../backups/copy-route.js'
import { asOfPath, parseInstantMs } from '../history/as-of-route.js'
import { StartupError } from '../startup-error.js'
import type { HttpUpstream } from '../dax/upstream/http.js'
import { call, callRoute, formatColumns, openUpstream, parseAdminOptions, type AdminOptions } from './admin.js'
import { progressBar } from './progress.js'

export const backupUsage = `Backup commands (against a running server; they take the admin commands' options):
  eddydb backup create TABLE NAME        an on-demand backup of TABLE as of now
  eddydb backup list [TABLE] [--type USER|SYSTEM|ALL]
  eddydb backup restore BACKUP_ARN TARGET   a new table TARGET from the backup
  eddydb backup delete BACKUP_ARN
  eddydb backup copy BACKUP_ARN --to-region R
                                         a copy of the backup in region R of this server
                                         (AWS Backup's cross-region copy); waits until AVAILABLE
  eddydb restore SOURCE TARGET --to-time TIME|latest
                                         a new table TARGET with SOURCE as it was at TIME
                                         (ISO 8601 or epoch seconds; PITR must be on)
  eddydb scan TABLE --as-of TIME         print TABLE's items as they were at TIME, one JSON per line
  Restores show progress until the new table is ACTIVE (--wait is implied).
`

const restorePollMs = 100
/** Looks at the restoring table, or the backup being copied, at most this many times (a bound: about 40 minutes). */
const restorePollsMax = 24_000

type Out = NodeJS.WritableStream

export async function runBackupCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, out: Out = process.stdout): Promise<void> {
  const options = parseAdminOptions(argv, env, ['--type', '--to-region'])
  const [action, ...args] = options.positional
  const upstream = openUpstream(options)
  const api = (operation: string, input: object) => call(upstream, options, operation, input)
  try {
    switch (action) {
      case 'create': {
        const [table, name] = expectArgs(args, 2, 'eddydb backup create TABLE NAME')
        const { BackupDetails: details } = await api('CreateBackup', { TableName: table, BackupName: name })
        out.write(options.json ? JSON.stringify(details, null, 2) + '\n' : `${details.BackupArn} ${details.BackupStatus}\n`)
        return
      }
      case 'list': return await listBackups(api, options, args, out)
      case 'restore': {
        const [arn, target] = expectArgs(args, 2, 'eddydb backup restore BACKUP_ARN TARGET')
        const { BackupDescription: backup } = await api('DescribeBackup', { BackupArn: arn })
        await api('RestoreTableFromBackup', { BackupArn: arn, TargetTableName: target })
        return await followRestore(upstream, options, target, backup.SourceTableDetails?.ItemCount, out)
      }
      case 'delete': {
        const [arn] = expectArgs(args, 1, 'eddydb backup delete BACKUP_ARN')
        await api('DeleteBackup', { BackupArn: arn })
        out.write(`deleted ${arn}\n`)
        return
      }
      case 'copy': {
        const [arn] = expectArgs(args, 1, 'eddydb backup copy BACKUP_ARN --to-region R')
        const targetRegion = options.values['--to-region']
        if (targetRegion === undefined) throw new ConfigError('eddydb backup copy needs --to-region R')
        return await copyBackup(options, arn, targetRegion, out)
      }
      default: throw new ConfigError(`eddydb backup: expected create, list, restore, delete or copy, got ${action ?? 'nothing'}`)
    }
  } finally {
    upstream.close()
  }
}

export async function runRestoreCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, out: Out = process.stdout): Promise<void> {
  const options = parseAdminOptions(argv, env, ['--to-time'])
  const [source, target] = expectArgs(options.positional, 2, 'eddydb restore SOURCE TARGET --to-time TIME|latest')
  const time = options.values['--to-time']
  if (time === undefined) throw new ConfigError('eddydb restore needs --to-time TIME (ISO 8601, epoch seconds or latest)')
  const when = time === 'latest' ? { UseLatestRestorableTime: true } : { RestoreDateTime: instantSeconds(time, '--to-time') }
  const upstream = openUpstream(options)
  try {
    const { Table: sourceTable } = await call(upstream, options, 'DescribeTable', { TableName: source })
    await call(upstream, options, 'RestoreTableToPointInTime', { SourceTableName: source, TargetTableName: target, ...when })
    // The source's count now is the count at the restore time only for `latest`: for an earlier
    // time the bar shows the items restored so far, without a share of a total it does not know.
    await followRestore(upstream, options, target, time === 'latest' ? sourceTable.ItemCount : undefined, out)
  } finally {
    upstream.close()
  }
}

export async function runScanCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, out: Out = process.stdout): Promise<void> {
  const options = parseAdminOptions(argv, env, ['--as-of'])
  const [table] = expectArgs(options.positional, 1, 'eddydb scan TABLE --as-of TIME')
  const time = options.values['--as-of']
  if (time === undefined) throw new ConfigError('eddydb scan needs --as-of TIME (ISO 8601 or epoch seconds)')
  const seconds = instantSeconds(time, '--as-of')
  let after: string | undefined
  // Each page names the last key of the one before; the number of pages is bounded by the table.
  do {
    const query = { table, time: String(seconds), region: options.region, ...(after ? { after } : {}) }
    const page = await callRoute(options, { method: 'GET', path: asOfPath, query })
    for (const item of page.Items as unknown[]) out.write(JSON.stringify(item) + '\n')
    after = page.LastEvaluatedKey as string | undefined
  } while (after)
}

function expectArgs(args: string[], count: number, usage: string): string[] {
  if (args.length !== count) throw new ConfigError(`usage: ${usage}`)
  return args
}

function instantSeconds(text: string, flag: string): number {
  const ms = parseInstantMs(text)
  if (ms === undefined) throw new ConfigError(`${flag}: not a time: ${text} (ISO 8601 or epoch seconds)`)
  return ms / 1000
}

async function listBackups(api: (operation: string, input: object) => Promise<Record<string, any>>, options: AdminOptions, args: string[], out: Out): Promise<void> {
  if (args.length > 1) throw new ConfigError('usage: eddydb backup list [TABLE] [--type USER|SYSTEM|ALL]')
  const summaries: Record<string, any>[] = []
  let start: string | undefined
  do {
    const page = await api('ListBackups', {
      ...(args[0] ? { TableName: args[0] } : {}),
      ...(options.values['--type'] ? { BackupType: options.values['--type'] } : {}),
      ...(start ? { ExclusiveStartBackupArn: start } : {}),
    })
    summaries.push(...page.BackupSummaries)
    start = page.LastEvaluatedBackupArn
  } while (start)
  if (options.json) {
    out.write(JSON.stringify(summaries, null, 2) + '\n')
    return
  }
  if (summaries.length === 0) {
    out.write('no backups\n')
    return
  }
  const rows = summaries.map((summary) => [summary.BackupName, summary.TableName, summary.BackupType, summary.BackupStatus,
    new Date(summary.BackupCreationDateTime * 1000).toISOString(), String(summary.BackupSizeBytes ?? 0), summary.BackupArn])
  out.write(formatColumns([['NAME', 'TABLE', 'TYPE', 'STATUS', 'CREATED', 'BYTES', 'ARN'], ...rows]))
}

/** Draws the restored table's item count (against `total` when known) until it is ACTIVE. */
async function followRestore(upstream: HttpUpstream, options: AdminOptions, target: string, total: number | undefined, out: Out): Promise<void> {
  const bar = progressBar(`restore ${target}`)
  for (let poll = 0; poll < restorePollsMax; poll++) {
    const { Table: table } = await call(upstream, options, 'DescribeTable', { TableName: target })
    if (table.TableStatus === 'ACTIVE') {
      bar.finish(`ACTIVE, ${table.ItemCount} items`)
      if (options.json) out.write(JSON.stringify(table, null, 2) + '\n')
      return
    }
    bar.update(table.ItemCount ?? 0, total)
    await new Promise((resolve) => setTimeout(resolve, restorePollMs))
  }
  throw new StartupError(`${target} is still being restored after ${restorePollsMax} looks; see \`eddydb tables ${target}\``)
}

/** Starts the copy, then follows it in the target region until it is AVAILABLE. */
async function copyBackup(options: AdminOptions, arn: string, targetRegion: string, out: Out): Promise<void> {
  const body = JSON.stringify({ BackupArn: arn, TargetRegion: targetRegion })
  const { BackupDetails: started } = await callRoute(options, { method: 'POST', path: copyBackupPath, body })
  const target = openUpstream({ ...options, region: targetRegion })
  try {
    let details = started
    for (let poll = 0; details.BackupStatus !== 'AVAILABLE'; poll++) {
      if (poll === restorePollsMax) throw new StartupError(`${started.BackupArn} is still being copied after ${restorePollsMax} looks`)
      await new Promise((resolve) => setTimeout(resolve, restorePollMs))
      const described = await call(target, options, 'DescribeBackup', { BackupArn: started.BackupArn }).catch((error: unknown) => {
        // The copy vanishes when the server restarts during it (backups/copy-backup.ts).
        if ((error as { name?: string }).name === 'BackupNotFoundException') throw new StartupError(`the copy ${started.BackupArn} was dropped before it completed; run eddydb backup copy again`)
        throw error
      })
      details = described.BackupDescription.BackupDetails
    }
    out.write(options.json ? JSON.stringify(details, null, 2) + '\n' : `${details.BackupArn} ${details.BackupStatus}\n`)
  } finally {
    target.close()
  }
}

