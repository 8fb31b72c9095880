// Imports from S3 (or a local directory, file:///…) into a new table: start one (ImportTable)
// and follow each with ListImports and DescribeImport.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { allPages, dynamo } from '../api.js'
import { ActionOutcome, ErrorMessage, TableLink, arnId, formatBytes, formatTime, useAction } from '../components.js'
import { JobStatus, useJobs } from '../jobs.js'

const keyTypes = [['S', 'String'], ['N', 'Number'], ['B', 'Binary']]

const listImports = (region) => allPages(
  (token) => dynamo('ListImports', token ? { NextToken: token } : {}, region),
  (page) => page.NextToken, (page) => (page.ImportSummaryList ?? []).map((summary) => ({ arn: summary.ImportArn, status: summary.ImportStatus })),
)

const describeImport = async (region, arn) => {
  const { ImportTableDescription } = await dynamo('DescribeImport', { ImportArn: arn }, region)
  return { ...ImportTableDescription, status: ImportTableDescription.ImportStatus }
}

export function ImportList({ region }) {
  const jobs = useJobs(() => listImports(region), (arn) => describeImport(region, arn), [region])
  return html`
    <${ErrorMessage} error=${jobs.error} />
    ${jobs.data?.length === 0 && html`<p class="muted">No imports yet.</p>`}
    ${jobs.data?.length > 0 && html`<div class="table-scroll"><table class="grid" aria-label="Imports">
      <thead><tr><th>Import</th><th>Table</th><th>Source</th><th>Status</th><th class="num">Items read</th><th class="num">Imported</th>
        <th class="num">Errors</th><th class="num">Bytes read</th><th>Started</th><th>Ended</th></tr></thead>
      <tbody>${jobs.data.map(({ description: job }) => html`<tr>
        <td><code>${arnId(job.ImportArn)}</code></td>
        <td>${job.TableArn ? html`<${TableLink} name=${job.TableArn.split(':table/')[1]} />` : ''}</td>
        <td><code>${job.S3BucketSource?.S3Bucket}/${job.S3BucketSource?.S3KeyPrefix ?? ''}</code>
          <div class="small muted">${job.InputFormat}${job.InputCompressionType && job.InputCompressionType !== 'NONE' ? ` · ${job.InputCompressionType}` : ''}</div></td>
        <td><${JobStatus} status=${job.ImportStatus} failure=${job.FailureMessage} />
          ${job.FailureCode && html`<div class="small problem">${job.FailureCode}: ${job.FailureMessage}</div>`}</td>
        <td class="num">${job.ProcessedItemCount ?? 0}</td>
        <td class="num">${job.ImportedItemCount ?? 0}</td>
        <td class="num">${job.ErrorCount ?? 0}</td>
        <td class="num">${formatBytes(job.ProcessedSizeBytes ?? 0)}</td>
        <td>${formatTime(job.StartTime)}</td>
        <td>${formatTime(job.EndTime)}</td>
      </tr>`)}</tbody>
    </table></div>`}`
}

/** ImportTable's input from the form: the source, its format, and the new table's keys. */
function importInput(form) {
  // Key names as typed, never trimmed: ' id' is an attribute name DynamoDB takes.
  const keys = [[form.partitionKey, form.partitionType, 'HASH'], [form.sortKey, form.sortType, 'RANGE']].filter(([name]) => name !== '')
  return {
    // ImportTable requires one, as DynamoDB does; the SDKs make one up, the console does the same.
    ClientToken: `console-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
    S3BucketSource: { S3Bucket: form.bucket.trim(), ...(form.prefix.trim() ? { S3KeyPrefix: form.prefix.trim() } : {}) },
    InputFormat: form.format,
    InputCompressionType: form.compression,
    TableCreationParameters: {
      TableName: form.table.trim(),
      AttributeDefinitions: keys.map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
      KeySchema: keys.map(([name, , keyType]) => ({ AttributeName: name, KeyType: keyType })),
      BillingMode: 'PAY_PER_REQUEST',
    },
  }
}

export function ImportForm({ region }) {
  const [form, setForm] = useState({
    bucket: '', prefix: '', format: 'DYNAMODB_JSON', compression: 'GZIP', table: '', partitionKey: '', partitionType: 'S', sortKey: '', sortType: 'S',
  })
  const start = useAction()
  const set = (name) => (event) => setForm({ ...form, [name]: event.target.value })
  const submit = (event) => {
    event.preventDefault()
    start.run(() => dynamo('ImportTable', importInput(form), region), ({ ImportTableDescription }) => `Import ${arnId(ImportTableDescription.ImportArn)} started.`)
  }
  const keyType = (name) => html`<label>Type <select value=${form[name]} onChange=${set(name)}>
    ${keyTypes.map(([value, text]) => html`<option value=${value}>${text}</option>`)}</select></label>`
  return html`
    <form class="form" aria-label="Import from S3" onSubmit=${submit}>
      <fieldset>
        <legend>Import from S3 into a new table</legend>
        <p class="muted small">Every object under the prefix is read (an export's <code>AWSDynamoDB/…/data/</code> folder is a valid
          source). The bucket may be a local directory as <code>file:///absolute/path</code>.</p>
        <div class="row">
          <label class="grow">S3 bucket <input required value=${form.bucket} onInput=${set('bucket')} placeholder="my-bucket or file:///srv/exports" /></label>
          <label class="grow">Key prefix <input value=${form.prefix} onInput=${set('prefix')} /></label>
        </div>
        <div class="row">
          <label>Format <select value=${form.format} onChange=${set('format')}>
            <option value="DYNAMODB_JSON">DynamoDB JSON</option><option value="ION">Amazon Ion</option><option value="CSV">CSV</option></select></label>
          <label>Compression <select value=${form.compression} onChange=${set('compression')}>
            <option value="GZIP">GZIP</option><option value="ZSTD">ZSTD</option><option value="NONE">None</option></select></label>
          <label class="grow">New table name <input required pattern="[a-zA-Z0-9_.\\-]{3,255}" value=${form.table} onInput=${set('table')} /></label>
        </div>
        <div class="row">
          <label>Partition key <input required value=${form.partitionKey} onInput=${set('partitionKey')} /></label>${keyType('partitionType')}
          <label>Sort key (optional) <input value=${form.sortKey} onInput=${set('sortKey')} /></label>${keyType('sortType')}
          <button type="submit" class="primary" disabled=${start.busy}>Import</button>
        </div>
        <${ActionOutcome} action=${start} />
      </fieldset>
    </form>`
}
