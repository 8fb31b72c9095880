// Create a table: keys, capacity, secondary indexes, stream, TTL and deletion protection.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { ErrorMessage, Notice, navigate } from '../components.js'

const keyTypes = [['S', 'String'], ['N', 'Number'], ['B', 'Binary']]
const streamViews = [['', 'Off'], ['NEW_AND_OLD_IMAGES', 'New and old images'], ['NEW_IMAGE', 'New image'], ['OLD_IMAGE', 'Old image'], ['KEYS_ONLY', 'Keys only']]

export function CreateTablePage({ region }) {
  const [form, setForm] = useState({
    name: '', partitionKey: '', partitionType: 'S', sortKey: '', sortType: 'S', billing: 'PAY_PER_REQUEST',
    read: 5, write: 5, stream: '', ttl: '', protection: false, globalIndexes: [], localIndexes: [],
  })
  const [error, setError] = useState()
  const [progress, setProgress] = useState('')
  const set = (name) => (event) => setForm({ ...form, [name]: event.target.type === 'checkbox' ? event.target.checked : event.target.value })
  const setIndex = (list, at, name, value) => setForm({ ...form, [list]: form[list].map((index, i) => (i === at ? { ...index, [name]: value } : index)) })

  const submit = async (event) => {
    event.preventDefault()
    setError(undefined)
    try {
      setProgress('Creating the table…')
      await dynamo('CreateTable', createTableInput(form), region)
      await waitUntilActive(form.name, region)
      if (form.ttl !== '') {
        setProgress('Turning on TTL…')
        await dynamo('UpdateTimeToLive', { TableName: form.name, TimeToLiveSpecification: { Enabled: true, AttributeName: form.ttl } }, region)
      }
      navigate(`tables/${encodeURIComponent(form.name)}`)
    } catch (caught) {
      setError(caught)
      setProgress('')
    }
  }

  const keyFields = (prefix, label, required) => html`
    <div class="row">
      <label>${label}
        <input name=${`${prefix}Key`} required=${required} value=${form[`${prefix}Key`]} onInput=${set(`${prefix}Key`)} autocomplete="off" />
      </label>
      <label>Data type
        <select name=${`${prefix}Type`} value=${form[`${prefix}Type`]} onChange=${set(`${prefix}Type`)}>
          ${keyTypes.map(([value, text]) => html`<option value=${value}>${text}</option>`)}
        </select>
      </label>
    </div>`

  return html`
    <div class="page-head"><h1>Create table <span class="muted">in ${region}</span></h1></div>
    <form class="form" onSubmit=${submit}>
      <fieldset>
        <legend>Table</legend>
        <label>Table name <input name="tableName" required pattern="[a-zA-Z0-9_.\\-]{3,255}" title="3 to 255 letters, digits, _ . -"
          value=${form.name} onInput=${set('name')} autocomplete="off" autofocus /></label>
        ${keyFields('partition', 'Partition key', true)}
        ${keyFields('sort', 'Sort key (optional)', false)}
      </fieldset>
      <fieldset>
        <legend>Capacity</legend>
        <div class="row">
          <label><input type="radio" name="billing" value="PAY_PER_REQUEST" checked=${form.billing === 'PAY_PER_REQUEST'} onChange=${set('billing')} /> On-demand</label>
          <label><input type="radio" name="billing" value="PROVISIONED" checked=${form.billing === 'PROVISIONED'} onChange=${set('billing')} /> Provisioned</label>
        </div>
        ${form.billing === 'PROVISIONED' && html`<div class="row">
          <label>Read capacity units <input type="number" min="1" value=${form.read} onInput=${set('read')} /></label>
          <label>Write capacity units <input type="number" min="1" value=${form.write} onInput=${set('write')} /></label>
        </div>`}
      </fieldset>
      <fieldset>
        <legend>Secondary indexes</legend>
        ${form.globalIndexes.map((index, at) => html`<div class="row index-row">
          <label>GSI name <input required value=${index.name} onInput=${(e) => setIndex('globalIndexes', at, 'name', e.target.value)} /></label>
          <label>Partition key <input required value=${index.partitionKey} onInput=${(e) => setIndex('globalIndexes', at, 'partitionKey', e.target.value)} /></label>
          <label>Type <select value=${index.partitionType} onChange=${(e) => setIndex('globalIndexes', at, 'partitionType', e.target.value)}>${keyTypes.map(([v, t]) => html`<option value=${v}>${t}</option>`)}</select></label>
          <label>Sort key <input value=${index.sortKey} onInput=${(e) => setIndex('globalIndexes', at, 'sortKey', e.target.value)} /></label>
          <label>Type <select value=${index.sortType} onChange=${(e) => setIndex('globalIndexes', at, 'sortType', e.target.value)}>${keyTypes.map(([v, t]) => html`<option value=${v}>${t}</option>`)}</select></label>
          <label>Projection <select value=${index.projection} onChange=${(e) => setIndex('globalIndexes', at, 'projection', e.target.value)}><option>ALL</option><option>KEYS_ONLY</option></select></label>
          <button type="button" class="small" onClick=${() => setForm({ ...form, globalIndexes: form.globalIndexes.filter((_, i) => i !== at) })}>Remove</button>
        </div>`)}
        ${form.localIndexes.map((index, at) => html`<div class="row index-row">
          <label>LSI name <input required value=${index.name} onInput=${(e) => setIndex('localIndexes', at, 'name', e.target.value)} /></label>
          <label>Sort key <input required value=${index.sortKey} onInput=${(e) => setIndex('localIndexes', at, 'sortKey', e.target.value)} /></label>
          <label>Type <select value=${index.sortType} onChange=${(e) => setIndex('localIndexes', at, 'sortType', e.target.value)}>${keyTypes.map(([v, t]) => html`<option value=${v}>${t}</option>`)}</select></label>
          <label>Projection <select value=${index.projection} onChange=${(e) => setIndex('localIndexes', at, 'projection', e.target.value)}><option>ALL</option><option>KEYS_ONLY</option></select></label>
          <button type="button" class="small" onClick=${() => setForm({ ...form, localIndexes: form.localIndexes.filter((_, i) => i !== at) })}>Remove</button>
        </div>`)}
        <div class="actions left">
          <button type="button" onClick=${() => setForm({ ...form, globalIndexes: [...form.globalIndexes, { name: '', partitionKey: '', partitionType: 'S', sortKey: '', sortType: 'S', projection: 'ALL' }] })}>Add global index</button>
          <button type="button" onClick=${() => setForm({ ...form, localIndexes: [...form.localIndexes, { name: '', sortKey: '', sortType: 'S', projection: 'ALL' }] })}>Add local index</button>
        </div>
      </fieldset>
      <fieldset>
        <legend>Stream, TTL and protection</legend>
        <div class="row">
          <label>Stream <select name="stream" value=${form.stream} onChange=${set('stream')}>${streamViews.map(([value, text]) => html`<option value=${value}>${text}</option>`)}</select></label>
          <label>TTL attribute (optional) <input name="ttl" value=${form.ttl} onInput=${set('ttl')} placeholder="expiresAt" autocomplete="off" /></label>
        </div>
        <label class="check"><input type="checkbox" checked=${form.protection} onChange=${set('protection')} /> Deletion protection</label>
      </fieldset>
      <${ErrorMessage} error=${error} />
      <${Notice} text=${progress} />
      <div class="actions">
        <a class="button" href="#/tables">Cancel</a>
        <button type="submit" class="primary" disabled=${Boolean(progress)}>Create table</button>
      </div>
    </form>`
}

function createTableInput(form) {
  // One type per attribute, whichever keys it is in: a second, different type is the user's
  // mistake to hear about, not one to resolve by keeping the last.
  const attributes = new Map()
  const typeName = (type) => keyTypes.find(([value]) => value === type)[1]
  const key = (name, type, keyType) => {
    const earlier = attributes.get(name)
    if (earlier !== undefined && earlier !== type) {
      throw new Error(`${name} is a ${typeName(earlier)} in one key and a ${typeName(type)} in another: an attribute has one type in every key and index`)
    }
    attributes.set(name, type)
    return { AttributeName: name, KeyType: keyType }
  }
  // Attribute names are sent as typed, never trimmed (' id' is a name DynamoDB takes); DynamoDB
  // validates them, and the table and index names, itself.
  const schema = (partition, partitionType, sort, sortType) => [
    key(partition, partitionType, 'HASH'),
    ...(sort !== '' ? [key(sort, sortType, 'RANGE')] : []),
  ]
  const provisioned = form.billing === 'PROVISIONED'
  const throughput = { ReadCapacityUnits: Number(form.read), WriteCapacityUnits: Number(form.write) }
  const input = {
    TableName: form.name,
    KeySchema: schema(form.partitionKey, form.partitionType, form.sortKey, form.sortType),
    BillingMode: form.billing,
    ...(provisioned ? { ProvisionedThroughput: throughput } : {}),
    ...(form.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: form.stream } } : {}),
    ...(form.protection ? { DeletionProtectionEnabled: true } : {}),
  }
  if (form.globalIndexes.length) {
    input.GlobalSecondaryIndexes = form.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: schema(index.partitionKey, index.partitionType, index.sortKey, index.sortType),
      Projection: { ProjectionType: index.projection },
      ...(provisioned ? { ProvisionedThroughput: throughput } : {}),
    }))
  }
  if (form.localIndexes.length) {
    input.LocalSecondaryIndexes = form.localIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: schema(form.partitionKey, form.partitionType, index.sortKey, index.sortType),
      Projection: { ProjectionType: index.projection },
    }))
  }
  input.AttributeDefinitions = [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }))
  return input
}

/** Polls DescribeTable until ACTIVE, at most 120 times. */
async function waitUntilActive(name, region) {
  for (let attempt = 0; attempt < 120; attempt++) {
    const { Table } = await dynamo('DescribeTable', { TableName: name }, region)
    if (Table.TableStatus === 'ACTIVE') return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${name} is not ACTIVE yet; it will appear in the list when it is`)
}
