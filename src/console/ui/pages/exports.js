// Exports to S3 (or a local directory, file:///…): start one for a table
// (ExportTableToPointInTime) and follow each with ListExports and DescribeExport.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { allPages, dynamo } from '../api.js'
import { ActionOutcome, ErrorMessage, arnId, formatBytes, formatTime, fromLocalInput, toLocalInput, useAction } from '../components.js'
import { JobStatus, useJobs } from '../jobs.js'

const listExports = (region, tableArn) => allPages(
  (token) => dynamo('ListExports', { ...(tableArn ? { TableArn: tableArn } : {}), ...(token ? { NextToken: token } : {}) }, region),
  (page) => page.NextToken, (page) => (page.ExportSummaries ?? []).map((summary) => ({ arn: summary.ExportArn, status: summary.ExportStatus })),
)

const describeExport = async (region, arn) => {
  const { ExportDescription } = await dynamo('DescribeExport', { ExportArn: arn }, region)
  return { ...ExportDescription, status: ExportDescription.ExportStatus }
}

const tableOfArn = (arn) => arn?.split(':table/')[1] ?? ''

export function ExportList({ region, tableArn }) {
  const jobs = useJobs(() => listExports(region, tableArn), (arn) => describeExport(region, arn), [region, tableArn])
  return html`
    <${ErrorMessage} error=${jobs.error} />
    ${jobs.data?.length === 0 && html`<p class="muted">No exports yet.</p>`}
    ${jobs.data?.length > 0 && html`<div class="table-scroll"><table class="grid" aria-label="Exports">
      <thead><tr><th>Export</th>${!tableArn && html`<th>Table</th>`}<th>Type</th><th>Status</th><th class="num">Items</th><th class="num">Size</th>
        <th>As of</th><th>Started</th><th>Ended</th><th>Destination</th></tr></thead>
      <tbody>${jobs.data.map(({ description: job }) => html`<tr>
        <td><code>${arnId(job.ExportArn)}</code></td>
        ${!tableArn && html`<td>${tableOfArn(job.TableArn)}</td>`}
        <td>${job.ExportType === 'INCREMENTAL_EXPORT' ? 'Incremental' : 'Full'} · ${job.ExportFormat}</td>
        <td><${JobStatus} status=${job.ExportStatus} failure=${job.FailureMessage} />
          ${job.FailureCode && html`<div class="small problem">${job.FailureCode}: ${job.FailureMessage}</div>`}</td>
        <td class="num">${job.ItemCount ?? ''}</td>
        <td class="num">${formatBytes(job.BilledSizeBytes)}</td>
        <td>${job.ExportType === 'INCREMENTAL_EXPORT'
          ? `${formatTime(job.IncrementalExportSpecification?.ExportFromTime)} – ${formatTime(job.IncrementalExportSpecification?.ExportToTime)}`
          : formatTime(job.ExportTime)}</td>
        <td>${formatTime(job.StartTime)}</td>
        <td>${formatTime(job.EndTime)}</td>
        <td><code>${job.S3Bucket}${job.S3Prefix ? `/${job.S3Prefix}` : ''}</code>${job.ExportManifest && html`<div class="small muted">${job.ExportManifest}</div>`}</td>
      </tr>`)}</tbody>
    </table></div>`}`
}

/** The export form of one table: where, which format, full (as of a time) or incremental (a window). */
export function ExportForm({ table, region }) {
  const now = Date.now() / 1000
  const [form, setForm] = useState({
    bucket: '', prefix: '', format: 'DYNAMODB_JSON', type: 'FULL_EXPORT', exportTime: '', from: toLocalInput(now - 3600), to: toLocalInput(now), view: 'NEW_AND_OLD_IMAGES',
  })
  const start = useAction()
  const set = (name) => (event) => setForm({ ...form, [name]: event.target.value })
  const submit = (event) => {
    event.preventDefault()
    start.run(() => dynamo('ExportTableToPointInTime', {
      TableArn: table.TableArn, S3Bucket: form.bucket.trim(), ExportFormat: form.format, ExportType: form.type,
      ...(form.prefix.trim() ? { S3Prefix: form.prefix.trim() } : {}),
      ...(form.type === 'FULL_EXPORT' && form.exportTime ? { ExportTime: fromLocalInput(form.exportTime) } : {}),
      ...(form.type === 'INCREMENTAL_EXPORT' ? {
        IncrementalExportSpecification: { ExportFromTime: fromLocalInput(form.from), ExportToTime: fromLocalInput(form.to), ExportViewType: form.view },
      } : {}),
    }, region), ({ ExportDescription }) => `Export ${arnId(ExportDescription.ExportArn)} started.`)
  }
  return html`
    <form class="form" aria-label="Export to S3" onSubmit=${submit}>
      <fieldset>
        <legend>Export to S3</legend>
        <p class="muted small">The table needs point-in-time recovery on. The bucket may be an S3 bucket name or, on this server, a local
          directory as <code>file:///absolute/path</code> (it must exist).</p>
        <div class="row">
          <label class="grow">S3 bucket <input required value=${form.bucket} onInput=${set('bucket')} placeholder="my-bucket or file:///srv/exports" /></label>
          <label>Prefix (optional) <input value=${form.prefix} onInput=${set('prefix')} /></label>
          <label>Format <select value=${form.format} onChange=${set('format')}>
            <option value="DYNAMODB_JSON">DynamoDB JSON</option><option value="ION">Amazon Ion</option></select></label>
        </div>
        <div class="row">
          <label>Export type <select value=${form.type} onChange=${set('type')}>
            <option value="FULL_EXPORT">Full: the table as of a time</option><option value="INCREMENTAL_EXPORT">Incremental: the changes of a window</option></select></label>
          ${form.type === 'FULL_EXPORT' ? html`
            <label>As of (empty: now) <input type="datetime-local" step="1" value=${form.exportTime} onInput=${set('exportTime')} /></label>` : html`
            <label>From <input type="datetime-local" step="1" required value=${form.from} onInput=${set('from')} /></label>
            <label>To <input type="datetime-local" step="1" required value=${form.to} onInput=${set('to')} /></label>
            <label>View <select value=${form.view} onChange=${set('view')}>
              <option value="NEW_AND_OLD_IMAGES">New and old images</option><option value="NEW_IMAGE">New image</option></select></label>`}
          <button type="submit" class="primary" disabled=${start.busy}>Export</button>
        </div>
        <${ActionOutcome} action=${start} />
      </fieldset>
    </form>`
}
