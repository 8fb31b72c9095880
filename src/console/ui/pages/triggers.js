// Streams and their triggers: Lambda event-source mappings with state, last result and last
// error, refreshed live; create, enable, disable and delete them.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { allPages, lambda, serverStatus } from '../api.js'
import { ConfirmDialog, ErrorMessage, useAsync, useInterval } from '../components.js'
import { describeTable, listTableNames } from '../tables.js'

const refreshMs = 2000

async function loadMappings(region) {
  const [mappings, status] = await Promise.all([
    allPages((marker) => lambda('GET', '', { region, query: { Marker: marker } }), (page) => page.NextMarker, (page) => page.EventSourceMappings ?? []),
    serverStatus(region).catch(() => undefined),
  ])
  // The status route adds what Lambda's API does not say: batches delivered, failures, the full last error.
  const runners = new Map((status?.regions.find((each) => each.name === region)?.mappings ?? []).map((runner) => [runner.uuid, runner]))
  return mappings.map((mapping) => ({ ...mapping, runner: runners.get(mapping.UUID) }))
}

export function TriggersPage({ region }) {
  const [mappings, setMappings] = useState()
  const [error, setError] = useState()
  const [deleting, setDeleting] = useState()
  const [generation, setGeneration] = useState(0)
  const streamTables = useAsync(async () => {
    const tables = await Promise.all((await listTableNames(region)).map((name) => describeTable(name, region)))
    return tables.filter((table) => table.StreamSpecification?.StreamEnabled)
  }, [region])
  useInterval(async () => {
    try {
      setMappings(await loadMappings(region))
      setError(undefined)
    } catch (caught) {
      setError(caught)
    }
  }, refreshMs, [region, generation])
  const refresh = () => setGeneration(generation + 1)
  const setEnabled = async (mapping, enabled) => {
    try {
      await lambda('PUT', mapping.UUID, { region, body: { Enabled: enabled } })
      refresh()
    } catch (caught) {
      setError(caught)
    }
  }
  const tableOf = (arn) => arn?.split(':table/')[1]?.split('/stream/')[0]

  return html`
    <div class="page-head"><h1>Streams & triggers <span class="muted">in ${region}</span></h1></div>
    <h2>Streams</h2>
    ${streamTables.data?.length === 0 && html`<p class="muted">No table in ${region} has a stream.</p>`}
    <ul class="plain streams">${(streamTables.data ?? []).map((table) => html`<li>
      <a href=${`#/tables/${encodeURIComponent(table.TableName)}/stream`}>${table.TableName}</a>
      <span class="muted"> · ${table.StreamSpecification.StreamViewType} · live tail</span></li>`)}</ul>
    <h2>Triggers (event-source mappings)</h2>
    <${ErrorMessage} error=${error} />
    ${mappings?.length === 0 && html`<p class="muted">No triggers yet.</p>`}
    ${mappings?.length > 0 && html`<div class="table-scroll"><table class="grid" aria-label="Triggers">
      <thead><tr><th>Function</th><th>Table</th><th>State</th><th>Last result</th><th class="num">Batches</th><th class="num">Failures</th><th>Last error</th><th><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>${mappings.map((mapping) => html`<tr key=${mapping.UUID}>
        <td>${mapping.FunctionArn?.split(':function:')[1] ?? mapping.FunctionArn}<br /><code class="muted small">${mapping.UUID}</code></td>
        <td>${tableOf(mapping.EventSourceArn)}</td>
        <td><span class=${`status ${mapping.State}`}>${mapping.State}</span></td>
        <td class=${/^PROBLEM/.test(mapping.LastProcessingResult ?? '') ? 'problem' : ''}>${mapping.LastProcessingResult}</td>
        <td class="num">${mapping.runner?.deliveredBatches ?? ''}</td>
        <td class="num">${mapping.runner?.failures ?? ''}</td>
        <td>${mapping.runner?.lastFailure ? html`<details><summary>${mapping.runner.lastFailure.errorType}</summary><pre>${mapping.runner.lastFailure.errorMessage}</pre>
          <span class="muted">${mapping.runner.lastFailure.records} records, at ${new Date(mapping.runner.lastFailure.atMs).toLocaleTimeString()}</span></details>` : '—'}</td>
        <td class="row-actions">
          ${mapping.State === 'Disabled' || mapping.State === 'Disabling'
            ? html`<button type="button" class="small" onClick=${() => setEnabled(mapping, true)}>Enable</button>`
            : html`<button type="button" class="small" onClick=${() => setEnabled(mapping, false)}>Disable</button>`}
          <button type="button" class="small danger" onClick=${() => setDeleting(mapping)}>Delete</button>
        </td>
      </tr>`)}</tbody>
    </table></div>`}
    <${CreateTrigger} region=${region} tables=${streamTables.data ?? []} onCreated=${refresh} />
    ${deleting && html`<${ConfirmDialog} title="Delete trigger?" message=${`Delete the trigger ${deleting.UUID}? Records are no longer delivered to its function.`}
      action="Delete trigger" onConfirm=${() => lambda('DELETE', deleting.UUID, { region })} onClose=${() => { setDeleting(undefined); refresh() }} />`}`
}

function CreateTrigger({ region, tables, onCreated }) {
  const [form, setForm] = useState({ functionName: '', table: '', startingPosition: 'LATEST', batchSize: 100 })
  const [error, setError] = useState()
  const set = (field) => (event) => setForm({ ...form, [field]: event.target.value })
  const submit = async (event) => {
    event.preventDefault()
    setError(undefined)
    const table = tables.find((each) => each.TableName === (form.table || tables[0]?.TableName))
    try {
      if (!table) throw new Error('Choose a table with a stream')
      await lambda('POST', '', { region, body: {
        FunctionName: form.functionName.trim(), EventSourceArn: table.LatestStreamArn,
        StartingPosition: form.startingPosition, BatchSize: Number(form.batchSize),
      } })
      setForm({ ...form, functionName: '' })
      onCreated()
    } catch (caught) {
      setError(caught)
    }
  }
  return html`<form class="form compact" onSubmit=${submit} aria-label="Create trigger">
    <h2>Create trigger</h2>
    <p class="muted">Functions are declared in the server's config file (<code>functions</code>); see docs/streams.md.</p>
    <div class="row">
      <label>Function name <input name="functionName" required value=${form.functionName} onInput=${set('functionName')} autocomplete="off" /></label>
      <label>Table stream <select name="table" value=${form.table} onChange=${set('table')}>${tables.map((table) => html`<option value=${table.TableName}>${table.TableName}</option>`)}</select></label>
      <label>Start from <select value=${form.startingPosition} onChange=${set('startingPosition')}><option value="LATEST">Latest</option><option value="TRIM_HORIZON">Trim horizon</option></select></label>
      <label>Batch size <input type="number" min="1" max="10000" value=${form.batchSize} onInput=${set('batchSize')} /></label>
      <button type="submit" class="primary">Create trigger</button>
    </div>
    <${ErrorMessage} error=${error} />
  </form>`
}
