// Backups and data movement for the whole region: every backup, every export, every import, and
// the import form (an import makes a new table, so it belongs to no table's page).
import { html } from '../html.js'
import { BackupList } from './backups.js'
import { ExportList } from './exports.js'
import { ImportForm, ImportList } from './imports.js'

export function DataPage({ region }) {
  return html`
    <div class="page-head"><h1>Backups & data <span class="muted">in ${region}</span></h1>
      <span class="muted">Point-in-time recovery, new backups and exports are on each table's Backups tab.</span></div>
    <${BackupList} region=${region} />
    <h2>Exports</h2>
    <${ExportList} region=${region} />
    <h2>Imports</h2>
    <${ImportForm} region=${region} />
    <${ImportList} region=${region} />`
}
