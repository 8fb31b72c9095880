// The tables of the chosen region, with what a user checks at a glance, and delete.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { ConfirmDialog, ErrorMessage, formatBytes, useAsync } from '../components.js'
import { billingText, describeTable, keyNames, listTableNames, pitrText, replicaText, streamText, ttlText } from '../tables.js'

export function TablesPage({ region }) {
  const tables = useAsync(async () => {
    const names = await listTableNames(region)
    return Promise.all(names.map((name) => describeTable(name, region).catch((error) => ({ TableName: name, error }))))
  }, [region])
  const [deleting, setDeleting] = useState()
  return html`
    <div class="page-head">
      <h1>Tables <span class="muted">in ${region}</span></h1>
      <div class="actions">
        <button type="button" onClick=${tables.reload}>Refresh</button>
        <a class="button primary" href="#/create-table">Create table</a>
      </div>
    </div>
    <${ErrorMessage} error=${tables.error} />
    ${tables.data?.length === 0 && html`<p class="empty">No tables in ${region} yet. <a href="#/create-table">Create one</a>.</p>`}
    ${tables.data?.length > 0 && html`
      <div class="table-scroll">
        <table class="grid">
          <thead><tr>
            <th>Name</th><th>Status</th><th>Keys</th><th>Indexes</th>
            <th>Stream</th><th>TTL</th><th>PITR</th><th>Replicas</th><th class="num">Items</th><th class="num">Size</th><th>Capacity</th><th><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>
            ${tables.data.map((table) => table.error ? html`<tr><td><span class="table-name" title=${table.TableName}>${table.TableName}</span></td><td colspan="11"><${ErrorMessage} error=${table.error} /></td></tr>` : html`
              <tr>
                <td><a class="table-name" title=${table.TableName} href=${`#/tables/${encodeURIComponent(table.TableName)}`}>${table.TableName}</a>${table.DeletionProtectionEnabled ? html` <span class="badge" title="Deletion protection is on">protected</span>` : ''}</td>
                <td><span class=${`status ${table.TableStatus}`}>${table.TableStatus}</span></td>
                <td>${[keyNames(table.KeySchema).partition, keyNames(table.KeySchema).sort].filter(Boolean).join(', ')}</td>
                <td>${indexSummary(table)}</td>
                <td>${streamText(table)}</td>
                <td>${ttlText(table.ttl)}</td>
                <td>${pitrText(table.pitr)}</td>
                <td>${replicaText(table, region)}</td>
                <td class="num">${table.ItemCount}</td>
                <td class="num">${formatBytes(table.TableSizeBytes)}</td>
                <td>${billingText(table)}</td>
                <td><button type="button" class="danger small" aria-label=${`Delete table ${table.TableName}`} onClick=${() => setDeleting(table.TableName)}>Delete</button></td>
              </tr>`)}
          </tbody>
        </table>
      </div>`}
    ${deleting && html`<${ConfirmDialog}
      title=${`Delete table ${deleting}?`}
      message=${`Deleting ${deleting} removes all of its items, indexes and stream. This cannot be undone.`}
      action="Delete table"
      onConfirm=${() => dynamo('DeleteTable', { TableName: deleting }, region)}
      onClose=${() => { setDeleting(undefined); tables.reload() }} />`}`
}

function indexSummary(table) {
  const global = (table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)
  const local = (table.LocalSecondaryIndexes ?? []).map((index) => index.IndexName)
  if (global.length + local.length === 0) return '—'
  return [global.length ? `GSI: ${global.join(', ')}` : '', local.length ? `LSI: ${local.join(', ')}` : ''].filter(Boolean).join('; ')
}
