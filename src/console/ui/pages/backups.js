// On-demand backups: list (ListBackups, every type), create (CreateBackup), delete (DeleteBackup)
// and restore into a new table (RestoreTableFromBackup). With a table name, only its backups.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { allPages, dynamo } from '../api.js'
import { ActionOutcome, ConfirmDialog, Dialog, ErrorMessage, TableLink, formatBytes, formatTime, useAction, usePolling } from '../components.js'

const refreshMs = 3000

const listBackups = (region, tableName) => allPages(
  (start) => dynamo('ListBackups', { BackupType: 'ALL', ...(tableName ? { TableName: tableName } : {}), ...(start ? { ExclusiveStartBackupArn: start } : {}) }, region),
  (page) => page.LastEvaluatedBackupArn, (page) => page.BackupSummaries ?? [],
)

/** A default backup name: the table's and the time, within BackupName's pattern. */
const backupNameFor = (tableName) => `${tableName}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`

export function BackupList({ region, tableName }) {
  const backups = usePolling(() => listBackups(region, tableName), refreshMs, [region, tableName])
  const create = useAction()
  const [name, setName] = useState(tableName ? backupNameFor(tableName) : '')
  const [restoring, setRestoring] = useState()
  const [deleting, setDeleting] = useState()
  const [restored, setRestored] = useState()
  const submit = (event) => {
    event.preventDefault()
    create.run(async () => {
      const { BackupDetails } = await dynamo('CreateBackup', { TableName: tableName, BackupName: name.trim() }, region)
      setName(backupNameFor(tableName))
      backups.reload()
      return BackupDetails
    }, (details) => `Backup ${details.BackupName} is ${details.BackupStatus}.`)
  }
  const sorted = [...(backups.data ?? [])].sort((a, b) => b.BackupCreationDateTime - a.BackupCreationDateTime)
  return html`
    <section aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>
      ${tableName && html`<form class="row" aria-label="Create backup" onSubmit=${submit}>
        <label>Backup name <input required size="36" pattern="[a-zA-Z0-9_.\\-]{3,255}" value=${name} onInput=${(event) => setName(event.target.value)} /></label>
        <button type="submit" class="primary" disabled=${create.busy}>Create backup</button>
      </form>`}
      <${ErrorMessage} error=${backups.error} />
      <${ActionOutcome} action=${create} />
      ${restored && html`<div class="notice" role="status">Restoring into <${TableLink} name=${restored} />: it is ACTIVE once every item is copied.</div>`}
      ${backups.data?.length === 0 && html`<p class="muted">No backups${tableName ? ` of ${tableName}` : ''} yet.</p>`}
      ${sorted.length > 0 && html`<div class="table-scroll"><table class="grid" aria-label="Backups">
        <thead><tr><th>Name</th>${!tableName && html`<th>Table</th>`}<th>Created</th><th>Status</th><th>Type</th><th class="num">Size</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${sorted.map((backup) => html`<tr key=${backup.BackupArn}>
          <td>${backup.BackupName}</td>
          ${!tableName && html`<td>${backup.TableName}</td>`}
          <td>${formatTime(backup.BackupCreationDateTime)}</td>
          <td><span class=${`status ${backup.BackupStatus}`}>${backup.BackupStatus}</span></td>
          <td>${backup.BackupType}</td>
          <td class="num">${formatBytes(backup.BackupSizeBytes)}</td>
          <td class="row-actions">
            <button type="button" class="small" disabled=${backup.BackupStatus !== 'AVAILABLE'} aria-label=${`Restore backup ${backup.BackupName}`} onClick=${() => setRestoring(backup)}>Restore</button>
            <button type="button" class="small danger" aria-label=${`Delete backup ${backup.BackupName}`} onClick=${() => setDeleting(backup)}>Delete</button>
          </td>
        </tr>`)}</tbody>
      </table></div>`}
      ${restoring && html`<${RestoreBackupDialog} backup=${restoring} region=${region}
        onRestored=${(target) => { setRestored(target); setRestoring(undefined) }} onClose=${() => setRestoring(undefined)} />`}
      ${deleting && html`<${ConfirmDialog}
        title=${`Delete backup ${deleting.BackupName}?`}
        message=${`The backup of ${deleting.TableName} taken ${formatTime(deleting.BackupCreationDateTime)} is removed. Tables restored from it stay.`}
        action="Delete backup"
        onConfirm=${() => dynamo('DeleteBackup', { BackupArn: deleting.BackupArn }, region)}
        onClose=${() => { setDeleting(undefined); backups.reload() }} />`}
    </section>`
}

function RestoreBackupDialog({ backup, region, onRestored, onClose }) {
  const [target, setTarget] = useState(`${backup.TableName}-from-backup`)
  const restore = useAction()
  const submit = (event) => {
    event.preventDefault()
    const name = target.trim()
    restore.run(async () => {
      await dynamo('RestoreTableFromBackup', { BackupArn: backup.BackupArn, TargetTableName: name }, region)
      onRestored(name)
    })
  }
  return html`<${Dialog} title=${`Restore backup ${backup.BackupName}`} onClose=${onClose}>
    <form onSubmit=${submit}>
      <p>A new table gets the items, keys and indexes of ${backup.TableName} as they were when the backup was taken.</p>
      <label>New table name <input required pattern="[a-zA-Z0-9_.\\-]{3,255}" value=${target} onInput=${(event) => setTarget(event.target.value)} /></label>
      <${ErrorMessage} error=${restore.error} />
      <div class="actions">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${restore.busy}>Restore</button>
      </div>
    </form>
  <//>`
}
