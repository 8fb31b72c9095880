// A table's Backups tab: point-in-time recovery, its on-demand backups, and its exports.
import { html } from '../html.js'
import { PitrPanel } from './pitr.js'
import { BackupList } from './backups.js'
import { ExportForm, ExportList } from './exports.js'

export function TableBackups({ table, region }) {
  return html`
    <${PitrPanel} table=${table} region=${region} />
    <${BackupList} region=${region} tableName=${table.TableName} />
    <h2>Exports</h2>
    <${ExportForm} table=${table} region=${region} />
    <${ExportList} region=${region} tableArn=${table.TableArn} />`
}
