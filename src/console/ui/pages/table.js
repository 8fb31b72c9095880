// One table: its items, its stream's live tail, and its settings.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { ConfirmDialog, ErrorMessage, formatBytes, navigate, useAsync } from '../components.js'
import { billingText, describeTable, keyNames, pitrText, replicaText, streamText, ttlText } from '../tables.js'
import { ItemsExplorer } from './items.js'
import { StreamTail } from './stream-tail.js'
import { TableBackups } from './table-backups.js'
import { ReplicasPanel } from './replicas.js'

const tabs = [['items', 'Items'], ['stream', 'Stream'], ['backups', 'Backups'], ['replicas', 'Replicas'], ['details', 'Details']]

export function TablePage({ region, name, tab }) {
  const table = useAsync(() => describeTable(name, region), [name, region])
  const base = `#/tables/${encodeURIComponent(name)}`
  return html`
    <div class="page-head">
      <h1 class="table-title" title=${name}><a href="#/tables" class="muted">Tables</a> / ${name}</h1>
      ${table.data && html`<span class=${`status ${table.data.TableStatus}`}>${table.data.TableStatus}</span>`}
    </div>
    <${ErrorMessage} error=${table.error} />
    <nav class="tabs" aria-label="Table">
      ${tabs.map(([id, label]) => html`<a href=${`${base}/${id}`} aria-current=${tab === id ? 'page' : undefined}>${label}</a>`)}
    </nav>
    ${table.data && tab === 'items' && html`<${ItemsExplorer} table=${table.data} region=${region} />`}
    ${table.data && tab === 'stream' && html`<${StreamTail} table=${table.data} region=${region} />`}
    ${table.data && tab === 'backups' && html`<${TableBackups} table=${table.data} region=${region} />`}
    ${table.data && tab === 'replicas' && html`<${ReplicasPanel} table=${table.data} region=${region} reload=${table.reload} />`}
    ${table.data && tab === 'details' && html`<${TableDetails} table=${table.data} region=${region} reload=${table.reload} />`}`
}

function TableDetails({ table, region, reload }) {
  const [error, setError] = useState()
  const [deleting, setDeleting] = useState(false)
  const [ttlName, setTtlName] = useState(table.ttl?.AttributeName ?? '')
  const update = (operation, input) => async () => {
    setError(undefined)
    try {
      await dynamo(operation, { TableName: table.TableName, ...input }, region)
      reload()
    } catch (caught) {
      setError(caught)
    }
  }
  const keys = keyNames(table.KeySchema)
  const ttlOn = table.ttl?.TimeToLiveStatus === 'ENABLED'
  const streamOn = Boolean(table.StreamSpecification?.StreamEnabled)
  return html`
    <${ErrorMessage} error=${error} />
    <dl class="details">
      <dt>ARN</dt><dd><code>${table.TableArn}</code></dd>
      <dt>Partition key</dt><dd>${keys.partition}</dd>
      <dt>Sort key</dt><dd>${keys.sort ?? '—'}</dd>
      <dt>Items</dt><dd>${table.ItemCount}</dd>
      <dt>Size</dt><dd>${formatBytes(table.TableSizeBytes)}</dd>
      <dt>Capacity</dt><dd>${billingText(table)}</dd>
      <dt>Stream</dt><dd>${streamText(table)}${table.LatestStreamArn ? html`<br /><code>${table.LatestStreamArn}</code>` : ''}</dd>
      <dt>TTL</dt><dd>${ttlText(table.ttl)}</dd>
      <dt>Point-in-time recovery</dt><dd>${pitrText(table.pitr)} (<a href=${`#/tables/${encodeURIComponent(table.TableName)}/backups`}>backups</a>)</dd>
      <dt>Replicas</dt><dd>${replicaText(table, region)}</dd>
      <dt>Deletion protection</dt><dd>${table.DeletionProtectionEnabled ? 'On' : 'Off'}</dd>
    </dl>
    <h2>Indexes</h2>
    ${[...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].length === 0 ? html`<p class="muted">No secondary indexes.</p>` : html`
      <div class="table-scroll"><table class="grid">
        <thead><tr><th>Name</th><th>Kind</th><th>Partition key</th><th>Sort key</th><th>Projection</th><th>Status</th><th class="num">Items</th></tr></thead>
        <tbody>
          ${(table.GlobalSecondaryIndexes ?? []).map((index) => html`<tr><td>${index.IndexName}</td><td>Global</td><td>${keyNames(index.KeySchema).partition}</td><td>${keyNames(index.KeySchema).sort ?? '—'}</td><td>${index.Projection?.ProjectionType}</td><td>${index.IndexStatus}</td><td class="num">${index.ItemCount}</td></tr>`)}
          ${(table.LocalSecondaryIndexes ?? []).map((index) => html`<tr><td>${index.IndexName}</td><td>Local</td><td>${keyNames(index.KeySchema).partition}</td><td>${keyNames(index.KeySchema).sort ?? '—'}</td><td>${index.Projection?.ProjectionType}</td><td>ACTIVE</td><td class="num">${index.ItemCount}</td></tr>`)}
        </tbody>
      </table></div>`}
    <h2>Settings</h2>
    <div class="settings">
      <div class="row">
        <label>TTL attribute <input value=${ttlName} onInput=${(e) => setTtlName(e.target.value)} disabled=${ttlOn} /></label>
        <button type="button" onClick=${update('UpdateTimeToLive', { TimeToLiveSpecification: { Enabled: !ttlOn, AttributeName: ttlOn ? table.ttl.AttributeName : ttlName } })}>${ttlOn ? 'Turn off TTL' : 'Turn on TTL'}</button>
      </div>
      <div class="row">
        <button type="button" onClick=${update('UpdateTable', { StreamSpecification: streamOn ? { StreamEnabled: false } : { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } })}>${streamOn ? 'Turn off stream' : 'Turn on stream (new and old images)'}</button>
        <button type="button" onClick=${update('UpdateTable', { DeletionProtectionEnabled: !table.DeletionProtectionEnabled })}>${table.DeletionProtectionEnabled ? 'Turn off deletion protection' : 'Turn on deletion protection'}</button>
        <button type="button" class="danger" onClick=${() => setDeleting(true)}>Delete table</button>
      </div>
    </div>
    ${deleting && html`<${ConfirmDialog}
      title=${`Delete table ${table.TableName}?`}
      message=${`Deleting ${table.TableName} removes all of its items, indexes and stream. This cannot be undone.`}
      action="Delete table"
      onConfirm=${async () => { await dynamo('DeleteTable', { TableName: table.TableName }, region); navigate('tables') }}
      onClose=${() => setDeleting(false)} />`}`
}
